"""Pieces shared by the snapshot and erasure-report parsers."""

import logging
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from inventory.enums import StorageMedium
from reuse.errors import InvalidInput
from reuse.serials import serial_key, serial_text

MAX_REPORT_BYTES = 10 * 1024 * 1024

logger = logging.getLogger(__name__)


# Model prefixes drives report, and the maker they stand for.
MAKERS = [
    (r"^wdc\b|^wd\d|^western digital", "Western Digital"),
    (r"^st\d|^seagate", "Seagate"),
    (r"^samsung|^mz[0-9a-z]{2}", "Samsung"),
    (r"^toshiba|^kioxia|^thnsn|^kbg\d", "Toshiba / Kioxia"),
    (r"^hgst|^hitachi|^hts\d|^hds\d", "HGST (Hitachi)"),
    (r"^kingston|^sa400|^sv300|^kc\d", "Kingston"),
    (r"^crucial|^ct\d+", "Crucial"),
    (r"^micron|^mtfd", "Micron"),
    (r"^intel|^ssdsc|^ssdpe", "Intel"),
    (r"^sandisk|^sd[0-9a-z]{4}", "SanDisk"),
    (r"^sk ?hynix|^hfs\d|^hfm\d|^pc\d{3} nvme sk", "SK hynix"),
    (r"^lite-?on|^lmt-|^ca\d-8d", "Lite-On"),
    (r"^adata|^sx\d{4}", "ADATA"),
    (r"^transcend|^ts\d+g", "Transcend"),
    (r"^apple", "Apple"),
    (r"^lenovo", "Lenovo"),
]
COMPILED_MAKERS = [(re.compile(pattern, re.IGNORECASE), name) for pattern, name in MAKERS]


class ReportError(InvalidInput):
    """A file that is not, or not entirely, what it claims to be: refused with a French sentence."""


def clean_serial(value) -> str:
    return serial_text(value)[:100]


def same_serial(a: str, b: str) -> bool:
    return bool(serial_key(a)) and serial_key(a) == serial_key(b)


def make_from_model(model: str) -> str:
    text = (model or "").strip()
    for pattern, name in COMPILED_MAKERS:
        if pattern.search(text):
            return name
    return ""


def medium_kind(*, model: str = "", protocol: str = "", rotation: int | None = None, name: str = "") -> str:
    """hdd, ssd, nvme or emmc from what a probe says of a drive; "" when it does not say."""
    text = f"{model} {protocol} {name}".lower()
    if "nvme" in text:
        return StorageMedium.NVME
    if "mmc" in text or "emmc" in text or "ufs" in text:
        return StorageMedium.EMMC
    if rotation == 0 or "ssd" in text or "solid state" in text:
        return StorageMedium.SSD
    if rotation or HARD_DRIVE_MODELS.match(model.strip()):
        return StorageMedium.HDD
    return ""


# Hard-drive model numbers of the usual makers (their SSDs have other prefixes: WDS, Samsung SSD, CT, SA400…).
HARD_DRIVE_MODELS = re.compile(
    r"(?i)^(st\d|wdc wd\d|wd\d{2,}[a-z]{2}|hgst h|hts\d|hds\d|hitachi h|toshiba (mq|mk|dt|hdw))"
)


@dataclass
class Medium:
    serial: str
    make: str = ""
    model: str = ""
    kind: str = ""
    capacity_gb: int | None = None
    smart_passed: bool | None = None  # the drive's own health verdict (smartctl's smart_status), when read


# The code of the refusal that says "not a format we read" (as opposed to a known format that is incomplete).
UNKNOWN_FORMAT = "unknown_format"
# The code of the refusal of a tool's output that is recognised but cannot prove an erasure as saved (it names no
# drive, say): it wins over the other readers' guesses at what the file is.
UNPROVEN_OUTPUT = "unproven_output"

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def readable(data: bytes) -> bytes:
    """The file as UTF-8 when a Windows tool wrote it in UTF-16 with a byte order mark (PowerShell 5's « > » and
    Out-File, Notepad's « Unicode »); any other file as it is. A cut-off character becomes U+FFFD: the parser then
    refuses what it cannot read."""
    if not data.startswith(UTF16_BOMS):
        return data
    return data.decode("utf-16", errors="replace").encode("utf-8")


# What a reader of a tool's JSON raises when a field has another shape than the tool writes ("size": "N/A", a
# string where the tool writes an object, an embedded output cut short).
MALFORMED = (AttributeError, TypeError, KeyError, IndexError, ValueError)


def read_or_refuse(reader, document, tool: str):
    """`reader(document)`, a malformed document refused in one line naming the tool instead of a server error
    (the cause is logged: a reader's own bug stays visible)."""
    try:
        return reader(document)
    except MALFORMED as exc:
        logger.warning("Malformed %s document refused", tool, exc_info=True)
        raise ReportError(
            _(
                "Fichier %(tool)s mal formé : un champ n’a pas la forme qu’écrit l’outil (fichier tronqué ou "
                "modifié à la main ?)."
            )
            % {"tool": tool}
        ) from exc


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReportError(_("Ce fichier n’est pas un texte lisible."))
