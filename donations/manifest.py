"""Reading a donor's manifest (CSV or XLSX) as a stream of validated rows.

Files come from asset tools and French spreadsheets: `;` or `,` separators, UTF-8 with or without BOM or
cp1252, French or English headers. Nothing here touches the database: `read_manifest` yields rows and the
import service decides what to write, so a bad file can always be refused before anything is written.
"""

import codecs
import contextlib
import csv
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from inventory.enums import DeviceType

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
# A real manifest of 100,000 rows unzips to well under this; a zip bomb does not.
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ERRORS_KEPT = 1000

# Columns: canonical name -> accepted headers (compared without accents, case, punctuation).
COLUMNS = {
    "type": [
        "type",
        "type d'appareil",
        "type d appareil",
        "type appareil",
        "device type",
        "categorie",
        "category",
    ],
    "brand": ["brand", "marque", "fabricant", "make", "manufacturer"],
    "model": ["model", "modele", "reference", "référence"],
    "serial": [
        "serial",
        "serial number",
        "serial no",
        "numero de serie",
        "n de serie",
        "no de serie",
        "num serie",
        "numero serie",
        "sn",
        "s n",
    ],
    "asset_tag": [
        "asset tag",
        "asset",
        "numero d'inventaire",
        "numero d inventaire",
        "n d'inventaire",
        "n d inventaire",
        "no d'inventaire",
        "inventaire",
        "numero inventaire",
    ],
    "year": ["year", "annee", "annee d'achat", "annee achat", "purchase year"],
    "cpu": ["cpu", "processeur", "processor"],
    "ram_gb": ["ram", "memoire", "memoire vive", "ram (go)", "ram go", "ram (gb)", "memory", "ram gb"],
    "storage_gb": [
        "storage",
        "stockage",
        "disque",
        "stockage (go)",
        "storage (gb)",
        "disk",
        "capacite",
        "stockage go",
    ],
    "condition": ["condition", "etat", "etat declare", "state"],
    "quantity": ["quantity", "quantite", "qte", "qty", "nombre"],
    "net_book_value": [
        "net book value",
        "valeur nette comptable",
        "vnc",
        "valeur nette comptable (eur)",
        "vnc (eur)",
        "net book value (eur)",
    ],
}
LABELS = {
    "type": "type d’appareil",
    "brand": "marque",
    "model": "modèle",
    "serial": "numéro de série",
    "asset_tag": "numéro d’inventaire",
    "year": "année",
    "cpu": "processeur",
    "ram_gb": "mémoire",
    "storage_gb": "stockage",
    "condition": "état",
    "quantity": "quantité",
    "net_book_value": "valeur nette comptable",
}
TYPE_VALUES = {
    DeviceType.LAPTOP: [
        "laptop",
        "ordinateur portable",
        "portable",
        "pc portable",
        "notebook",
        "ultraportable",
        "macbook",
    ],
    DeviceType.DESKTOP: [
        "desktop",
        "ordinateur fixe",
        "fixe",
        "pc fixe",
        "unite centrale",
        "tour",
        "tower",
        "mini pc",
        "ordinateur de bureau",
    ],
    DeviceType.TABLET: ["tablet", "tablette", "ipad"],
    DeviceType.SMARTPHONE: ["smartphone", "telephone", "telephone mobile", "mobile", "phone", "iphone"],
    DeviceType.MONITOR: ["monitor", "ecran", "moniteur", "screen", "display"],
    DeviceType.OTHER: ["other", "autre", "accessoire", "peripherique"],
}
MAX_LENGTHS = {"brand": 80, "model": 120, "serial": 100, "asset_tag": 60, "cpu": 120, "condition": 200}


class ManifestError(Exception):
    """The whole file is unusable (type, encoding, size, columns): nothing is imported."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


@dataclass
class Row:
    number: int
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("’", "'").replace("°", "")
    text = re.sub(r"[^a-z0-9'()]+", " ", text)
    return " ".join(text.split())


HEADER_INDEX = {_fold(alias): name for name, aliases in COLUMNS.items() for alias in aliases + [name]}
TYPE_INDEX = {_fold(alias): kind for kind, aliases in TYPE_VALUES.items() for alias in aliases + [kind]}


def map_headers(headers: list) -> list:
    """Canonical names for a header row; refuses unknown or repeated columns and a missing type column."""
    mapped, unknown, seen = [], [], set()
    for raw in headers:
        text = "" if raw is None else str(raw).strip()
        if not text:
            mapped.append(None)
            continue
        name = HEADER_INDEX.get(_fold(text))
        if name is None:
            # "numéro de série (SN)" and the like: try without what is in brackets.
            name = HEADER_INDEX.get(_fold(re.sub(r"\(.*?\)", "", text)))
        if name is None:
            unknown.append(text)
        elif name in seen:
            raise ManifestError(_("La colonne « %(name)s » apparaît deux fois.") % {"name": text})
        else:
            seen.add(name)
        mapped.append(name)
    if unknown:
        raise ManifestError(
            _("Colonne(s) inconnue(s) : %(unknown)s. Colonnes reconnues : %(known)s.")
            % {
                "unknown": ", ".join(f"« {u} »" for u in unknown),
                "known": ", ".join(LABELS.values()),
            }
        )
    if "type" not in seen:
        raise ManifestError(_("La colonne « type d’appareil » (ou « type ») est obligatoire."))
    return mapped


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _number(text: str, *, units: dict | None = None):
    """'8', '8 Go', '1 To', '1,5' -> a number (units multiply); None when empty; ValueError when not a number."""
    text = text.strip().lower().replace("\u00a0", " ")
    if not text:
        return None
    factor = 1
    for suffix, multiplier in (units or {}).items():
        if text.endswith(suffix):
            text = text[: -len(suffix)].strip()
            factor = multiplier
            break
    text = text.replace(" ", "").replace(",", ".")
    return float(text) * factor


SIZE_UNITS = {"to": 1000, "tb": 1000, "go": 1, "gb": 1, "g": 1, "mo": 0.001, "mb": 0.001}


def validate_row(number: int, raw: dict) -> Row:
    """Turn one row of text cells into LotItem values, with French messages per field."""
    row = Row(number=number)
    values = row.values

    def fail(name, message):
        row.errors.append({"row": number, "field": LABELS.get(name, name), "message": message})

    kind_text = raw.get("type", "")
    kind = TYPE_INDEX.get(_fold(kind_text)) if kind_text else None
    if not kind_text:
        fail("type", _("Le type d’appareil est obligatoire."))
    elif kind is None:
        fail(
            "type",
            _(
                "Type « %(value)s » inconnu : indiquez ordinateur portable, ordinateur fixe, tablette, "
                "smartphone, écran ou autre."
            )
            % {"value": kind_text[:40]},
        )
    values["type"] = kind or ""
    for name, limit in MAX_LENGTHS.items():
        text = raw.get(name, "")
        if name == "serial":
            text = re.sub(r"\s+", "", text)
        if len(text) > limit:
            fail(name, _("Trop long : %(limit)s caractères au plus.") % {"limit": limit})
            text = text[:limit]
        values[name] = text
    year_text = raw.get("year", "")
    values["year"] = None
    if year_text:
        try:
            year = int(_number(year_text))
        except ValueError:
            year = None
        if year is None or not 1980 <= year <= date.today().year + 1:
            fail("year", _("Année « %(value)s » invalide (ex. 2019).") % {"value": year_text[:20]})
        else:
            values["year"] = year
    for name, units, upper in (("ram_gb", SIZE_UNITS, 4096), ("storage_gb", SIZE_UNITS, 1_000_000)):
        text = raw.get(name, "")
        values[name] = None
        if text:
            try:
                number_value = _number(text, units=units)
            except ValueError:
                number_value = None
            if number_value is None or number_value < 0 or number_value > upper:
                fail(
                    name,
                    _("« %(value)s » n’est pas une taille en Go (ex. 8 ou 8 Go).") % {"value": text[:20]},
                )
            else:
                values[name] = max(0, round(number_value))
    quantity_text = raw.get("quantity", "")
    values["quantity"] = 1
    if quantity_text:
        try:
            quantity = _number(quantity_text)
        except ValueError:
            quantity = None
        if quantity is None or quantity < 1 or not float(quantity).is_integer() or quantity > 10_000:
            fail("quantity", _("La quantité doit être un nombre entier d’au moins 1."))
        else:
            values["quantity"] = int(quantity)
    if values["serial"] and values["quantity"] != 1:
        fail("quantity", _("Une ligne avec un numéro de série ne décrit qu’un appareil (quantité 1)."))
    value_text = raw.get("net_book_value", "")
    values["net_book_value_cents"] = 0
    if value_text:
        try:
            euros = _number(value_text.replace("€", "").replace("eur", ""))
        except ValueError:
            euros = None
        if euros is None or euros < 0:
            fail("net_book_value", _("La valeur nette comptable doit être un montant en euros (ex. 12,50)."))
        else:
            values["net_book_value_cents"] = round(euros * 100)
    return row


# --- reading files ---------------------------------------------------------------------------------

UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def sniff_kind(head: bytes) -> str:
    if not head:
        raise ManifestError(_("Le fichier est vide."))
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ManifestError(
            _("Ancien format Excel (.xls) non pris en charge : enregistrez le fichier en .xlsx ou en .csv.")
        )
    if head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z")) or (
        b"\x00" in head
    ):
        raise ManifestError(_("Type de fichier non pris en charge : envoyez un fichier CSV ou XLSX."))
    return "csv"


def _detect_encoding(fileobj) -> str:
    """UTF-8 (BOM or not) when the whole file decodes as such, cp1252 otherwise; mixed files are refused."""
    fileobj.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := fileobj.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        fileobj.seek(0)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    fileobj.seek(0)
    tail = b""
    while chunk := fileobj.read(1 << 20):
        if UTF8_SEQUENCE.search(tail + chunk):
            raise ManifestError(
                _(
                    "Le fichier mélange plusieurs encodages (UTF-8 et Windows-1252) : "
                    "enregistrez-le à nouveau en « CSV UTF-8 »."
                )
            )
        tail = chunk[-4:]
    fileobj.seek(0)
    try:
        decoder = codecs.getincrementaldecoder("cp1252")()
        while chunk := fileobj.read(1 << 20):
            decoder.decode(chunk)
    except UnicodeDecodeError as exc:
        raise ManifestError(
            _("Encodage non reconnu : enregistrez le fichier en « CSV UTF-8 » ou en Windows-1252.")
        ) from exc
    fileobj.seek(0)
    return "cp1252"


def _csv_rows(fileobj) -> Iterator[list]:
    encoding = _detect_encoding(fileobj)
    text = io.TextIOWrapper(fileobj, encoding=encoding, newline="")
    first = text.readline()
    if not first.strip():
        raise ManifestError(_("Le fichier est vide."))
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0:
        delimiter = ";"
    reader = csv.reader(io.StringIO(first), delimiter=delimiter)
    yield next(reader)
    try:
        yield from csv.reader(text, delimiter=delimiter)
    except csv.Error as exc:
        raise ManifestError(_("Fichier CSV illisible : %(error)s") % {"error": exc}) from exc
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
        raise ManifestError(
            _(
                "Ce fichier XLSX est incomplet ou endommagé : ouvrez-le dans votre tableur et enregistrez-le à nouveau."
            )
        ) from exc
    with archive:
        members = archive.infolist()
        names = {member.filename for member in members}
        if "xl/workbook.xml" not in names:
            raise ManifestError(_("Type de fichier non pris en charge : envoyez un fichier CSV ou XLSX."))
        total = 0
        for member in members:
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1_000_000 and ratio > MAX_COMPRESSION_RATIO:
                raise ManifestError(
                    _("Ce fichier XLSX est anormalement compressé : il est refusé par sécurité.")
                )
        if total > MAX_UNZIPPED_BYTES:
            raise ManifestError(_("Ce fichier XLSX est trop volumineux une fois décompressé."))
    fileobj.seek(0)


def _xlsx_rows(fileobj) -> Iterator[list]:
    import openpyxl

    check_zip(fileobj)
    try:
        # read_only streams the sheet; data_only returns cached values, so a formula is never evaluated.
        workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, zlib.error) as exc:
        raise ManifestError(_("Ce fichier XLSX est incomplet ou endommagé.")) from exc
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(v) for v in values]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, zlib.error) as exc:
        raise ManifestError(_("Ce fichier XLSX est incomplet ou endommagé.")) from exc
    finally:
        workbook.close()


def read_manifest(fileobj) -> Iterator[Row]:
    """Yield validated rows (row numbers as in the spreadsheet: the header is row 1).

    Raises ManifestError for a problem with the whole file, possibly after some rows were yielded (a
    truncated XLSX is only noticed while reading): callers must not write anything before the end.
    """
    fileobj.seek(0)
    kind = sniff_kind(fileobj.read(8))
    fileobj.seek(0)
    lines = _xlsx_rows(fileobj) if kind == "xlsx" else _csv_rows(fileobj)
    try:
        yield from _rows(lines)
    finally:
        # Close the reader before the caller closes the file (its cleanup touches the file).
        lines.close()


def _rows(lines) -> Iterator[Row]:
    header = None
    for raw in lines:
        if any(cell.strip() for cell in raw):
            header = map_headers(raw)
            break
    if header is None:
        raise ManifestError(_("Le fichier est vide."))
    number, count = 1, 0
    for raw in lines:
        number += 1
        if not any((cell or "").strip() for cell in raw):
            continue
        count += 1
        if count > MAX_ROWS:
            raise ManifestError(
                _("Le fichier dépasse %(max)s lignes : découpez-le en plusieurs manifestes.")
                % {"max": f"{MAX_ROWS:,}".replace(",", " ")}
            )
        cells = {}
        extra = False
        for index, cell in enumerate(raw):
            name = header[index] if index < len(header) else None
            if name is None:
                extra = extra or bool(str(cell).strip())
                continue
            cells[name] = str(cell).strip()
        row = validate_row(number, cells)
        if extra:
            row.errors.append(
                {"row": number, "field": "", "message": _("Cette ligne a plus de valeurs que d’en-têtes.")}
            )
        yield row
    if count == 0:
        raise ManifestError(_("Le fichier ne contient que des en-têtes : aucune ligne d’appareil."))


# --- exports -----------------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A text cell a spreadsheet would read as a formula is exported with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
