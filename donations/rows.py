"""One row of a donor's manifest, from text cells to LotItem values with its problems per field.

Shared by the file import (donations.manifest) and the items typed in the form or sent to the API
(donations.services.add_items), so that a row is refused for the same reasons whichever way it came.
"""

import functools
import re
from dataclasses import dataclass, field
from datetime import date

from donations import texts
from donations.exports.aliases import fold
from donations.exports.columns import SIZE_FIELDS
from donations.exports.types import infer_type, is_platform, known_type
from donations.exports.values import implausible, number, split_size, year_of
from reuse import bounds
from reuse import texts as file_texts
from reuse.errors import row_problem
from reuse.serials import excel_rewrite, is_placeholder_serial
from reuse.units import to_gb

MAX_LENGTHS = {
    "brand": 80,
    "model": 120,
    "serial": 100,
    "asset_tag": 60,
    "cpu": 120,
    "os": 60,
    "condition": 200,
}
# What firmware writes as the maker or the model when nobody set one (SCCM, OCS and GLPI copy it from the BIOS):
# no maker, no model (the type then comes from the chassis, the OS or the donor).
PLACEHOLDER_NAMES = {"to be filled by o e m", "system manufacturer", "system product name", "default string"}
HARD_LIMITS = {"ram_gb": bounds.RAM_GB.high, "storage_gb": bounds.STORAGE_GB.high}
UNREADABLE_YEAR = {"year": texts.YEAR_UNREADABLE, "purchase_date": texts.PURCHASE_DATE_UNREADABLE}


@dataclass
class Row:
    number: int
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    # How the type was found ("column", "synonym", "os", "model", "choice") and, when it was not, the key
    # of the value the donor can map on the mapping page ("" for rows without any type or model).
    # type_raw is the value shown for it: the type cell, or the model when the type cell named no type.
    type_basis: str = ""
    type_raw: str = ""
    unknown_type: str | None = None


class TypeResolver:
    """Device type of a row, from its type cell, its OS and model; answers are cached per distinct input."""

    def __init__(self, choices: dict | None = None):
        # Folded raw value -> type, from the donor's choices ("" for rows without any type).
        self.choices = choices or {}
        self.cache: dict = {}

    def __call__(self, raw_type: str, os: str, model: str, brand: str) -> tuple[str, str, str | None, str]:
        """(type, basis, key of the question when none, the value shown for it)."""
        key = (raw_type, os, model, brand)
        if key not in self.cache:
            self.cache[key] = self._resolve(raw_type, os, model, brand)
        return self.cache[key]

    def _resolve(self, raw_type, os, model, brand):
        folded = fold(raw_type)
        if raw_type and not is_platform(raw_type):
            if folded in self.choices:
                return self.choices[folded], "choice", None, raw_type
            kind = known_type(raw_type)
            if kind:
                return kind, "column" if folded == kind else "synonym", None, raw_type
            return "", "", folded, raw_type
        # No type, or a platform ("Windows", "Apple Mac"): the OS and the model tell.
        kind, basis = infer_type(os=os or raw_type, model=model, brand=brand)
        if kind:
            return kind, basis, None, raw_type
        # Nothing tells: the question is asked per model (« 11DA0035FR » and « 3UP63EA » under « Windows »
        # are not one type), and an answer given before for the type cell or for all rows still applies.
        model_key = fold(model)
        if model_key in PLACEHOLDER_NAMES:
            model_key = ""
        if model_key and model_key in self.choices:
            return self.choices[model_key], "choice", None, model.strip()
        if folded in self.choices:
            return self.choices[folded], "choice", None, raw_type
        if model_key:
            return "", "", model_key, model.strip()
        return "", "", folded, raw_type


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


def _year(text: str) -> int | None:
    """The year a year or date cell gives, None when unreadable or not between 1980 and next year."""
    try:
        year = year_of(text)
    except ValueError:
        return None
    return year if 1980 <= year <= date.today().year + 1 else None


def validate_row(number_: int, raw: dict, *, units: dict | None = None, resolve=None) -> Row:
    """Turn one row of text cells (keyed by manifest column) into LotItem values, with its problems as codes
    (donations.texts), written out in the reader's language when shown."""
    units = units or {}
    resolve = resolve or DEFAULT_RESOLVER
    row = Row(number=number_)
    values = row.values

    def fail(name, said):
        row.errors.append(row_problem(number_, name, said))

    kind_text = raw.get("type", "").strip()
    kind, basis, unknown, shown = resolve(
        kind_text, raw.get("os", ""), raw.get("model", ""), raw.get("brand", "")
    )
    row.type_basis, row.type_raw, row.unknown_type = basis, shown, unknown
    if not kind and not kind_text:
        fail("type", texts.TYPE_REQUIRED())
    elif not kind:
        fail("type", texts.TYPE_UNKNOWN(value=kind_text[:40]))
    values["type"] = kind or ""
    for name, limit in MAX_LENGTHS.items():
        text = raw.get(name, "")
        if name in ("brand", "model") and fold(text) in PLACEHOLDER_NAMES:
            text = ""
        if name == "serial":
            if text and is_placeholder_serial(text):
                # The BIOS's "To be filled by O.E.M." is no serial: a hundred unbranded PCs would share it.
                row.warnings.append(row_problem(number_, "serial", texts.PLACEHOLDER_SERIAL(value=text[:40])))
                text = ""
            if rewrite := excel_rewrite(text):
                # What Excel left of the serial: storing it would give the donor a device that is not theirs.
                fail(name, file_texts.EXCEL_REWRITES[rewrite](value=text[:40]))
                text = ""
            text = re.sub(r"\s+", "", text)
        if len(text) > limit:
            fail(name, texts.TOO_LONG(limit=limit))
            text = text[:limit]
        values[name] = text
    # A year column wins over a purchase date; either gives the year, with the message of the column read.
    name = "year" if raw.get("year", "") else "purchase_date"
    text = raw.get(name, "")
    values["year"] = _year(text) if text else None
    if text and values["year"] is None:
        fail(name, UNREADABLE_YEAR[name](value=text[:20]))
    for name in SIZE_FIELDS:
        text = raw.get(name, "")
        values[name] = None
        if text:
            try:
                values[name] = _size(text, name, units.get(name, ""))
            except (ValueError, KeyError):
                fail(name, texts.NOT_A_SIZE(value=text[:20]))
    quantity_text = raw.get("quantity", "")
    values["quantity"] = 1
    if quantity_text:
        try:
            quantity = number(quantity_text)
        except ValueError:
            quantity = None
        if quantity is None or quantity < 1 or not float(quantity).is_integer() or quantity > 10_000:
            fail("quantity", texts.BAD_QUANTITY())
        else:
            values["quantity"] = int(quantity)
    if values["serial"] and values["quantity"] != 1:
        fail("quantity", texts.SERIAL_QUANTITY())
    value_text = raw.get("net_book_value", "")
    values["net_book_value_cents"] = 0
    if value_text:
        try:
            euros = number(re.sub(r"(?i)€|eur(os)?", "", value_text))
        except ValueError:
            euros = None
        if euros is None or euros < 0:
            fail("net_book_value", texts.BAD_BOOK_VALUE())
        elif round(euros * 100) > bounds.BOOK_VALUE_CENTS.high:
            fail("net_book_value", texts.BOOK_VALUE_ABOVE(max=bounds.BOOK_VALUE_CENTS.high))
        else:
            values["net_book_value_cents"] = round(euros * 100)
    if not row.errors:
        for name, said in implausible(values):
            row.warnings.append(row_problem(number_, name, said))
    return row
