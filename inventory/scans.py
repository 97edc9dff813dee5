"""What a barcode or QR scanner typed into a field, read back as the code it scanned.

A handheld scanner is a keyboard: it types what it reads, then Enter. Two things come in that a technician never
typed on purpose:
- Rebond's own label is a QR code of the device page's address (inventory/services/labels.py): a 2D scanner types
  `https://…/atelier/appareils/7K3M9P/`, whatever host printed it. The tag is the last part of that path.
- Most scanners leave the factory set for a US (QWERTY) keyboard. Plugged into a computer set to French AZERTY,
  each key they press comes out as the AZERTY key at that place: the digits `1234567890` as `&é"'(-è_çà`, `A` as
  `Q`, `W` as `Z`, `M` as `?`, the `:` and `/` of an address as `M` and `!`. The scanner's manual fixes this with
  a setting; until someone finds it, the bench reads the code back.

And the makers' labels carry the serial inside a longer code (scan_readings): Apple's « (S) Serial No. » barcode
is « S » + serial, Lenovo's « 1S » + machine type-model + serial, GS1 labels hold it under application identifier
(21), a maker's QR code is a support-site address naming it, and a scanner may send its AIM symbology identifier
(« ]C1 ») first. One rule reads them, wherever a code is scanned (bench, check-in, stock search, API): the code
as scanned first, then what it may carry; a reading is kept when it alone finds a record (pick), or, to create
one, when the code's own structure proves the label's format (new_reading). When the code as scanned and a
reading of it find two different records, nobody guesses: the technician is asked.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from django.db.models import Q
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from stdnum import ean

from reuse.serials import serial_text

# Each AZERTY character a US-keyboard scanner produces, and the character it meant (the same key on a US layout).
_AZERTY_TO_US = str.maketrans(
    {
        "&": "1",
        "é": "2",
        '"': "3",
        "'": "4",
        "(": "5",
        "-": "6",
        "è": "7",
        "_": "8",
        "ç": "9",
        "à": "0",
        ")": "-",
        "°": "_",
        "a": "q",
        "A": "Q",
        "q": "a",
        "Q": "A",
        "z": "w",
        "Z": "W",
        "w": "z",
        "W": "Z",
        ",": "m",
        "?": "M",
        "m": ";",
        "M": ":",
        ";": ",",
        ".": "<",
        ":": ".",
        "/": ">",
        "!": "/",
        "§": "?",
        "ù": "'",
        "%": '"',
    }
)
# Characters that no serial number, asset tag or address holds, and that a US-keyboard scanner on AZERTY types
# for the digits and punctuation of any code: one of them is enough to read the whole code back.
_AZERTY_ONLY = frozenset("&é\"'(è_çà°§ù")
_AZERTY_ADDRESS = ("httpM!!", "httpsM!!", "HTTPM!!", "HTTPSM!!")
SCANNER_LAYOUT_NOTICE = _(
    "Code relu : le lecteur tape comme un clavier QWERTY sur ce poste AZERTY. Vérifiez le numéro de série, "
    "ou réglez le lecteur en AZERTY (voir son manuel)."
)


def from_us_scanner(code: str) -> str:
    """`code` as a US-keyboard scanner meant it, read from what it typed on an AZERTY computer."""
    return code.translate(_AZERTY_TO_US)


def typed_on_azerty(code: str) -> bool:
    """Whether `code` can only be a US-keyboard scanner's typing on an AZERTY computer. Such a scanner never
    types a digit (its digits come out as &é"'…): a code holding one was not, be it GS1's « (01)…(21)… »."""
    if any("0" <= char <= "9" for char in code):
        return False
    return code.startswith(_AZERTY_ADDRESS) or any(char in _AZERTY_ONLY for char in code)


def tag_in_address(code: str) -> str:
    """The asset tag a scanned device-page address names (Rebond's QR label), or "" if `code` is not one."""
    if "://" not in code:
        return ""
    path = urlsplit(code.strip()).path
    try:
        match = resolve(path)
    except Resolver404:
        return ""
    if match.view_name != "inventory:device":
        return ""
    return match.kwargs["tag"]


def read_scan(code: str) -> tuple[str, bool]:
    """(the code scanned, whether it was read back from a US-keyboard scanner on AZERTY): a scanned device-page
    address gives its tag; any other code comes back as it was typed, without surrounding blanks."""
    code = code.strip()
    corrected = typed_on_azerty(code)
    if corrected:
        code = from_us_scanner(code)
    return (tag_in_address(code) or code), corrected


# What each kind of label read back is called when the technician is told (the Reading's `label`).
LABEL_NAMES = {
    "aim": _("identifiant de symbologie ajouté par le lecteur"),
    "gs1": _("code GS1, identifiant (21) numéro de série"),
    "lenovo": _("étiquette Lenovo « 1S » : type-modèle puis numéro de série"),
    "address": _("adresse du QR code du fabricant"),
    "text": _("mention « S/N » de l’étiquette"),
    "apple": _("code-barres Apple « (S) Serial No. »"),
}
READ_AS = _("Code scanné « %(code)s » lu comme le numéro de série « %(serial)s » (%(label)s).")
# Apple's « (P) Part No. » barcode: « P » + a part number, which ends with its region (MGN63FN/A, MK1E3LL/A).
_PART_NUMBER = re.compile(r"(1?P)?[A-Z0-9]{4,8}/[A-Z]")
_AIM_IDENTIFIER = re.compile(r"\][A-Za-z][0-9A-Za-z]")
_GS1_AIM = ("]C1", "]d2", "]Q3", "]e0", "]J1")
# Lenovo: « 1S » + 4-character machine type + model (6 characters since 2013, 3 before) + serial (8, before 7).
_LENOVO = (re.compile(r"1S([0-9A-Z]{10})([0-9A-Z]{8})"), re.compile(r"1S([0-9A-Z]{7})([0-9A-Z]{7})"))
_SERIAL_TEXT = (("S/N:", True), ("S/N", True), ("SN:", True), ("SN", False))
_ADDRESS_KEYS = {"sn", "serial", "serialnumber", "serial_number", "servicetag", "service_tag", "st"}
# GS1 application identifiers a device's or its box's label holds: fixed length, or None (variable, ended by
# GS or by the code's end). GS1 General Specifications, section 3.
_GS1_AIS = {"00": 18, "01": 14, "02": 14, "11": 6, "12": 6, "13": 6, "15": 6, "16": 6, "17": 6, "20": 2}
_GS1_AIS |= dict.fromkeys(("10", "21", "22", "30", "37", "90", "240", "241", "250", "251"), None)
GS = "\x1d"


@dataclass(frozen=True)
class Reading:
    """One thing a scanned code may be: `code` to look up; `label` "" for the code as scanned, else the kind
    of label it was read back from (LABEL_NAMES); `certain` when the code's structure proves that kind."""

    code: str
    label: str = ""
    certain: bool = True


@dataclass
class Pick:
    """What a scan found: the reading and the one record (`key`) it found, or nothing; `ambiguous` lists
    (reading, key) when the readings found more than one record."""

    reading: Reading | None = None
    key: object = None
    ambiguous: list[tuple[Reading, object]] = field(default_factory=list)


def scan_readings(code: str) -> list[Reading]:
    """What a scanned code may be, the code as scanned first (even empty), each code once (whatever its case)."""
    code = code.strip()
    readings = [Reading(code)]
    aim = _AIM_IDENTIFIER.match(code)
    base = code[aim.end() :] if aim else code
    gs1 = _gs1_serial(code)
    if gs1:
        readings.append(Reading(gs1, "gs1"))
    elif aim:
        readings.append(Reading(base, "aim"))
    compact = "".join(base.split())
    upper = compact.upper()
    for pattern in _LENOVO:
        if match := pattern.fullmatch(upper):
            readings.append(Reading(compact[match.start(2) :], "lenovo"))
    if serial := _serial_in_address(code):
        readings.append(Reading(serial, "address"))
    elif "://" in code and not tag_in_address(code):
        # A support page's address may end with the serial: kept only if it finds one record (never to create).
        last = urlsplit(code).path.rstrip("/").rpartition("/")[2]
        readings.append(Reading(last, "address", certain=False))
    for prefix, certain in _SERIAL_TEXT:
        if upper.startswith(prefix) and len(compact) > len(prefix) + 3:
            readings.append(Reading(compact[len(prefix) :].lstrip(":"), "text", certain))
            break
    if upper.startswith("S") and 11 <= len(compact) <= 13 and not gs1 and len(readings) == 1 + bool(aim):
        readings.append(Reading(compact[1:], "apple", certain=False))
    unique, seen = readings[:1], {code.upper()}
    for reading in readings[1:]:
        if reading.code and reading.code.upper() not in seen:
            seen.add(reading.code.upper())
            unique.append(reading)
    return unique


def serial_lookup(code: str, field: str = "serial") -> Q:
    """For a list (the stock search, the API's `serial`): the rows whose serial a scanned `code` may be, whatever
    the case, never by a firmware placeholder; a list shows each, for the reader to choose."""
    code = code.strip()
    scanned = [code, from_us_scanner(code)] if typed_on_azerty(code) else [code]
    serials = {serial_text(reading.code) for text in scanned for reading in scan_readings(text)} - {""}
    query = Q(pk__in=[])
    for serial in sorted(serials):
        query |= Q(**{f"{field}__iexact": serial})
    return query


def pick(readings: Iterable[Reading], found: Callable[[str], Iterable]) -> Pick:
    """The record a scan names: `found(code)` gives the records (keys) a code finds. One record found, by any
    reading: it, with the first reading that found it (the code as scanned before any read back). Several: none,
    and `ambiguous` says which reading found which, for the technician to choose."""
    hits = [(reading, key) for reading in readings for key in found(reading.code)]
    if len({key for _reading, key in hits}) > 1:
        return Pick(ambiguous=hits)
    return Pick(*hits[0]) if hits else Pick()


def new_reading(readings: list[Reading], maker: str = "") -> Reading:
    """The reading a new record takes when nothing was found: the first whose label format the code's structure
    proves (or whose maker is `maker`, the brand the technician or the manifest gave), else the code as scanned."""
    maker = maker.strip().lower()
    for reading in readings[1:]:
        if reading.certain or reading.label == maker:
            return reading
    return readings[0]


def read_serial(scanned: str, maker: str = "") -> tuple[str, str]:
    """(the serial a code typed or scanned into a serial field stands for, what the technician is told): read
    back when the code's structure proves a maker's label (new_reading), else the code as it came."""
    reading = new_reading(scan_readings(scanned), maker)
    return reading.code, read_as(scanned, reading)


def read_as(scanned: str, reading: Reading | None) -> str:
    """What the technician is told when a code was read back (nothing for the code as scanned)."""
    if reading is None or not reading.label:
        return ""
    return READ_AS % {"code": scanned.strip(), "serial": reading.code, "label": LABEL_NAMES[reading.label]}


def ambiguous_message(scanned: str, codes: Iterable[str]) -> str:
    """The question a code that may name several records asks, naming each reading."""
    listed = ", ".join(f"« {code} »" for code in dict.fromkeys(codes))
    return _(
        "Le code « %(code)s » peut désigner plusieurs appareils (%(codes)s) : scannez l’étiquette Rebond ou "
        "saisissez le numéro de série à la main."
    ) % {"code": scanned.strip(), "codes": listed}


def is_part_number(code: str) -> bool:
    """Whether `code` is Apple's « (P) Part No. » barcode: a product reference, never a serial."""
    return bool(_PART_NUMBER.fullmatch("".join(code.split()).upper()))


def _serial_in_address(code: str) -> str:
    """The serial a maker's support address names (…/servicetag/1539RQ1, …?sn=PF1ABCDE), or ""."""
    if "://" not in code or tag_in_address(code):
        return ""
    parts = urlsplit(code.strip())
    for key, value in parse_qsl(parts.query):
        if key.lower() in _ADDRESS_KEYS and value.strip():
            return value.strip()
    segments = [segment for segment in parts.path.split("/") if segment]
    for name, value in zip(segments, segments[1:], strict=False):
        if name.lower() in _ADDRESS_KEYS:
            return value
    return ""


def _gs1_serial(code: str) -> str:
    """The (21) serial of a GS1 element string: printed « (01)…(21)… », or as a scanner sends it (a GS1 AIM
    identifier or a GTIN whose check digit holds, GS between variable-length fields), or ""."""
    if code.startswith("("):
        fields = re.findall(r"\((\d{2,4})\)([^()]*)", code)
        if "".join(f"({ai}){value}" for ai, value in fields) == code:
            return dict(fields).get("21", "").strip()
        return ""
    gs1_aim = code.startswith(_GS1_AIM)
    text = code[3:] if gs1_aim else code
    if not (gs1_aim or GS in text or (text.startswith("01") and _gtin_holds(text[2:16]))):
        return ""
    elements = _gs1_elements(re.sub(r"\s+", GS, text.strip()))
    if elements is None or ("01" in elements and not _gtin_holds(elements["01"])):
        return ""
    return elements.get("21", "")


def _gs1_elements(text: str) -> dict | None:
    elements, position = {}, 0
    while position < len(text):
        ai = next(
            (text[position : position + n] for n in (2, 3) if text[position : position + n] in _GS1_AIS), ""
        )
        if not ai:
            return None
        start = position + len(ai)
        length = _GS1_AIS[ai]
        end = start + length if length else (text.find(GS, start) if GS in text[start:] else len(text))
        if end > len(text) or end == start:
            return None
        elements[ai] = text[start:end]
        position = end + (1 if text[end : end + 1] == GS else 0)
    return elements


def _gtin_holds(gtin: str) -> bool:
    """A GTIN-14 of ASCII digits whose GS1 mod-10 check digit holds (python-stdnum's EAN rule)."""
    return len(gtin) == 14 and ean.is_valid(gtin)
