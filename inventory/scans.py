"""What a barcode or QR scanner typed into a field, read back as the code it scanned.

A handheld scanner is a keyboard: it types what it reads, then Enter. Two things come in that a technician never
typed on purpose:
- Rebond's own label is a QR code of the device page's address (inventory/services/labels.py): a 2D scanner types
  `https://…/atelier/appareils/7K3M9P/`, whatever host printed it. The tag is the last part of that path.
- Most scanners leave the factory set for a US (QWERTY) keyboard. Plugged into a computer set to French AZERTY,
  each key they press comes out as the AZERTY key at that place: the digits `1234567890` as `&é"'(-è_çà`, `A` as
  `Q`, `W` as `Z`, `M` as `?`, the `:` and `/` of an address as `M` and `!`. The scanner's manual fixes this with
  a setting; until someone finds it, the bench reads the code back.
"""

from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

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
    """Whether `code` can only be a US-keyboard scanner's typing on an AZERTY computer."""
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
