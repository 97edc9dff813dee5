"""The one way Rebond reads a spreadsheet a person uploads: donors' manifests and workshops' stock imports.

Files come from French spreadsheets and asset tools, saved however the person's software saves them: CSV with
`;`, `,` or tab separators, in UTF-8 (with or without BOM), Windows-1252 or UTF-16 (Excel's « Texte Unicode »
export: UTF-16LE with a BOM, tab separated), or XLSX. `rows` yields each row as a list of text cells, whatever
the format; what the columns mean is the caller's business. A file that is not a spreadsheet, a mixed or unknown
encoding, a damaged XLSX or a zip bomb is refused with one clear French sentence (`UnreadableFile`), never by
echoing its content back.
"""

import codecs
import contextlib
import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime

import openpyxl
from django.utils.translation import gettext as _

from reuse import filekinds
from reuse.errors import InvalidInput

KINDS = ("csv", "xlsx")
SEPARATORS = (";", ",", "\t")
# A real manifest of 100,000 rows unzips to well under this; a zip bomb does not.
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
CHUNK = 1 << 20
# What breaks openpyxl on a damaged archive, while opening it or while streaming its sheet.
DAMAGED = (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, zlib.error)


class UnreadableFile(InvalidInput):
    """The whole file is unusable (type, encoding, size, damaged archive): nothing of it may be imported."""


class FileTooLarge(UnreadableFile):
    status = 413
    code = "too_large"


def check_size(fileobj, *, max_bytes: int, message: str) -> None:
    """Refuse a file over `max_bytes` (FileTooLarge with `message`) before reading a row of it."""
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    if size > max_bytes:
        raise FileTooLarge(message)


def sniff_kind(fileobj) -> str:
    """csv or xlsx (a UTF-16 text is a csv); anything else is refused in one line naming what it looks like."""
    fileobj.seek(0)
    head = fileobj.read(filekinds.HEAD_BYTES)
    fileobj.seek(0)
    kind = filekinds.sniff(head, fileobj)
    if kind == "utf16":
        # Excel's « Texte Unicode »: what matters is what the text looks like once decoded.
        text = head[: len(head) - len(head) % 2].decode("utf-16", errors="replace")
        kind = filekinds.sniff(text.encode("utf-8"))
    if kind == "empty":
        raise UnreadableFile(_("Le fichier est vide."))
    if kind == "xls":
        raise UnreadableFile(
            _("Ancien format Excel (.xls) non pris en charge : enregistrez le fichier en .xlsx ou en .csv.")
        )
    if kind not in KINDS:
        raise UnreadableFile(
            _(
                "Type de fichier non pris en charge : ce fichier ressemble à %(what)s, pas à un tableur ; "
                "envoyez un fichier CSV ou XLSX."
            )
            % {"what": filekinds.describe(kind)}
        )
    return kind


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
        raise UnreadableFile(
            _("Encodage non reconnu : enregistrez le fichier en « CSV UTF-8 » ou en Windows-1252.")
        )
    if _decodes_as(fileobj, "utf-8"):
        return "utf-8-sig"
    tail = b""
    while chunk := fileobj.read(CHUNK):
        if UTF8_SEQUENCE.search(tail + chunk):
            raise UnreadableFile(
                _(
                    "Le fichier mélange plusieurs encodages (UTF-8 et Windows-1252) : "
                    "enregistrez-le à nouveau en « CSV UTF-8 »."
                )
            )
        tail = chunk[-4:]
    if not _decodes_as(fileobj, "cp1252"):
        raise UnreadableFile(
            _("Encodage non reconnu : enregistrez le fichier en « CSV UTF-8 » ou en Windows-1252.")
        )
    return "cp1252"


def separator_of(first_line: str) -> str:
    """The separator the header line uses most (`;` when it has none: a one-column sheet)."""
    counts = {separator: first_line.count(separator) for separator in SEPARATORS}
    separator = max(counts, key=counts.get)
    return separator if counts[separator] else ";"


def csv_rows(fileobj) -> Iterator[list[str]]:
    encoding = detect_encoding(fileobj)
    text = io.TextIOWrapper(fileobj, encoding=encoding, newline="")
    first = text.readline()
    if not first.strip():
        raise UnreadableFile(_("Le fichier est vide."))
    delimiter = separator_of(first)
    reader = csv.reader(io.StringIO(first), delimiter=delimiter)
    yield next(reader)
    try:
        yield from csv.reader(text, delimiter=delimiter)
    except csv.Error as exc:
        raise UnreadableFile(_("Fichier CSV illisible : %(error)s") % {"error": str(exc)[:100]}) from exc
    finally:
        # Leave the caller's file open (it owns it); if it was closed first, there is nothing to detach.
        with contextlib.suppress(ValueError):
            text.detach()


def check_zip(fileobj) -> None:
    """Refuse a truncated XLSX or a zip bomb before openpyxl opens it (sizes read from the zip directory)."""
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise UnreadableFile(
            _(
                "Ce fichier XLSX est incomplet ou endommagé : ouvrez-le dans votre tableur et enregistrez-le à nouveau."
            )
        ) from exc
    with archive:
        total = 0
        for member in archive.infolist():
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1_000_000 and ratio > MAX_COMPRESSION_RATIO:
                raise UnreadableFile(
                    _("Ce fichier XLSX est anormalement compressé : il est refusé par sécurité.")
                )
        if total > MAX_UNZIPPED_BYTES:
            raise UnreadableFile(_("Ce fichier XLSX est trop volumineux une fois décompressé."))
    fileobj.seek(0)


def xlsx_rows(fileobj) -> Iterator[list[str]]:
    """The first sheet's rows as text; a truncated archive is often only noticed while streaming it."""
    check_zip(fileobj)
    try:
        # read_only streams the sheet; data_only returns cached values, so a formula is never evaluated.
        workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    except DAMAGED as exc:
        raise UnreadableFile(_("Ce fichier XLSX est incomplet ou endommagé.")) from exc
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [cell_text(value) for value in values]
    except DAMAGED as exc:
        raise UnreadableFile(_("Ce fichier XLSX est incomplet ou endommagé.")) from exc
    finally:
        workbook.close()


def rows(fileobj) -> Iterator[list[str]]:
    """Every row of a CSV or XLSX file as text cells (the kind is read from the content, never the name).

    Raises UnreadableFile, possibly after some rows were yielded (a damaged XLSX is only noticed while reading
    it): callers must not write anything before the end.
    """
    kind = sniff_kind(fileobj)
    return xlsx_rows(fileobj) if kind == "xlsx" else csv_rows(fileobj)


def is_blank(row) -> bool:
    return not any(str(cell or "").strip() for cell in row)


def cell_text(value) -> str:
    """A spreadsheet cell as a person reads it: dates as dd/mm/yyyy, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()
