"""The one way Rebond writes CSV: cells a spreadsheet would run as a formula are neutralised.

A cell starting with = + - @, a tab or a carriage return is a formula to Excel and LibreOffice ("CSV
injection"): it gets a leading apostrophe, which the spreadsheet shows as text. A plain number ("-12.5",
"+33148000000") runs nothing and is kept as it is, so that amounts and international phone numbers stay
numbers. Every export (stock, lot outcomes, manifests, the public open-data file) goes through here.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
# French Excel opens UTF-8 CSV correctly only with a byte order mark.
BOM = "\ufeff"


def neutralise(value):
    """The value itself, or a formula-looking text with a leading apostrophe. Non-text values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row: Iterable) -> list:
    return [neutralise(value) for value in row]


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows: Iterable[Iterable], *, delimiter: str = ";", bom: bool = True) -> Iterator[str]:
    """One CSV line a row, neutralised (for a streamed response)."""
    writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator="\r\n")
    for index, row in enumerate(rows):
        line = writer.writerow(safe_row("" if value is None else value for value in row))
        yield (BOM + line) if bom and index == 0 else line


def csv_text(
    rows: Iterable[Iterable], *, delimiter: str = ";", bom: bool = True, lineterminator="\r\n"
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator)
    for row in rows:
        writer.writerow(safe_row("" if value is None else value for value in row))
    return (BOM if bom else "") + buffer.getvalue()


def csv_bytes(rows: Iterable[Iterable], *, delimiter: str = ";", bom: bool = True) -> bytes:
    return csv_text(rows, delimiter=delimiter, bom=bom).encode("utf-8")
