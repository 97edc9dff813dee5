"""Values as asset tools write them, read as the manifest stores them (device types: donations.exports.types).

- Sizes: "8", "8 Go", "512 GB", "0,5 To", "8192 Mio"; a column's unit comes from its header, its values'
  suffixes or their magnitude (a laptop's storage of 244,198 is in MB, not GB).
- Dates: dd/mm/yyyy, yyyy-mm-dd, Excel date cells and Excel serial numbers; only the year is kept.
- Plausibility: a laptop with 0 GB of RAM or 40 TB of storage is a warning the donor confirms, never silent.
"""

import functools
import re
import statistics
from datetime import date, timedelta

from donations import texts
from donations.enums import SizeUnit
from donations.exports.aliases import fold
from inventory.enums import DeviceType as T

# --- sizes --------------------------------------------------------------------------------------------

UNIT_WORDS = {
    "octets": SizeUnit.BYTES,
    "bytes": SizeUnit.BYTES,
    "b": SizeUnit.BYTES,
    "o": SizeUnit.BYTES,
    "ko": SizeUnit.KB,
    "kb": SizeUnit.KB,
    "kio": SizeUnit.KB,
    "kib": SizeUnit.KB,
    "mo": SizeUnit.MB,
    "mb": SizeUnit.MB,
    "mio": SizeUnit.MB,
    "mib": SizeUnit.MB,
    "m": SizeUnit.MB,
    "go": SizeUnit.GB,
    "gb": SizeUnit.GB,
    "gio": SizeUnit.GB,
    "gib": SizeUnit.GB,
    "g": SizeUnit.GB,
    "to": SizeUnit.TB,
    "tb": SizeUnit.TB,
    "tio": SizeUnit.TB,
    "tib": SizeUnit.TB,
    "t": SizeUnit.TB,
}
NUMBER_WITH_UNIT = re.compile(r"^\s*([-+]?[\d\s\u00a0\u202f.,]*\d)\s*([a-zA-Zé]*)\s*$")


def number(text: str) -> float:
    """'8', '1,5', '1 000', '1.000,5' -> a float; ValueError when not a number."""
    text = str(text).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not text:
        raise ValueError("empty")
    if "," in text and "." in text:
        # "1.000,50" (French) or "1,000.50" (English): the last separator is the decimal one.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    return float(text)


def split_size(text: str) -> tuple[float, str]:
    """'512 Go' -> (512.0, 'gb'); '8192' -> (8192.0, ''); ValueError when not a size."""
    match = NUMBER_WITH_UNIT.match(str(text))
    if not match:
        raise ValueError(text)
    value = number(match.group(1))
    suffix = fold(match.group(2))
    if suffix and suffix not in UNIT_WORDS:
        raise ValueError(text)
    return value, UNIT_WORDS.get(suffix, "")


def unit_from_magnitude(field: str, values: list[float]) -> str:
    """The unit a column of plain numbers is in, from the median of its values ("" when they look like GB)."""
    if not values:
        return ""
    middle = statistics.median(values)
    if field == "ram_gb":
        if middle > 64 * 1024**2:
            return SizeUnit.BYTES
        if middle > 512:
            return SizeUnit.MB
        return ""
    if middle > 50_000_000:
        return SizeUnit.BYTES
    if middle > 16_000:
        return SizeUnit.MB
    return ""


# --- dates --------------------------------------------------------------------------------------------

EXCEL_EPOCH = date(1899, 12, 30)
DATE_PATTERNS = [
    # "2021.03.01." is Snipe-IT's « Y.m.d. » display format.
    re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})\.?(?:[ T].*)?$"),
    re.compile(r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4}|\d{2})(?:[ T].*)?$"),
]
# Dates with the month in words, as Snipe-IT displays and exports them (« D M d, Y » "Mon Mar 01, 2021",
# « M j, Y » "Mar 1, 2021", « d M, Y » "01 Mar, 2021"), in English or French; matched once folded.
WORDED_DATE = re.compile(
    r"^(?:[a-z]{3,9} )?(?:\d{1,2} )?(?P<month>[a-z]{3,9}) (?:\d{1,2} )?(?P<y>\d{4})(?: .*)?$"
)
MONTH_WORDS = (
    "jan feb fev fevr mar apr avr may mai jun jui jul juil aug aou sep sept oct nov dec "
    "janvier fevrier mars avril juin juillet aout septembre octobre novembre decembre "
    "january february march april june july august september october november december"
).split()


@functools.lru_cache(maxsize=4096)
def year_of(text: str) -> int:
    """The year of a date or a year as spreadsheets write them; ValueError when it is neither."""
    text = str(text).strip()
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            day, month, year = int(match["d"]), int(match["m"]), int(match["y"])
            if len(match["y"]) == 2:
                year += 2000 if year < 70 else 1900
            # Only the year is kept: a US "03/25/2021" is as good as a French "25/03/2021".
            if not (1 <= month <= 12 and 1 <= day <= 31) and not (1 <= day <= 12 and 1 <= month <= 31):
                raise ValueError(text)
            return year
    worded = WORDED_DATE.match(fold(text))
    if worded and worded["month"] in MONTH_WORDS:
        return int(worded["y"])
    serial = re.fullmatch(r"(\d{5})(?:[.,]\d+)?", text)
    if serial and 20_000 <= int(serial.group(1)) <= 80_000:
        # An Excel date stored as a plain number (a "Date d'achat" column formatted as General).
        return (EXCEL_EPOCH + timedelta(days=int(serial.group(1)))).year
    raise ValueError(text)


# --- plausibility ---------------------------------------------------------------------------------------

COMPUTERS = (T.LAPTOP, T.DESKTOP)
HANDHELDS = (T.TABLET, T.SMARTPHONE)
PLAUSIBLE = {
    ("ram_gb", COMPUTERS): (1, 256),
    ("ram_gb", HANDHELDS): (1, 32),
    ("storage_gb", COMPUTERS): (16, 16_000),
    ("storage_gb", HANDHELDS): (8, 2048),
}
MAX_PLAUSIBLE_VALUE_CENTS = 5000_00
MIN_PLAUSIBLE_YEAR = 2005


def implausible(values: dict) -> list[tuple[str, str]]:
    """(field, text to store: donations.texts) for each value that is possible but unlikely for this type of
    device."""
    found = []
    kind = values.get("type", "")
    for (name, kinds), (low, high) in PLAUSIBLE.items():
        value = values.get(name)
        if value is None or kind not in kinds:
            continue
        if not low <= value <= high:
            found.append((name, texts.UNUSUAL_SIZE(label=name, value=value, low=low, high=high)))
    if values.get("net_book_value_cents", 0) > MAX_PLAUSIBLE_VALUE_CENTS:
        found.append(("net_book_value", texts.UNUSUAL_BOOK_VALUE(value=values["net_book_value_cents"])))
    year = values.get("year")
    if year is not None and year < MIN_PLAUSIBLE_YEAR:
        found.append(("year", texts.UNUSUAL_YEAR(year=year)))
    return found
