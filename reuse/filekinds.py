"""What a file looks like, from its first bytes: shared by the donors' manifest and the workshops' reports; and
whether a PDF people send for others to open only shows pages (`check_passive_pdf`).

Uploads are refused in one line that names what they look like ("this file looks like a PDF document"),
never by echoing their content back. The answer is a kind code; `describe` turns it into a French phrase.
An upload is read through `read_at_most`, so that a large one is refused before it fills the memory.
"""

import io
import posixpath
import re
import zipfile

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pypdf import PasswordType, PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from reuse.errors import InvalidInput, TooLarge

HEAD_BYTES = 4096

KIND_LABELS = {
    "empty": _("un fichier vide"),
    "xls": _("un classeur Excel ancien format (.xls)"),
    "ods": _("un classeur OpenDocument (.ods)"),
    "xlsx": _("un classeur Excel (.xlsx)"),
    "docx": _("un document Word (.docx)"),
    "zip": _("une archive ZIP"),
    "gzip": _("une archive compressée (gzip)"),
    "archive": _("une archive compressée (RAR ou 7z)"),
    "pdf": _("un document PDF"),
    "image": _("une image"),
    "json": _("des données JSON"),
    "xml": _("un document XML"),
    "html": _("une page web (HTML)"),
    "rtf": _("un document RTF"),
    "utf16": _("un texte en UTF-16"),
    "binary": _("un fichier binaire"),
    "log": _("un journal (log) ou un rapport texte"),
    "text": _("un texte sans colonnes"),
    "csv": _("un tableau CSV"),
    "sylk": _("un tableau SYLK (.slk)"),
}

LOG_LINE = re.compile(rb"^\s*(\[\d{4}[/-]\d{2}[/-]\d{2}[ T]\d{2}:\d{2}|#\s*dmidecode|Handle 0x|smartctl \d)")


def zip_kind(fileobj) -> str:
    """xlsx, ods, docx or zip, from the archive's directory (the file position is restored)."""
    position = fileobj.tell()
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype")[:100]:
                return "ods"
            if "word/document.xml" in names:
                return "docx"
            return "zip"
    except (zipfile.BadZipFile, EOFError, OSError, KeyError):
        # A truncated workbook is still one: the reader will say it is damaged. An OpenDocument file opens
        # with its uncompressed « mimetype » entry, so its kind survives the loss of the zip directory.
        fileobj.seek(0)
        head = fileobj.read(100)
        if head[30:38] == b"mimetype" and b"opendocument.spreadsheet" in head[38:]:
            return "ods"
        return "xlsx"
    finally:
        fileobj.seek(position)


def sniff(head: bytes, fileobj=None) -> str:
    """A kind code for a file whose first bytes are `head` (and whose archive is `fileobj`, if a zip)."""
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        return zip_kind(fileobj) if fileobj is not None else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")) or head[8:12] == b"WEBP":
        return "image"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith((b"Rar!", b"7z\xbc\xaf")):
        return "archive"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"
    if b"\x00" in head:
        return "binary"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"{", b"[")) and not text.startswith(b"[20") and not text.startswith(b"[19"):
        return "json"
    lowered = text[:200].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        return "html"
    if text.startswith(b"<"):
        return "xml"
    if text.startswith(b"{\\rtf"):
        return "rtf"
    if text.startswith(b"ID;P"):
        # SYLK's first record names the program that wrote it: « ID;PGLPI_EXPORT », « ID;PWXL;N;E » (Excel).
        return "sylk"
    first_line = text.split(b"\n", 1)[0]
    if LOG_LINE.match(first_line):
        return "log"
    lines = [line for line in text.split(b"\n")[:20] if line.strip()]
    if lines and not any(sep in first_line for sep in (b";", b",", b"\t")):
        # Free text: a one-column sheet has a short header, a log or a report has long sentences.
        if len(first_line.split()) > 4 or any(len(line) > 200 for line in lines):
            return "log"
        return "csv"
    return "csv"


def describe(kind: str) -> str:
    return str(KIND_LABELS.get(kind, KIND_LABELS["binary"]))


def read_at_most(upload, limit: int, too_large: str) -> bytes:
    """The bytes of an upload (or a download), never more than `limit`: refused with `too_large` from its
    declared size before reading, and again from what was read, since a size may be missing or wrong."""
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise TooLarge(too_large)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(too_large)
    return data


PATH_SEPARATORS = re.compile(r"[/\\]")
MAX_NAME = 255


def name_parts(path: str) -> list[str]:
    """A path from inside an archive as the folder and file names a person reads: split on « / » and on « \\ »
    (Windows PowerShell 5.1's Compress-Archive writes the latter), without « . », « .. » nor empty parts, each
    without control or formatting characters (NUL, a right-to-left override that shows « rapport[U+202E]gol.fdp »
    as « rapportpdf.log »), at most 255 characters with its extension kept: what Django keeps of an uploaded
    file's name."""
    parts = []
    for part in PATH_SEPARATORS.split(path):
        part = "".join(char for char in part if char.isprintable()).strip()
        if part in ("", ".", ".."):
            continue
        if len(part) > MAX_NAME:
            stem, extension = posixpath.splitext(part)
            extension = extension[:MAX_NAME]
            part = stem[: MAX_NAME - len(extension)] + extension
        parts.append(part)
    return parts


# The names of ISO 32000-1 that make a PDF reader run something or open another file when the PDF is opened or
# clicked: a JavaScript action or name tree (§12.6.4.16), a Launch action (§12.6.4.5), an embedded file, its
# stream or the name tree listing them (§7.11.4), a form sending or importing data (§12.7.5), Flash or video
# (RichMedia), an XFA form (scripts of its own), a « go to » inside an embedded file. A PDF a scanner, a CAF or an
# office suite writes holds none of them; links to a web address (URI) and « go to page » actions stay.
ACTIVE_PDF_NAMES = frozenset(
    f"/{name}"
    for name in (
        "JavaScript",
        "JS",
        "Launch",
        "EmbeddedFile",
        "EmbeddedFiles",
        "EF",
        "RichMedia",
        "XFA",
        "SubmitForm",
        "ImportData",
        "GoToE",
    )
)
# More objects than a 20 MB document of pages holds: a file built to make the check itself long is refused.
MAX_PDF_OBJECTS = 200_000
PDF_STREAM_BODY = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
PDF_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]*")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
RESAVE = _(
    "Ouvrez-le et enregistrez-en une copie avec « Imprimer > Enregistrer au format PDF », puis envoyez cette copie."
)


def _pdf_refused(reason) -> InvalidInput:
    return InvalidInput(f"{reason} {RESAVE}", code="bad_file")


def _names_outside_streams(data: bytes):
    """The names written in the file's own bytes (« #xx » read as the byte it stands for), streams left out: what
    a reader that rebuilds a damaged file's table finds, even in objects the table leaves out."""
    for raw in PDF_NAME.findall(PDF_STREAM_BODY.sub(b" ", data)):
        yield PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), raw).decode("latin-1")


def _names_in(value):
    """Every key and name of a PDF object, its inline dictionaries and arrays included (indirect objects are
    read on their own), without recursion: a deep nesting costs no stack."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, NameObject):
            yield str(item)
        elif isinstance(item, DictionaryObject):  # a stream's dictionary too
            for key, inner in item.items():
                yield str(key)
                if not isinstance(inner, IndirectObject):
                    pending.append(inner)
        elif isinstance(item, ArrayObject):
            pending.extend(inner for inner in item if not isinstance(inner, IndirectObject))


def _pdf_object_names(data: bytes):
    """The names of every object of the file's cross-reference table (object streams, §7.5.7, included)."""
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise _pdf_refused(gettext("Ce PDF est protégé par un mot de passe."))
    numbers = {
        (number, generation)
        for generation, table in reader.xref.items()
        for number in table
        if number and generation != 65535
    }
    numbers |= {(number, 0) for number in reader.xref_objStm}
    if len(numbers) > MAX_PDF_OBJECTS:
        raise _pdf_refused(gettext("Ce PDF est abîmé ou illisible."))
    yield from _names_in(reader.trailer)
    for number, generation in numbers:
        yield from _names_in(reader.get_object(IndirectObject(number, generation, reader)))


def may_be_pdf(data: bytes) -> bool:
    """Whether a PDF reader would open these bytes as a PDF: Acrobat looks for the header in the first 1,024
    bytes, so a PDF may follow other bytes (`sniff` reads the first ones only)."""
    return b"%PDF-" in data[:1024]


def pdf_acts(data: bytes) -> bool:
    """Whether a PDF holds anything that makes its reader run something or open another file
    (ACTIVE_PDF_NAMES); InvalidInput when it is no readable PDF. Read at upload (check_passive_pdf) and again over
    what was kept before that check (`manage.py quarantine_active_pdfs`)."""
    try:
        names = set(_names_outside_streams(data))
        names.update(_pdf_object_names(data))
    # Every way pypdf tells it could not read the file (its own errors, and the ones a damaged object raises from
    # Python's) is an unreadable PDF for the person who sent it; nothing else is caught.
    except (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError) as exc:
        raise _pdf_refused(gettext("Ce PDF est abîmé ou illisible.")) from exc
    return bool(names & ACTIVE_PDF_NAMES)


def check_passive_pdf(data: bytes) -> None:
    """Refuse (InvalidInput) a PDF that is no readable PDF, is locked by a password, or holds anything that makes
    its reader run something or open another file (ACTIVE_PDF_NAMES): a proof staff open, a certificate a donor
    downloads. What is kept is the file as it came, so nothing in it may act."""
    if pdf_acts(data):
        raise _pdf_refused(
            gettext("Ce PDF contient du code (JavaScript), une action automatique ou un fichier joint.")
        )
