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
