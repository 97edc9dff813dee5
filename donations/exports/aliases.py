"""The declared table of header aliases: which header of which tool's export holds which manifest column.

Headers are compared folded (no accents, no case, punctuation as spaces), so "Numéro de série",
"numero de serie" and "NUMÉRO_DE_SÉRIE" are one alias. GLPI prefixes a column with its group
("Composants - Processeur"): the part after the last " - " is tried too. Units in a header ("RAM (Mo)",
"Total RAM MB") are read by `columns.header_unit` and ignored for the match.

Each tool's signature and own aliases are in `donations.exports.tools`. `""` as a field means "known
column, not used": it is listed as ignored without ever being offered as a guess.
"""

import re
import unicodedata

from donations.enums import ManifestColumn as C
from donations.exports.tools import TOOLS


def fold(text) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


# Headers every export may use, in French or English (the manifest's own template among them).
GENERIC = {
    C.TYPE: [
        "type",
        "type d appareil",
        "type appareil",
        "device type",
        "categorie",
        "category",
        "type de materiel",
        "nature",
        "chassis",
        "chassis type",
        "asset type",
        "type d equipement",
        "equipment type",
    ],
    C.BRAND: ["brand", "marque", "fabricant", "make", "manufacturer", "constructeur", "vendor"],
    C.MODEL: ["model", "modele", "reference", "model name", "nom du modele", "product name"],
    C.SERIAL: [
        "serial",
        "serial number",
        "serial no",
        "serialnumber",
        "numero de serie",
        "n de serie",
        "no de serie",
        "num serie",
        "numero serie",
        "sn",
        "s n",
        "n serie",
    ],
    C.ASSET_TAG: [
        "asset tag",
        "asset",
        "numero d inventaire",
        "n d inventaire",
        "no d inventaire",
        "inventaire",
        "numero inventaire",
        "n inventaire",
        "etiquette",
        "tag",
        "inventory number",
    ],
    C.YEAR: ["year", "annee", "annee d achat", "annee achat", "purchase year", "annee de mise en service"],
    C.PURCHASE_DATE: [
        "date d achat",
        "date achat",
        "purchase date",
        "date of purchase",
        "date de mise en service",
        "date d acquisition",
        "acquisition date",
    ],
    C.CPU: ["cpu", "processeur", "processor", "processor type", "type de processeur"],
    C.RAM: [
        "ram",
        "memoire",
        "memoire vive",
        "memory",
        "ram size",
        "taille memoire",
        "installed memory",
        # Win32_ComputerSystem's TotalPhysicalMemory (bytes), Microsoft Graph's physicalMemoryInBytes, once
        # spaced by columns.variants.
        "total physical memory",
        "physical memory",
    ],
    C.STORAGE: [
        "storage",
        "stockage",
        "disque",
        "disk",
        "capacite",
        "capacite disque",
        "disk size",
        "taille disque",
        "hard drive",
        "disque dur",
        "storage capacity",
        "total storage",
        # Microsoft Graph managedDevice's totalStorageSpaceInBytes.
        "total storage space",
    ],
    C.OS: [
        "os",
        "systeme",
        "systeme d exploitation",
        "operating system",
        "os name",
        "nom du systeme d exploitation",
        "platform",
    ],
    C.CONDITION: ["condition", "etat", "etat declare", "state", "etat general", "remarques etat"],
    C.QUANTITY: ["quantity", "quantite", "qte", "qty", "nombre"],
    C.NET_BOOK_VALUE: [
        "net book value",
        "valeur nette comptable",
        "vnc",
        "valeur residuelle",
        "current value",
        "book value",
    ],
}

# Words that point at a column without matching one of its aliases: offered as guesses on the mapping
# page, never applied without the donor's confirmation.
HINTS = {
    C.SERIAL: ["serial", "serie", "s n", "sn"],
    C.BRAND: ["marque", "brand", "manufacturer", "fabricant", "vendor", "constructeur"],
    C.MODEL: ["model", "modele", "designation", "libelle", "description"],
    C.TYPE: ["type", "categorie", "category", "famille", "chassis"],
    C.RAM: ["ram", "memoire", "memory"],
    C.STORAGE: ["disque", "disk", "stockage", "storage", "ssd", "hdd", "capacite"],
    C.PURCHASE_DATE: ["achat", "purchase", "acquisition", "mise en service"],
    C.NET_BOOK_VALUE: ["vnc", "valeur", "value", "amortissement"],
    C.ASSET_TAG: ["inventaire", "inventory", "tag", "etiquette", "immobilisation", "immo"],
    C.CPU: ["cpu", "processeur", "processor"],
    C.OS: ["os", "systeme", "operating"],
    C.CONDITION: ["etat", "condition"],
    C.QUANTITY: ["quantite", "qte", "quantity", "qty"],
}


def _index(table: dict) -> dict:
    return {fold(alias): str(field) for field, aliases in table.items() for alias in aliases}


GENERIC_INDEX = _index(GENERIC)
TOOL_INDEX = {key: _index(tool["aliases"]) for key, tool in TOOLS.items()}
# A tool's columns read only when no other column holds the field (Jamf's "Model Identifier" without "Model").
FALLBACK_INDEX = {key: _index(tool.get("fallbacks", {})) for key, tool in TOOLS.items()}
# The manifest's own field names ("ram_gb", "net_book_value") are aliases of themselves.
GENERIC_INDEX.update({fold(field): str(field) for field in C.values})


def detect_tool(folded_headers) -> str:
    """The tool whose signature headers are most present (at least three), or ""."""
    present = set(folded_headers)
    best, best_count = "", 0
    for key, tool in TOOLS.items():
        count = len(present & {fold(name) for name in tool["signature"]})
        if count >= 3 and count > best_count:
            best, best_count = key, count
    return best


def tool_name(key: str) -> str:
    return TOOLS[key]["name"] if key in TOOLS else ""


def tool_os(key: str) -> str:
    """The system every device of this tool's export runs ("ChromeOS"), or ""."""
    return TOOLS.get(key, {}).get("os", "")


def tool_notice(key: str) -> str:
    """What the donor must add to this tool's export (in the reader's language), or ""."""
    notice = TOOLS.get(key, {}).get("notice")
    return str(notice) if notice else ""


def tool_unit(key: str, field: str) -> str:
    """The unit this tool writes a size column in when its header does not say it, or ""."""
    return TOOLS.get(key, {}).get("units", {}).get(field, "")


def tool_type(key: str, value: str) -> str:
    """The type name a tool's code stands for ("10" → "Notebook" in an SMBIOS chassis column), else the value."""
    return TOOLS.get(key, {}).get("type_codes", {}).get(value.strip(), value)
