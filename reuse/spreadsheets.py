"""The one way Rebond reads a spreadsheet a person uploads: donors' manifests and workshops' stock imports.

Files come from French spreadsheets and asset tools, saved however the person's software saves them: CSV with
`;`, `,` or tab separators, in UTF-8 (with or without BOM), Windows-1252 or UTF-16 (Excel's « Texte Unicode »
export: UTF-16LE with a BOM, tab separated), blank lines, Excel's « sep=; » line or Windows PowerShell 5.1's
« #TYPE » line above the header (each reads as a blank row, « #TYPE » also as a workbook's first row), SYLK
(GLPI 9.5 and 10's « SLK » export), or a workbook read by `reuse.workbooks`: XLSX, LibreOffice's ODS, Excel
97-2003's XLS. `rows` yields each row as a list of text cells, whatever the format; what the columns mean is the
caller's business. A file that is not a spreadsheet (among them PowerShell's screen output saved as a file:
Format-List, Format-Table), a mixed or unknown encoding, a damaged workbook, a zip bomb or a sheet that reads to
more rows than a spreadsheet has or more than MAX_CELLS cells is refused with one clear French sentence
(`UnreadableFile`), never by echoing its content back.
"""

import codecs
import contextlib
import csv
import io
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator

from reuse import filekinds
from reuse import texts as file_texts
from reuse.bounds import whole_number
from reuse.workbooks import (
    MAX_SHEET_ROWS,
    FileTooLarge,
    UnreadableFile,
    cell_text,
    ods_rows,
    xls_rows,
    xlsx_rows,
)

__all__ = [
    "FileTooLarge",
    "UnreadableFile",
    "cell_text",
    "check_size",
    "find_header",
    "is_blank",
    "rows",
]

KINDS = ("csv", "sylk", "xlsx", "ods", "xls")
SEPARATORS = (";", ",", "\t")
# « #TYPE Selected.Microsoft.Management.Infrastructure.CimInstance », « #TYPE System.Management.Automation.PSCustomObject ».
POWERSHELL_TYPE_LINE = re.compile(r'^"?#TYPE\b', re.IGNORECASE)
# Format-List's « TotalPhysicalMemory : 17022779392 » and Format-Table's « ------------ ----- » under its header.
POWERSHELL_LIST_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]* +):(?: .*)?$")
POWERSHELL_TABLE_RULE = re.compile(r"^ *-{2,}(?: +-+)* *$")
EXCEL_SEPARATOR_LINE = re.compile(r"^sep=([^\r\n\"])\r?\n?$", re.IGNORECASE)
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
CHUNK = 1 << 20
# A title or blank lines may come above the header row: the header is looked for in the first rows.
HEADER_SEARCH_ROWS = 10
# French letters and signs, to tell Windows-1252 from Mac OS Roman (Excel for Mac's « CSV (Macintosh) »): the
# same bytes read as « é » in one and « Ž » in the other; the encoding that reads more of them is the file's.
FRENCH_SIGNS = "àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»’€°"
ASCII_BYTES = bytes(range(128))
# SYLK's own limits on a sheet's rows (Y) and columns (X), those of Excel.
SYLK_MAX_ROW = 1_048_576
SYLK_MAX_COLUMN = 16_384
# Cells read from one file (a row counts as wide as it comes): 100,000 rows of 200 columns, far above a real
# export, far below what a file small on disk can claim (a row of 16,384 cells repeated a million times).
MAX_CELLS = 20_000_000
# Filled columns of one row: an inventory export has tens of them (Intune's 49), a few hundred at the most;
# reading what each of 100,000 headers means would hold a worker for minutes.
MAX_COLUMNS = 1_000


def check_size(fileobj, *, max_bytes: int, message: str) -> None:
    """Refuse a file over `max_bytes` (FileTooLarge with `message`) before reading a row of it."""
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    if size > max_bytes:
        raise FileTooLarge(message)


def sniff_kind(fileobj) -> str:
    """csv, sylk, xlsx, ods or xls (a UTF-16 text is a csv); anything else is refused in one line naming what it looks like."""
    fileobj.seek(0)
    head = fileobj.read(filekinds.HEAD_BYTES)
    fileobj.seek(0)
    kind = filekinds.sniff(head, fileobj)
    if kind == "utf16":
        # Excel's « Texte Unicode »: what matters is what the text looks like once decoded.
        text = head[: len(head) - len(head) % 2].decode("utf-16", errors="replace")
        kind = filekinds.sniff(text.encode("utf-8"))
    if kind == "empty":
        raise UnreadableFile(file_texts.EMPTY)
    if kind in ("csv", "log") and _powershell_display(_head_text(head)):
        raise UnreadableFile(file_texts.POWERSHELL_DISPLAY)
    if kind not in KINDS:
        raise UnreadableFile(
            file_texts.NOT_A_SPREADSHEET, params={"what": kind if kind in filekinds.KIND_LABELS else "binary"}
        )
    return kind


def _head_text(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head[: len(head) - len(head) % 2].decode("utf-16", errors="replace")
    return head.decode("utf-8", errors="replace")


def _powershell_display(text: str) -> bool:
    """What PowerShell shows on screen, saved by `> file` or Out-File: a list of « Name : value » lines
    (Format-List, the default past four properties) or columns underlined by dashes (Format-Table)."""
    lines = [line for line in text.splitlines()[:40] if line.strip()]
    # Format-List pads each name so that the colons align: three lines with their colon in one column, not a
    # preamble a person typed (« Organisation : Emmaüs » above « Date : 03/12/2026 »).
    names = [POWERSHELL_LIST_LINE.match(line) for line in lines[:3]]
    if len(lines) >= 3 and all(names) and len({len(name[1]) for name in names}) == 1:
        return True
    return any(POWERSHELL_TABLE_RULE.match(rule) for rule in lines[1:3])


def _decodes_as(fileobj, encoding: str) -> bool:
    fileobj.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := fileobj.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        fileobj.seek(0)
    return True


def detect_encoding(fileobj) -> str:
    """UTF-16 when the file starts with its BOM; UTF-8 (BOM or not) when the whole file decodes as such,
    cp1252 otherwise; a file mixing UTF-8 and cp1252 is refused (it would import with garbled accents)."""
    fileobj.seek(0)
    start = fileobj.read(2)
    if start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if _decodes_as(fileobj, "utf-16"):
            return "utf-16"
        raise UnreadableFile(file_texts.UNKNOWN_ENCODING)
    if _decodes_as(fileobj, "utf-8"):
        return "utf-8-sig"
    tail = b""
    while chunk := fileobj.read(CHUNK):
        if UTF8_SEQUENCE.search(tail + chunk):
            raise UnreadableFile(file_texts.MIXED_ENCODINGS)
        tail = chunk[-4:]
    fileobj.seek(0)
    high = Counter()
    while chunk := fileobj.read(CHUNK):
        high.update(chunk.translate(None, ASCII_BYTES))
    fileobj.seek(0)
    readable = [encoding for encoding in ("cp1252", "mac_roman") if _decodes_as(fileobj, encoding)]
    if not readable:
        raise UnreadableFile(file_texts.UNKNOWN_ENCODING)
    return max(readable, key=lambda encoding: _french_signs(high, encoding))


def _french_signs(high: Counter, encoding: str) -> int:
    return sum(n for byte, n in high.items() if bytes([byte]).decode(encoding, "replace") in FRENCH_SIGNS)


def separator_of(first_line: str) -> str:
    """The separator the header line uses most (`;` when it has none: a one-column sheet)."""
    counts = {separator: first_line.count(separator) for separator in SEPARATORS}
    separator = max(counts, key=counts.get)
    return separator if counts[separator] else ";"


def csv_rows(fileobj) -> Iterator[list[str]]:
    encoding = detect_encoding(fileobj)
    text = io.TextIOWrapper(fileobj, encoding=encoding, newline="")
    first = text.readline()
    # « sep=; » on the first line: Excel's own way of telling a CSV's separator, written by export libraries
    # so that Excel opens the file in columns; Excel reads it and does not show it.
    stated = EXCEL_SEPARATOR_LINE.match(first)
    blank_lines = 0
    if stated:
        yield []
        blank_lines += 1
        first = text.readline()
    # Blank lines above the header, and the line Windows PowerShell 5.1's Export-Csv and ConvertTo-Csv write
    # above it unless told -NoTypeInformation (« #TYPE » and the objects' type; Import-Csv skips it): each
    # reads as a blank row, so that rows keep the numbers the spreadsheet shows.
    while first and (not first.strip() or POWERSHELL_TYPE_LINE.match(first)):
        yield []
        blank_lines += 1
        first = text.readline()
    if not first.strip():
        raise UnreadableFile(file_texts.EMPTY)
    delimiter = stated[1] if stated else separator_of(first)
    reader = csv.reader(itertools.chain([first], text), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        # Python's message is English and names its own limit: the person is told what to look at, in French.
        raise UnreadableFile(
            file_texts.CSV_UNREADABLE,
            params={"line": reader.line_num + blank_lines, "max": csv.field_size_limit()},
        ) from exc
    finally:
        # Leave the caller's file open (it owns it); if it was closed first, there is nothing to detach.
        with contextlib.suppress(ValueError):
            text.detach()


def _sylk_fields(record: str) -> Iterator[str]:
    """A SYLK record's fields after its type: separated by `;`, a literal `;` doubled. A K"..." string runs
    to the quote followed by `;` or the end, since GLPI writes its values without doubling their `;`."""
    position = record.find(";")
    while 0 <= position < len(record):
        start = position + 1
        if record.startswith('K"', start):
            end = record.find('";', start + 2)
            while end != -1 and record[end + 2 : end + 3] == ";":
                end = record.find('";', end + 3)
            end = len(record) - 1 if end == -1 else end
            yield record[start : end + 1].replace(";;", ";")
            position = end + 1
            continue
        end = start
        while (end := record.find(";", end)) != -1 and record[end + 1 : end + 2] == ";":
            end += 2
        end = len(record) if end == -1 else end
        yield record[start:end].replace(";;", ";")
        position = end


def _sylk_value(field: str) -> str:
    if field.startswith('"'):
        return field[1:-1] if field.endswith('"') and len(field) > 1 else field[1:]
    try:
        return cell_text(float(field))
    except ValueError:
        # TRUE, FALSE or an error (#N/A) as the file writes it.
        return field.strip()


def _sylk_position(field: str, limit: int) -> int:
    number = whole_number(field[1:], max_digits=7)
    if number is None or not 1 <= number <= limit:
        raise UnreadableFile(file_texts.SYLK_DAMAGED)
    return number


def sylk_rows(fileobj) -> Iterator[list[str]]:
    """The cells of a SYLK file (C records), placed by their Y (row) and X (column), which a C record may
    leave out: the last ones given, by it or by an F (format) record, hold (GLPI's export gives them on F).
    The whole sheet is gathered before its first row is yielded: the records may come in any order."""
    encoding = detect_encoding(fileobj)
    text = io.TextIOWrapper(fileobj, encoding=encoding, newline="")
    cells: dict[int, dict[int, str]] = {}
    row = column = 1
    try:
        for line in text:
            record = line.rstrip("\r\n")
            kind = record.split(";", 1)[0]
            if kind == "E":
                break
            if kind not in ("C", "F"):
                continue
            value = None
            for field in _sylk_fields(record):
                if field[:1] == "Y":
                    row = _sylk_position(field, SYLK_MAX_ROW)
                elif field[:1] == "X":
                    column = _sylk_position(field, SYLK_MAX_COLUMN)
                elif field[:1] == "K" and kind == "C":
                    value = _sylk_value(field[1:])
            if value:
                cells.setdefault(row, {})[column] = value
    finally:
        with contextlib.suppress(ValueError):
            text.detach()
    if not cells:
        raise UnreadableFile(file_texts.EMPTY)
    for number in range(1, max(cells) + 1):
        values = cells.get(number, {})
        yield [values.get(index, "") for index in range(1, max(values, default=0) + 1)]


def rows(fileobj) -> Iterator[list[str]]:
    """Every row of a spreadsheet as text cells (the kind is read from the content, never the name).

    Raises UnreadableFile, possibly after some rows were yielded (a damaged workbook is only noticed while
    reading it): callers must not write anything before the end.
    """
    readers = {"csv": csv_rows, "sylk": sylk_rows, "xlsx": xlsx_rows, "ods": ods_rows, "xls": xls_rows}
    return _within_limits(readers[sniff_kind(fileobj)](fileobj))


def _within_limits(lines: Iterator[list[str]]) -> Iterator[list[str]]:
    """The rows of a reader, refused past a spreadsheet's last row or MAX_CELLS cells: a file a few kilobytes
    long may number a row 999,999,999 or repeat a full-width row a million times."""
    cells = 0
    try:
        for number, row in enumerate(lines, start=1):
            if number == 1 and row and POWERSHELL_TYPE_LINE.match(str(row[0] or "")) and is_blank(row[1:]):
                # PowerShell's export opened in Excel and saved as a workbook: its « #TYPE » line is row 1.
                row = []
            cells += len(row)
            if number > MAX_SHEET_ROWS:
                raise UnreadableFile(file_texts.TOO_MANY_ROWS, params={"max": MAX_SHEET_ROWS})
            if cells > MAX_CELLS:
                raise UnreadableFile(file_texts.TOO_MANY_CELLS, params={"max": MAX_CELLS // 1_000_000})
            yield _checked(row, number)
    finally:
        lines.close()


def find_header(lines: Iterator[list], recognised: Callable[[list], bool]) -> tuple[int, list, list]:
    """(its number, the header row, the rows read after it) in a spreadsheet's first rows: the first row
    `recognised` accepts, else the first non-blank row. Title rows (« Inventaire atelier — décembre ») and blank
    lines above the header are skipped, as donors' manifests and workshops' stock sheets both have them."""
    seen = []
    for raw in lines:
        seen.append(raw)
        if is_blank(raw):
            continue
        if recognised(raw):
            return len(seen), raw, []
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    for index, raw in enumerate(seen):
        if not is_blank(raw):
            return index + 1, raw, seen[index + 1 :]
    raise UnreadableFile(file_texts.EMPTY)


def _checked(row: list, number: int) -> list:
    """A row as its cells read: without the byte order marks two files joined end to end leave inside
    (`copy /b a.csv+b.csv`: the second header starts with one) and without trailing blank cells; a NUL
    character (a damaged or truncated file: no spreadsheet writes one) or more than MAX_COLUMNS filled columns
    refuse the file."""
    texts = [
        cell.replace("\ufeff", "") if isinstance(cell, str) and "\ufeff" in cell else cell for cell in row
    ]
    if any(isinstance(cell, str) and "\x00" in cell for cell in texts):
        raise UnreadableFile(file_texts.NUL_CHARACTERS, params={"line": number})
    if len(texts) > MAX_COLUMNS:
        while texts and not str(texts[-1] or "").strip():
            texts.pop()
        if len(texts) > MAX_COLUMNS:
            raise UnreadableFile(file_texts.TOO_MANY_COLUMNS, params={"line": number, "max": MAX_COLUMNS})
    return texts


def is_blank(row) -> bool:
    return not any(str(cell or "").strip() for cell in row)
