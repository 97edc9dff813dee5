"""Reading a donor's manifest (CSV or XLSX, as exported by an asset tool) as a stream of validated rows.

Files come from asset tools and French spreadsheets, read by `reuse.spreadsheets` (separators, encodings, XLSX,
damaged files); the header row may come below a title row, and columns the manifest does not use are listed and
ignored. `donations.exports` says which column holds what and how values read, `donations.rows` validates each
row; nothing here touches the database: `ManifestReader.rows` yields rows and the import service decides what to
write, so a bad file can always be refused before anything is written.
"""

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.functional import lazy

from donations import texts
from donations.exports.aliases import fold, tool_os, tool_type
from donations.exports.columns import SIZE_FIELDS, Plan, header_unit, plan_columns, shown
from donations.exports.values import split_size, unit_from_magnitude
from donations.rows import Row, TypeResolver, validate_row
from reuse import spreadsheets, uploads
from reuse.errors import render_text, row_problem
from reuse.lost_letters import lost_letters, row_lost_letters

MAX_BYTES = uploads.MANIFEST.max_bytes
MAX_ROWS = 100_000
MAX_ERRORS_KEPT = 1000
# Rows read before deciding the unit of a size column from its values; and rows shown on the mapping page.
UNIT_SAMPLE_ROWS = 500
PREVIEW_ROWS = 5
# The first words of the totals row a spreadsheet adds under its table (« Total », « Total général »…).
TOTAL_WORDS = ("total", "totaux", "sous total", "total general", "grand total", "somme", "sum")
IDENTIFYING = ("serial", "asset_tag", "brand", "model")

# The whole file is unusable (type, encoding, size, columns): nothing is imported.
ManifestError = spreadsheets.UnreadableFile


# GLPI's CSV export writes the values of a multi-valued column (two processors, two disks' models) joined by
# a literal "<br>" (Glpi\Search\Output\CSVSearchOutput::showItem replaces its line-break marker with it).
GLPI_BREAK = re.compile(r"\s*<br\s*/?>\s*", re.IGNORECASE)


def cell_value(cell) -> str:
    return GLPI_BREAK.sub(" / ", str(cell)).strip()


class NeedsColumns(ManifestError):
    """The header row was not recognised with confidence: the donor confirms the columns first."""

    def __init__(self, plan: Plan, preview: list[list[str]], header_number: int = 1):
        self.plan = plan
        self.preview = preview
        self.header_number = header_number
        super().__init__(lazy(render_text, str)(plan.reasons))
        # Stored as the plan's reasons (codes), written out in the donor's language when read.
        self.said = plan.reasons


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
        # Numbers of the totals rows skipped (they count devices, they are not one).
        self.totals: list[int] = []
        # Numbers of the rows that repeat the header (two exports pasted one under the other).
        self.repeated_headers: list[int] = []
        # Rows that repeat an earlier row with a serial, cell for cell: (row, the row it repeats). The same
        # device listed twice (two exports pasted together, a line copied) is one device, not a conflict.
        self.repeated_rows: list[tuple[int, int]] = []
        # What an ASCII export wrote « ? » for (« M?moire »): the headers, and the rows whose values hold one.
        self.lost_headers: list[str] = []
        self.lost_rows: list[int] = []
        # The first data rows, shortened, for the mapping page.
        self.preview: list[list[str]] = []
        self.resolve = TypeResolver(self.reading.types)

    def _find_header(self, lines) -> tuple[list, list]:
        """The header row (the first of the first rows with at least two recognised columns) and the rows
        read before it that turned out to be data (when no row stood out, the first non-empty row)."""
        self.header_number, header, pending = spreadsheets.find_header(
            lines, lambda raw: len(self._plan(raw).used) >= 2
        )
        self.plan = self._plan(header)
        return header, pending

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
        lines = spreadsheets.rows(self.fileobj)
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
                if not spreadsheets.is_blank(raw):
                    preview.append([shown(cell) for cell in raw[: len(header)]])
                if len(preview) >= PREVIEW_ROWS:
                    break
            raise NeedsColumns(plan, preview, self.header_number)
        columns = [(match.index, match.field) for match in plan.matches if match.field]
        width = len(header)
        # A console that only manages one system writes its version alone ("120.0.6099.235" for ChromeOS).
        system = tool_os(plan.tool)
        header_cells = [str(cell or "").strip() for cell in header]
        self.lost_headers = [shown(cell) for cell in header_cells if lost_letters(cell)]
        serial_index = next((index for index, name in columns if name == "serial"), None)
        seen_rows: dict[str, tuple[int, int]] = {}
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
        # A size column whose every sampled value is 0 says nothing: Microsoft Graph's device list writes
        # physicalMemoryInBytes as 0 unless each device is asked for it. Its zeros read as blanks, not as
        # devices without memory each needing the donor's confirmation.
        unknown_zero = {
            index for index, name in columns if name in SIZE_FIELDS and self._only_zeros(buffered, index)
        }
        count = 0

        def numbered():
            yield from buffered
            current = number_
            for raw in lines:
                current += 1
                yield current, raw

        for line_number, raw in numbered():
            if spreadsheets.is_blank(raw):
                continue
            if (
                str(raw[0] or "").strip() == header_cells[0]
                and [str(cell or "").strip() for cell in raw[:width]] == header_cells
            ):
                self.repeated_headers.append(line_number)
                continue
            count += 1
            if len(self.preview) < PREVIEW_ROWS:
                self.preview.append([shown(cell) for cell in raw[:width]])
            if count > MAX_ROWS:
                raise ManifestError(texts.TOO_MANY_ROWS, params={"max": MAX_ROWS})
            has_serial = serial_index is not None and serial_index < len(raw)
            serial = str(raw[serial_index] or "").strip() if has_serial else ""
            if serial:
                # Per serial, its first row and a fingerprint of its cells (not the cells: 100,000 rows).
                fingerprint = hash(tuple(str(cell or "").strip() for cell in raw[:width]))
                first, first_print = seen_rows.setdefault(serial, (line_number, fingerprint))
                if first != line_number and first_print == fingerprint:
                    self.repeated_rows.append((line_number, first))
                    continue
            cells = {name: cell_value(raw[index]) for index, name in columns if index < len(raw)}
            for index, name in columns:
                if index in unknown_zero and index < len(raw) and _reads_as_zero(raw[index]):
                    cells[name] = ""
            if row_lost_letters(cells.values()):
                self.lost_rows.append(line_number)
            if system:
                cells["os"] = f"{system} {cells.get('os', '')}".strip()
            if cells.get("type"):
                cells["type"] = tool_type(plan.tool, cells["type"])
            if self._is_totals(raw, cells):
                self.totals.append(line_number)
                continue
            row = validate_row(line_number, cells, units=units, resolve=self.resolve)
            if not spreadsheets.is_blank(raw[width:]):
                row.errors.append(row_problem(line_number, "", texts.EXTRA_VALUES()))
            yield row
        if count == 0:
            raise ManifestError(texts.HEADERS_ONLY)

    @staticmethod
    def _is_totals(raw, cells) -> bool:
        """A spreadsheet's totals row: its first filled cell says « Total » (or « Total général »…) and it names
        no device (no serial, inventory number, maker or model)."""
        first = next((str(cell).strip() for cell in raw if str(cell or "").strip()), "")
        folded = fold(first).rstrip(" s")
        if not any(folded == word or folded.startswith(word + " ") for word in TOTAL_WORDS):
            return False
        return not any(cells.get(name) for name in IDENTIFYING)

    @staticmethod
    def _only_zeros(numbered_rows, index) -> bool:
        """Whether the cells of column `index` that are filled all read as the number 0 (and some are filled)."""
        filled = [
            raw[index] for _number, raw in numbered_rows if index < len(raw) and str(raw[index]).strip()
        ]
        return bool(filled) and all(_reads_as_zero(cell) for cell in filled)

    def _decide_units(self, buffered, columns) -> None:
        """Each size column's unit: the donor's choice or the header's, else the magnitude of its values."""
        for index, name in columns:
            if name not in SIZE_FIELDS:
                continue
            match = self.plan.matches[index]
            if match.unit:
                basis = "choice" if match.key in self.reading.units else "header"
                if basis == "header" and not header_unit(match.header):
                    basis = "tool"  # the unit the tool always writes this column in
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


def _reads_as_zero(cell) -> bool:
    """Whether a filled cell reads as the size 0 (« 0 », « 0 Go »); an empty or unreadable one does not."""
    text = str(cell).strip()
    try:
        return bool(text) and split_size(text)[0] == 0
    except ValueError:
        return False
