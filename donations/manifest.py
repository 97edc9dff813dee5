"""Reading a donor's manifest (CSV or XLSX, as exported by an asset tool) as a stream of validated rows.

Files come from asset tools and French spreadsheets: `;` or `,` separators, UTF-8 with or without BOM or
cp1252, French or English headers, a title row above the headers, columns the manifest does not use (listed,
ignored). `donations.exports` says which column holds what and how values read; nothing here touches the
database: `ManifestReader.rows` yields rows and the import service decides what to write, so a bad file can
always be refused before anything is written.
"""

import codecs
import contextlib
import csv
import functools
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from donations.enums import ManifestColumn
from donations.exports.aliases import fold
from donations.exports.columns import SIZE_FIELDS, Plan, plan_columns, shown
from donations.exports.values import (
    cell_text,
    implausible,
    infer_type,
    is_platform,
    known_type,
    number,
    split_size,
    to_gb,
    unit_from_magnitude,
    year_of,
)
from reuse import filekinds

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
# A real manifest of 100,000 rows unzips to well under this; a zip bomb does not.
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ERRORS_KEPT = 1000
# Rows read before deciding the unit of a size column from its values; and rows shown on the mapping page.
UNIT_SAMPLE_ROWS = 500
PREVIEW_ROWS = 5
# A title or a blank line may come before the header row: the header is looked for in the first rows.
HEADER_SEARCH_ROWS = 10

LABELS = {
    "type": "type d’appareil",
    "brand": "marque",
    "model": "modèle",
    "serial": "numéro de série",
    "asset_tag": "numéro d’inventaire",
    "year": "année",
    "purchase_date": "date d’achat",
    "cpu": "processeur",
    "os": "système",
    "ram_gb": "mémoire",
    "storage_gb": "stockage",
    "condition": "état",
    "quantity": "quantité",
    "net_book_value": "valeur nette comptable",
}
MAX_LENGTHS = {
    "brand": 80,
    "model": 120,
    "serial": 100,
    "asset_tag": 60,
    "cpu": 120,
    "os": 60,
    "condition": 200,
}
HARD_LIMITS = {"ram_gb": 4096, "storage_gb": 1_000_000}


class ManifestError(Exception):
    """The whole file is unusable (type, encoding, size, columns): nothing is imported."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


class NeedsColumns(ManifestError):
    """The header row was not recognised with confidence: the donor confirms the columns first."""

    def __init__(self, plan: Plan, preview: list[list[str]], header_number: int = 1):
        self.plan = plan
        self.preview = preview
        self.header_number = header_number
        super().__init__(" ".join(plan.reasons))


@dataclass
class Row:
    number: int
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    # How the type was found ("column", "synonym", "os", "model", "choice") and, when it was not, the key
    # of the value the donor can map on the mapping page ("" for rows without any type).
    type_basis: str = ""
    type_raw: str = ""
    unknown_type: str | None = None


# --- values ----------------------------------------------------------------------------------------


class TypeResolver:
    """Device type of a row, from its type cell, its OS and model; answers are cached per distinct input."""

    def __init__(self, choices: dict | None = None):
        # Folded raw value -> type, from the donor's choices ("" for rows without any type).
        self.choices = choices or {}
        self.cache: dict = {}

    def __call__(self, raw_type: str, os: str, model: str, brand: str) -> tuple[str, str, str | None]:
        key = (raw_type, os, model, brand)
        if key not in self.cache:
            self.cache[key] = self._resolve(raw_type, os, model, brand)
        return self.cache[key]

    def _resolve(self, raw_type, os, model, brand):
        folded = fold(raw_type)
        if raw_type and not is_platform(raw_type):
            if folded in self.choices:
                return self.choices[folded], "choice", None
            kind = known_type(raw_type)
            if kind:
                return kind, "column" if folded == kind else "synonym", None
            return "", "", folded
        # No type, or a platform ("Windows", "Apple Mac"): the OS and the model tell.
        kind, basis = infer_type(os=os or raw_type, model=model, brand=brand)
        if kind:
            return kind, basis, None
        if folded in self.choices:
            return self.choices[folded], "choice", None
        return "", "", folded


DEFAULT_RESOLVER = TypeResolver()


@functools.lru_cache(maxsize=4096)
def _size(text: str, name: str, unit: str):
    """A size cell in GB with the column's unit; ValueError when unreadable or out of bounds."""
    value, suffix = split_size(text)
    if value < 0:
        raise ValueError(text)
    gigabytes = to_gb(name, value, suffix or unit)
    if gigabytes > HARD_LIMITS[name]:
        raise ValueError(text)
    return gigabytes


def validate_row(number_: int, raw: dict, *, units: dict | None = None, resolve=None) -> Row:
    """Turn one row of text cells (keyed by manifest column) into LotItem values, with French messages."""
    units = units or {}
    resolve = resolve or DEFAULT_RESOLVER
    row = Row(number=number_)
    values = row.values

    def fail(name, message):
        row.errors.append({"row": number_, "field": LABELS.get(name, name), "message": message})

    kind_text = raw.get("type", "").strip()
    kind, basis, unknown = resolve(kind_text, raw.get("os", ""), raw.get("model", ""), raw.get("brand", ""))
    row.type_basis, row.type_raw, row.unknown_type = basis, kind_text, unknown
    if not kind and not kind_text:
        fail("type", _("Le type d’appareil est obligatoire."))
    elif not kind:
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
    values["year"] = None
    year_text = raw.get("year", "")
    date_text = raw.get("purchase_date", "")
    if year_text:
        try:
            year = year_of(year_text)
        except ValueError:
            year = None
        if year is None or not 1980 <= year <= date.today().year + 1:
            fail("year", _("Année « %(value)s » invalide (ex. 2019).") % {"value": year_text[:20]})
        else:
            values["year"] = year
    elif date_text:
        try:
            year = year_of(date_text)
        except ValueError:
            year = None
        if year is None or not 1980 <= year <= date.today().year + 1:
            fail(
                "purchase_date",
                _("Date d’achat « %(value)s » illisible (ex. 01/03/2021).") % {"value": date_text[:20]},
            )
        else:
            values["year"] = year
    for name in SIZE_FIELDS:
        text = raw.get(name, "")
        values[name] = None
        if text:
            try:
                values[name] = _size(text, name, units.get(name, ""))
            except (ValueError, KeyError):
                fail(
                    name,
                    _("« %(value)s » n’est pas une taille en Go (ex. 8 ou 8 Go).") % {"value": text[:20]},
                )
    quantity_text = raw.get("quantity", "")
    values["quantity"] = 1
    if quantity_text:
        try:
            quantity = number(quantity_text)
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
            euros = number(re.sub(r"(?i)€|eur(os)?", "", value_text))
        except ValueError:
            euros = None
        if euros is None or euros < 0:
            fail("net_book_value", _("La valeur nette comptable doit être un montant en euros (ex. 12,50)."))
        else:
            values["net_book_value_cents"] = round(euros * 100)
    if not row.errors:
        for name, message in implausible(values):
            row.warnings.append({"row": number_, "field": LABELS.get(name, name), "message": message})
    return row


# --- reading files ---------------------------------------------------------------------------------

UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
SPREADSHEET_KINDS = ("csv", "xlsx")


def sniff_kind(fileobj) -> str:
    """csv or xlsx; anything else is refused in one line naming what the file looks like."""
    fileobj.seek(0)
    head = fileobj.read(filekinds.HEAD_BYTES)
    fileobj.seek(0)
    kind = filekinds.sniff(head, fileobj)
    if kind == "empty":
        raise ManifestError(_("Le fichier est vide."))
    if kind == "xls":
        raise ManifestError(
            _("Ancien format Excel (.xls) non pris en charge : enregistrez le fichier en .xlsx ou en .csv.")
        )
    if kind not in SPREADSHEET_KINDS:
        raise ManifestError(
            _(
                "Type de fichier non pris en charge : ce fichier ressemble à %(what)s, pas à un tableur ; "
                "envoyez un fichier CSV ou XLSX."
            )
            % {"what": filekinds.describe(kind)}
        )
    return kind


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
        raise ManifestError(_("Fichier CSV illisible : %(error)s") % {"error": str(exc)[:100]}) from exc
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
            yield [cell_text(v) for v in values]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, zlib.error) as exc:
        raise ManifestError(_("Ce fichier XLSX est incomplet ou endommagé.")) from exc
    finally:
        workbook.close()


@dataclass
class Reading:
    """What the donor and the organisation decided about columns and values; empty reads automatically.

    `columns` and `saved_columns` map a folded header to a manifest column ("" to ignore it), `units` a folded
    header to a size unit, `types` a folded value to a device type ("" for rows without a type), `aliases` a
    folded header to a column (the staff's table). `confirmed` is True once the donor confirmed the columns.
    """

    columns: dict = field(default_factory=dict)
    saved_columns: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)
    types: dict = field(default_factory=dict)
    aliases: dict = field(default_factory=dict)
    confirmed: bool = False


class ManifestReader:
    """One pass over a file: `plan` (columns), `units` (per size column, with their basis), then `rows()`.

    Raises ManifestError for a problem with the whole file, possibly after some rows were yielded (a
    truncated XLSX is only noticed while reading): callers must not write anything before the end.
    """

    def __init__(self, fileobj, reading: Reading | None = None):
        self.fileobj = fileobj
        self.reading = reading or Reading()
        self.plan: Plan | None = None
        self.header_number = 1
        # {"ram_gb": {"unit": "mb", "basis": "header" | "values" | "choice" | ""}}
        self.units: dict[str, dict] = {}
        # The first data rows, shortened, for the mapping page.
        self.preview: list[list[str]] = []
        self.resolve = TypeResolver(self.reading.types)

    def _lines(self):
        kind = sniff_kind(self.fileobj)
        return _xlsx_rows(self.fileobj) if kind == "xlsx" else _csv_rows(self.fileobj)

    def _find_header(self, lines) -> tuple[list, list]:
        """The header row (the first of the first rows with at least two recognised columns) and the rows
        read before it that turned out to be data (when no row stood out, the first non-empty row)."""
        seen = []
        for raw in lines:
            seen.append(raw)
            if not any(str(cell).strip() for cell in raw):
                continue
            candidate = self._plan(raw)
            if len(candidate.used) >= 2:
                self.header_number = len(seen)
                self.plan = candidate
                return raw, []
            if len(seen) >= HEADER_SEARCH_ROWS:
                break
        for index, raw in enumerate(seen):
            if any(str(cell).strip() for cell in raw):
                self.header_number = index + 1
                self.plan = self._plan(raw)
                return raw, seen[index + 1 :]
        raise ManifestError(_("Le fichier est vide."))

    def _plan(self, header) -> Plan:
        reading = self.reading
        return plan_columns(
            header,
            choices=reading.columns,
            saved=reading.saved_columns,
            staff=reading.aliases,
            units=reading.units,
            default_type=reading.types.get("", ""),
        )

    def rows(self) -> Iterator[Row]:
        lines = self._lines()
        try:
            yield from self._rows(lines)
        finally:
            # Close the reader before the caller closes the file (its cleanup touches the file).
            lines.close()

    def _rows(self, lines) -> Iterator[Row]:
        header, pending = self._find_header(lines)
        plan = self.plan
        if plan.needs_confirmation and not self.reading.confirmed:
            preview = []
            for raw in itertools.chain(pending, lines):
                if any(str(cell).strip() for cell in raw):
                    preview.append([shown(cell) for cell in raw[: len(header)]])
                if len(preview) >= PREVIEW_ROWS:
                    break
            raise NeedsColumns(plan, preview, self.header_number)
        columns = [(match.index, match.field) for match in plan.matches if match.field]
        width = len(header)
        # Rows are numbered as in the spreadsheet; the unit sample is read before any row is validated.
        buffered, number_ = [], self.header_number
        for raw in pending:
            number_ += 1
            buffered.append((number_, raw))
        for raw in lines:
            number_ += 1
            buffered.append((number_, raw))
            if len(buffered) >= UNIT_SAMPLE_ROWS:
                break
        self._decide_units(buffered, columns)
        units = {name: info["unit"] for name, info in self.units.items()}
        count = 0

        def numbered():
            yield from buffered
            current = number_
            for raw in lines:
                current += 1
                yield current, raw

        for line_number, raw in numbered():
            if not any((cell or "").strip() for cell in raw):
                continue
            count += 1
            if len(self.preview) < PREVIEW_ROWS:
                self.preview.append([shown(cell) for cell in raw[:width]])
            if count > MAX_ROWS:
                raise ManifestError(
                    _("Le fichier dépasse %(max)s lignes : découpez-le en plusieurs manifestes.")
                    % {"max": f"{MAX_ROWS:,}".replace(",", " ")}
                )
            cells = {name: str(raw[index]).strip() for index, name in columns if index < len(raw)}
            row = validate_row(line_number, cells, units=units, resolve=self.resolve)
            if any(str(cell).strip() for cell in raw[width:]):
                row.errors.append(
                    {
                        "row": line_number,
                        "field": "",
                        "message": _("Cette ligne a plus de valeurs que d’en-têtes."),
                    }
                )
            yield row
        if count == 0:
            raise ManifestError(_("Le fichier ne contient que des en-têtes : aucune ligne d’appareil."))

    def _decide_units(self, buffered, columns) -> None:
        """Each size column's unit: the donor's choice or the header's, else the magnitude of its values."""
        for index, name in columns:
            if name not in SIZE_FIELDS:
                continue
            match = self.plan.matches[index]
            if match.unit:
                basis = "choice" if match.key in self.reading.units else "header"
                self.units[name] = {"unit": match.unit, "basis": basis}
                continue
            plain = []
            for _number, raw in buffered:
                if index < len(raw) and str(raw[index]).strip():
                    try:
                        value, suffix = split_size(raw[index])
                    except ValueError:
                        continue
                    if not suffix:
                        plain.append(value)
            unit = unit_from_magnitude(name, plain)
            self.units[name] = {"unit": unit, "basis": "values" if unit else ""}


def read_manifest(fileobj, reading: Reading | None = None) -> Iterator[Row]:
    """Yield validated rows (row numbers as in the spreadsheet)."""
    yield from ManifestReader(fileobj, reading).rows()


def column_label(name: str) -> str:
    return str(dict(ManifestColumn.choices).get(name, name))


# --- exports -----------------------------------------------------------------------------------------
