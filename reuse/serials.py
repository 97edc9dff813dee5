"""Serial numbers that are not serial numbers: what firmware writes when the maker set none ("To be filled by
O.E.M.", "Default string", "System Serial Number"), or what a tool writes to mask one ("XXXXXXXX", "00000000").
Donors' asset tools export them as read from the BIOS, and erasure and snapshot tools print them: both sides
read them as no serial at all (a hundred unbranded PCs do not share one serial)."""

import re

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


def is_placeholder_serial(value) -> bool:
    key = re.sub(r"[^a-z0-9]+", " ", str(value or "").lower()).strip()
    return key in PLACEHOLDER_SERIALS or set(key) <= {"x", " "} or set(key) <= {"0", " "}


def serial_text(value) -> str:
    """A serial as it is stored and looked up: its spaces trimmed and collapsed, and "" for a placeholder. Every
    path that finds a device or a drive by serial goes through it (check-in, stock import, API, snapshots,
    erasure records), and looks the result up without regard to case (`serial__iexact`): « c02x » typed by
    hand is the « C02X » a tool read."""
    text = " ".join(str(value or "").split())
    return "" if is_placeholder_serial(text) else text


def serial_key(value) -> str:
    """What two serials are compared by: without spaces, in capitals ("" for a placeholder)."""
    return "".join(serial_text(value).split()).upper()
