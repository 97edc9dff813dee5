"""The workbook formats `reuse.spreadsheets` reads: XLSX, OpenDocument (.ods) and old Excel (.xls); and the one
XLSX writer (`xlsx_bytes`), which stores every text as text so that a spreadsheet never runs it as a formula.

Each reader yields the first sheet's rows as lists of text cells (`cell_text`), from the values the file stores:
a formula is never evaluated, its last computed value is read. French public bodies and associations save
with LibreOffice (.ods); older offices still keep Excel 97-2003 files (.xls). An archive is checked before it
is opened (size once unzipped, compression ratio: a zip bomb is refused), an ODS is parsed with defusedxml
(no DTD, no entity) one row at a time, and LibreOffice's repeated rows and cells (a sheet ends with a million
empty rows written as one) are expanded only where a value follows them.
"""

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from xml.etree.ElementTree import ParseError

import openpyxl
import xlrd
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from reuse import texts
from reuse.errors import InvalidInput

# Excel's numbers hold 15 significant digits: a whole number from 10**15 up has lost some.
EXACT_DIGITS_LIMIT = 10**15
# Excel's « Text » number format (ECMA-376 §18.8.30, built-in format 49): what is typed in the cell stays text.
TEXT_FORMAT = "@"
# A real manifest of 100,000 rows unzips to well under this; a zip bomb does not.
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# LibreOffice's and Excel's own limits: a sheet claiming more rows or columns is not one they wrote.
MAX_SHEET_ROWS = 1_048_576
MAX_SHEET_COLUMNS = 16_384
# What breaks openpyxl on a damaged archive, while opening it or while streaming its sheet.
DAMAGED = (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, zlib.error)
# What xlrd raises on a damaged or foreign OLE2 file (it indexes and unpacks the binary records it finds).
XLS_DAMAGED = (xlrd.XLRDError, xlrd.compdoc.CompDocError, struct.error, IndexError, *DAMAGED)
# An Office file saved with a password is an OLE2 container holding this stream instead of the workbook.
ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
CELLS = (f"{TABLE}table-cell", f"{TABLE}covered-table-cell")


class UnreadableFile(InvalidInput):
    """The whole file is unusable (type, encoding, size, damaged archive): nothing of it may be imported."""


class FileTooLarge(UnreadableFile):
    status = 413
    code = "too_large"


def cell_text(value) -> str:
    """A spreadsheet cell as a person reads it: dates as dd/mm/yyyy, whole numbers without ".0".

    A number past 15 significant digits is written as Excel shows it (« 8.93315031912346E+18 »): a workbook
    keeps no more digits than that (Microsoft's « Keeping leading zeros and large numbers »), so the digits
    after them are not the ones the person typed, and a serial read from such a cell is refused
    (reuse.serials.excel_rewrite) rather than stored with made-up digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, float) and abs(value) >= EXACT_DIGITS_LIMIT:
        return format(value, ".15G")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def damaged(kind: str) -> UnreadableFile:
    return UnreadableFile(texts.DAMAGED, params={"kind": kind})


def password_protected() -> UnreadableFile:
    return UnreadableFile(texts.PASSWORD_PROTECTED)


def check_zip(fileobj, kind: str = "XLSX") -> None:
    """Refuse a truncated archive or a zip bomb before it is opened (sizes read from the zip directory)."""
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise damaged(kind) from exc
    with archive:
        total = 0
        for member in archive.infolist():
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1_000_000 and ratio > MAX_COMPRESSION_RATIO:
                raise UnreadableFile(texts.ZIP_BOMB, params={"kind": kind})
        if total > MAX_UNZIPPED_BYTES:
            raise UnreadableFile(texts.UNZIPS_TOO_LARGE, params={"kind": kind})
    fileobj.seek(0)


def xlsx_rows(fileobj) -> Iterator[list[str]]:
    """The first visible sheet's rows as text; a truncated archive is often only noticed while streaming it.

    A sheet the person hid in Excel (a drop-down list's values, a tool's settings) is not the table they mean
    to send, even when it comes first."""
    check_zip(fileobj)
    try:
        # read_only streams the sheet; data_only returns cached values, so a formula is never evaluated.
        workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    except DAMAGED as exc:
        raise damaged("XLSX") from exc
    try:
        sheet = next(
            (sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"), workbook.worksheets[0]
        )
        # The range the sheet declares is not trusted: openpyxl would pad every row to its width (A1:XFD1048576
        # makes each row 16,384 cells, whatever it holds). A row is as wide as its last stored value.
        sheet.reset_dimensions()
        for values in sheet.iter_rows(values_only=True):
            width = len(values)
            while width and values[width - 1] is None:
                width -= 1
            yield [cell_text(value) for value in values[:width]]
    except DAMAGED as exc:
        raise damaged("XLSX") from exc
    finally:
        workbook.close()


# --- OpenDocument spreadsheets (LibreOffice Calc, and what PhpSpreadsheet's ODS writer saves) ---------------


def _paragraph(element) -> str:
    """The text of a text:p, with its spans and links, « text:s » runs of spaces, tabs and line breaks."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{TEXT}s":
            parts.append(" " * _count(child.get(f"{TEXT}c")))
        elif child.tag == f"{TEXT}tab":
            parts.append("\t")
        elif child.tag == f"{TEXT}line-break":
            parts.append("\n")
        elif child.tag != f"{OFFICE}annotation":
            parts.append(_paragraph(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _count(value, limit: int = MAX_SHEET_ROWS) -> int:
    """A repeat count as the file writes it (absent means once); a count no spreadsheet writes is refused."""
    if value is None:
        return 1
    try:
        count = int(value)
    except ValueError as exc:
        raise damaged("ODS") from exc
    if not 1 <= count <= limit:
        raise damaged("ODS")
    return count


def _ods_value(cell):
    """The value a cell stores: office:value for numbers, the date for a date, the paragraphs for text
    (a comment attached to the cell is not its value)."""
    kind = cell.get(f"{OFFICE}value-type")
    try:
        if kind in ("float", "percentage", "currency"):
            return float(cell.get(f"{OFFICE}value"))
        if kind == "date":
            stamp = datetime.fromisoformat(cell.get(f"{OFFICE}date-value"))
            return stamp.date() if stamp.time() == datetime.min.time() else stamp
        if kind == "boolean":
            # Calc writes office:boolean-value="true"; PhpSpreadsheet (GLPI 11's export) office:value="1".
            stored = cell.get(f"{OFFICE}boolean-value", cell.get(f"{OFFICE}value", ""))
            return stored.strip().lower() in ("true", "1")
    except (TypeError, ValueError) as exc:
        raise damaged("ODS") from exc
    if kind == "string" and cell.get(f"{OFFICE}string-value") is not None:
        return cell.get(f"{OFFICE}string-value")
    # Text, a time (as it is shown) or a cell without a type.
    return "\n".join(_paragraph(p) for p in cell if p.tag == f"{TEXT}p")


def _ods_row(row) -> list[str]:
    """A row's cells, repeated ones expanded; the empty cells that pad it to the sheet's width are dropped.
    A cell covered by a merged one counts as an empty cell, so the next columns keep their place."""
    cells: list[str] = []
    empty = 0
    for cell in row:
        if cell.tag not in CELLS:
            continue
        repeat = _count(cell.get(f"{TABLE}number-columns-repeated"), MAX_SHEET_COLUMNS)
        text = cell_text(_ods_value(cell))
        if not text:
            empty += repeat
            continue
        if len(cells) + empty + repeat > MAX_SHEET_COLUMNS:
            raise damaged("ODS")
        cells.extend([""] * empty + [text] * repeat)
        empty = 0
    return cells


def _content(archive: zipfile.ZipFile):
    names = set(archive.namelist())
    if "content.xml" not in names:
        raise damaged("ODS")
    if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read("META-INF/manifest.xml"):
        raise password_protected()
    return archive.open("content.xml")


def ods_rows(fileobj) -> Iterator[list[str]]:
    """The first sheet's rows of an OpenDocument spreadsheet, parsed as they come (never the whole tree).

    Rows inside header-row or row-group elements are rows like the others. An empty row repeated N times
    (LibreOffice writes the rest of the sheet so) is yielded only if a non-empty row follows it, so that row
    numbers stay those the person sees in Calc.
    """
    check_zip(fileobj, "ODS")
    try:
        archive = zipfile.ZipFile(fileobj)
    except DAMAGED as exc:
        raise damaged("ODS") from exc
    with archive:
        try:
            with _content(archive) as content:
                yield from _ods_table_rows(content)
        except (ParseError, DefusedXmlException, *DAMAGED) as exc:
            raise damaged("ODS") from exc


def _ods_table_rows(content) -> Iterator[list[str]]:
    """The rows of the first sheet (a table:table nested in a cell, which Calc allows, is not read)."""
    depth = 0
    number = 0
    blank = 0
    for event, element in iterparse(content, events=("start", "end")):
        if element.tag == f"{TABLE}table":
            depth += 1 if event == "start" else -1
            if depth == 0:
                return
            continue
        if event != "end" or element.tag != f"{TABLE}table-row" or depth != 1:
            continue
        repeat = _count(element.get(f"{TABLE}number-rows-repeated"))
        cells = _ods_row(element)
        element.clear()
        if not cells:
            blank += repeat
            continue
        number += blank + repeat
        if number > MAX_SHEET_ROWS:
            raise damaged("ODS")
        for _blank in range(blank):
            yield []
        blank = 0
        for _repeat in range(repeat):
            yield list(cells)
    # The document ended without a sheet.
    raise damaged("ODS")


# --- Excel 97-2003 (.xls) -------------------------------------------------------------------------------------


def _xls_value(cell, datemode: int):
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (xlrd.XLDateError, ValueError, OverflowError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    return cell.value


def xls_rows(fileobj) -> Iterator[list[str]]:
    """The first sheet of an Excel 97-2003 workbook (BIFF8, or older BIFF5), read whole by xlrd: the callers
    have already refused a file over their size limit."""
    fileobj.seek(0)
    data = fileobj.read()
    if ENCRYPTED_OOXML in data:
        raise password_protected()
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except XLS_DAMAGED as exc:
        if "encrypted" in str(exc).lower():
            raise password_protected() from exc
        raise UnreadableFile(texts.XLS_UNREADABLE) from exc
    try:
        sheet = book.sheet_by_index(0)
        for index in range(sheet.nrows):
            values = [cell_text(_xls_value(cell, book.datemode)) for cell in sheet.row(index)]
            while values and not values[-1]:
                values.pop()
            yield values
    except XLS_DAMAGED as exc:
        raise damaged("XLS") from exc
    finally:
        book.release_resources()


def xlsx_bytes(rows: Iterable[Iterable], *, sheet: str) -> bytes:
    """One sheet named `sheet`, a row per row. Texts are stored as text cells (a value starting with "=" a person
    typed is shown, never computed: the XLSX form of reuse.csvfiles' neutralisation) in the « Text » format « @ »,
    so that Excel keeps « 0045821377 », an IMEI or the postcode 01000 as written, even once a person edits the
    cell; numbers and dates as such. This, not the CSV, is the file to open in Excel."""
    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, Promise):  # a label still to translate (a device type's name): its text now
                value = str(value)
            cell = openpyxl.cell.WriteOnlyCell(worksheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
                cell.number_format = TEXT_FORMAT
            cells.append(cell)
        worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
