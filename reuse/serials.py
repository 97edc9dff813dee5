"""Serial numbers that are not serial numbers: what firmware writes when the maker set none ("To be filled by
O.E.M.", "Default string", "System Serial Number"), or what a tool writes to mask one ("XXXXXXXX", "00000000").
Donors' asset tools export them as read from the BIOS, and erasure and snapshot tools print them: both sides
read them as no serial at all (a hundred unbranded PCs do not share one serial)."""

import re
from collections import Counter
from collections.abc import Iterable

from django.db import models

from reuse import texts
from reuse.errors import InvalidInput
from reuse.fields import VisibleFieldMixin, visible_text

# Serials firmware writes when nobody set one, or that a tool masked: no serial at all.
PLACEHOLDER_SERIALS = {
    "",
    "0",
    "none",
    "null",
    "unknown",
    "not specified",
    "not applicable",
    "default string",
    "system serial number",
    "to be filled by o e m",
    "0123456789",
    "123456789",
    "xxxxxxxxxxxxxxx",
    "chassis serial number",
    "base board serial number",
}


# What Excel leaves of a serial it read as a number or a date, then saved as it shows it (Microsoft's « Keeping
# leading zeros and large numbers », « Display numbers in scientific (exponential) notation », « Stop
# automatically changing numbers to dates »): past 11 digits a General cell shows « 1,23457E+11 », and a
# workbook keeps 15 significant digits (reuse.workbooks.cell_text writes a longer number the same way); « 1-2 »
# becomes the 1st of February, saved as « 01-févr » or, from a date cell, « 01/02/2026 ». The digits are lost.
EXCEL_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d+)?E[+-]\d+", re.IGNORECASE)
_MONTHS = (
    "janv|févr|fevr|mars|avr|mai|juin|juil|août|aout|sept|oct|nov|déc|dec|jan|feb|mar|apr|may|jun|jul|aug|sep"
)
EXCEL_DATE = re.compile(
    rf"\d{{1,2}}[-/ ](?:{_MONTHS})\.?(?:[-/ ]\d{{2,4}})?|(?:{_MONTHS})\.?-\d{{2,4}}"
    r"|\d{1,2}/\d{1,2}/\d{4}(?: \d{1,2}:\d{2})?",
    re.IGNORECASE,
)
ASCII_DIGITS = re.compile(r"[0-9]+")  # ASCII digits only ("²" is a digit to Python)


def excel_rewrite(value) -> str:
    """ "scientific" or "date" when a serial cell holds what Excel wrote in place of the serial, "" otherwise.
    Such a row is refused wherever serials are imported: the real serial cannot be told from what is left."""
    text = " ".join(visible_text(str(value or "")).split())
    if EXCEL_SCIENTIFIC.fullmatch(text):
        return "scientific"
    if EXCEL_DATE.fullmatch(text):
        return "date"
    return ""


def checked_serial(value) -> str:
    """`serial_text(value)`, refused (InvalidInput) when it is what Excel wrote in place of a serial: for the
    services that write a device's serial whichever way it came (its page, the API, a check-in)."""
    if rewrite := excel_rewrite(value):
        raise InvalidInput(texts.EXCEL_REWRITES[rewrite], params={"value": str(value)[:40]})
    return serial_text(value)


def short_of_zeros(serials: Iterable[str]) -> dict[str, int]:
    """The serials made only of digits that are shorter than the length most such serials of the file share
    (by at least two of them), each with that length: Excel drops a number's leading zeros, « 004512345678 »
    becomes « 4512345678 ». Only a warning: a fleet may mix makers whose serials differ in length."""
    digits = [serial for serial in serials if ASCII_DIGITS.fullmatch(serial)]
    lengths = Counter(len(serial) for serial in digits)
    if not lengths:
        return {}
    usual, count = max(lengths.items(), key=lambda item: (item[1], item[0]))
    if count < 2:
        return {}
    return {serial: usual for serial in digits if len(serial) < usual}


def is_placeholder_serial(value) -> bool:
    key = re.sub(r"[^a-z0-9]+", " ", str(value or "").lower()).strip()
    return key in PLACEHOLDER_SERIALS or set(key) <= {"x", " "} or set(key) <= {"0", " "}


def serial_text(value) -> str:
    """A serial as it is stored and looked up: without invisible characters (a zero-width space pasted from a web
    page), its spaces trimmed and collapsed, and "" for a placeholder. Every path that finds a device or a drive
    by serial goes through it (check-in, stock import, API, snapshots, erasure records), and looks the result up
    without regard to case (`serial__iexact`): « c02x » typed by hand is the « C02X » a tool read."""
    text = " ".join(visible_text(str(value or "")).split())
    return "" if is_placeholder_serial(text) else text


def serial_key(value) -> str:
    """What two serials are compared by: without spaces, in capitals ("" for a placeholder)."""
    return "".join(serial_text(value).split()).upper()


class SerialField(VisibleFieldMixin, models.CharField):
    """A serial number (a device's, a drive's, a manifest line's): stored as `serial_text`, whichever path writes
    it (a site or admin form, the API, an import, `QuerySet.update`, `bulk_create`), since the rule sits at the
    field every write goes through."""

    made_visible = staticmethod(serial_text)


def clean_stored_serials(apps, app_label: str, model_name: str, owner: str, *, write: bool = True) -> None:
    """For a migration that makes the serials of one owner (a lot, a device) unique whatever their case, or that
    stores them as `serial_text`: the serials stored before, each as `serial_text` makes it (when `write`).
    Two rows of one owner whose serials only case, spaces or invisible characters set apart (« c02x » typed by
    hand, « C02X » read by a tool) would break the constraint: the migration stops before writing anything,
    naming both for staff to correct one. They are never merged: each device has its own history, erasures and
    claims, and two drives of one machine are not proved the same by their serials alone. A serial that is only
    a firmware placeholder where one is required (a drive's) stops it the same way."""
    model = apps.get_model(app_label, model_name)
    required = not model._meta.get_field("serial").blank
    rows = list(model.objects.order_by("pk").values_list("pk", owner, "serial"))
    seen: dict[tuple, tuple] = {}
    for pk, owner_pk, serial in rows:
        text = serial_text(serial)
        if required and not text:
            raise ValueError(
                f"{model._meta.label} {pk}: its serial {serial!r} is no serial (a firmware placeholder or blank). "
                f"Correct it, then migrate again."
            )
        if not text or owner_pk is None:
            continue
        first = seen.setdefault((owner_pk, text.upper()), (pk, serial))
        if first[0] != pk:
            raise ValueError(
                f"{model._meta.label} {first[0]} and {model._meta.label} {pk} ({owner} {owner_pk}): their serials "
                f"{first[1]!r} and {serial!r} are one serial whatever the case, spaces or invisible characters. "
                f"Correct one of them in the admin, then migrate again."
            )
    for pk, _owner_pk, serial in rows if write else ():
        if serial_text(serial) != serial:
            model.objects.filter(pk=pk).update(serial=serial_text(serial))
