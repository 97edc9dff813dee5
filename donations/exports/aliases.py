"""The declared table of header aliases: which header of which tool's export holds which manifest column.

Headers are compared folded (no accents, no case, punctuation as spaces), so "Numéro de série",
"numero de serie" and "NUMÉRO_DE_SÉRIE" are one alias. GLPI prefixes a column with its group
("Composants - Processeur"): the part after the last " - " is tried too. Units in a header ("RAM (Mo)",
"Total RAM MB") are read by `columns.header_unit` and ignored for the match.

Sources: each tool's public documentation and export code (column names as the English and French
interfaces write them). `""` as a field means "known column of this tool, not used": it is listed as
ignored without ever being offered as a guess.
"""

import re
import unicodedata

from donations.enums import ManifestColumn as C


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
    C.RAM: ["ram", "memoire", "memoire vive", "memory", "ram size", "taille memoire", "installed memory"],
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

# Per tool: the headers that identify its exports (signature) and its own aliases, which win over the
# generic table when the export is recognised (Intune's "Category" is a device category, not a type).
TOOLS = {
    "glpi": {
        "name": "GLPI",
        # Computers list, "Export" in CSV (";", UTF-8 with BOM) or spreadsheet, French or English interface.
        "signature": [
            "entite",
            "entity",
            "derniere modification",
            "last update",
            "systeme d exploitation nom",
            "operating system name",
            "lieu",
            "location",
        ],
        "aliases": {
            C.BRAND: ["fabricant", "manufacturer"],
            C.MODEL: ["modele", "model"],
            C.TYPE: ["type"],
            C.SERIAL: ["numero de serie", "serial number"],
            C.ASSET_TAG: ["numero d inventaire", "inventory number"],
            C.OS: ["systeme d exploitation nom", "operating system name"],
            C.CPU: ["composants processeur", "components processor", "processeur", "processor"],
            C.RAM: ["composants memoire", "components memory", "memoire", "memory"],
            C.STORAGE: [
                "composants disque dur",
                "components hard drive",
                "disque dur capacite",
                "hard drive capacity",
                "capacite",
                "capacity",
            ],
            C.PURCHASE_DATE: [
                "informations financieres et administratives date d achat",
                "financial and administrative information date of purchase",
                "date d achat",
                "date of purchase",
            ],
            C.NET_BOOK_VALUE: ["valeur nette comptable", "net book value"],
            "": [
                "nom",
                "name",
                "entite",
                "entity",
                "statut",
                "status",
                "lieu",
                "location",
                "derniere modification",
                "last update",
                "usager",
                "user",
                "groupe",
                "group",
                "valeur",
                "value",
                "systeme d exploitation version",
                "operating system version",
            ],
        },
    },
    "snipeit": {
        "name": "Snipe-IT",
        # Custom asset report (Reports > Custom Asset Report), CSV with "," and UTF-8.
        "signature": [
            "asset tag",
            "asset name",
            "model no",
            "checked out",
            "eol",
            "purchase cost",
            "supplier",
        ],
        "aliases": {
            C.ASSET_TAG: ["asset tag"],
            C.SERIAL: ["serial"],
            C.MODEL: ["model"],
            C.TYPE: ["category"],
            C.BRAND: ["manufacturer"],
            C.PURCHASE_DATE: ["purchase date"],
            C.NET_BOOK_VALUE: ["current value", "value"],
            "": [
                "asset name",
                "model no",
                "company",
                "purchase cost",
                "order number",
                "supplier",
                "location",
                "default location",
                "status",
                "checked out",
                "checked out to",
                "eol",
                "warranty",
                "warranty expires",
                "diff",
                "notes",
                "created at",
                "updated at",
                "id",
            ],
        },
    },
    "intune": {
        "name": "Microsoft Intune",
        # Devices > All devices > Export (CSV, ~49 columns); "Total storage" and "Free storage" are in MB.
        "signature": [
            "device id",
            "azure ad device id",
            "primary user upn",
            "enrollment date",
            "last check in",
            "managed by",
            "eas activation id",
        ],
        "aliases": {
            C.SERIAL: ["serial number"],
            C.BRAND: ["manufacturer"],
            C.MODEL: ["model"],
            C.OS: ["os"],
            C.STORAGE: ["total storage"],
            # A device category chosen by the tenant's admins ("Sales", "Unassigned"), never a device type.
            "": [
                "category",
                "free storage",
                "device name",
                "device id",
                "os version",
                "productname",
                "skufamily",
                "imei",
                "meid",
                "iccid",
                "eid",
                "phone number",
            ],
        },
    },
    "jamf": {
        "name": "Jamf Pro",
        # Advanced Computer Search > Export (CSV); sizes in MB as the display names say.
        "signature": [
            "computer name",
            "model identifier",
            "total ram mb",
            "last inventory update",
            "jamf binary version",
            "managed",
        ],
        "aliases": {
            C.SERIAL: ["serial number"],
            C.MODEL: ["model"],
            C.CPU: ["processor type"],
            C.RAM: ["total ram mb", "total ram"],
            C.STORAGE: ["drive capacity mb", "drive capacity", "boot drive capacity mb"],
            C.OS: ["operating system", "operating system name"],
            C.ASSET_TAG: ["asset tag"],
            C.PURCHASE_DATE: ["po date", "purchase date"],
            "": [
                "computer name",
                "model identifier",
                "operating system version",
                "processor speed mhz",
                "number of processors",
                "number of cores",
                "boot drive available mb",
                "boot drive percentage full",
                "last inventory update",
                "purchase price",
                "warranty expiration",
                "department",
                "building",
                "username",
            ],
        },
    },
    "lansweeper": {
        "name": "Lansweeper",
        # Asset report export (XLSX): memory in MB, the asset type is a platform ("Windows", "Apple Mac").
        "signature": ["assetname", "assetid", "lastseen", "assettypename", "ipaddress", "domain"],
        "aliases": {
            C.TYPE: ["assettypename", "assettype", "type"],
            C.BRAND: ["manufacturer"],
            C.MODEL: ["model"],
            C.SERIAL: ["serialnumber", "serial number"],
            C.CPU: ["processor"],
            C.RAM: ["memory"],
            C.OS: ["oscaption", "os", "osname"],
            C.PURCHASE_DATE: ["purchasedate", "purchase date"],
            "": [
                "assetname",
                "assetid",
                "domain",
                "username",
                "ipaddress",
                "lastseen",
                "firstseen",
                "warrantydate",
                "description",
                "location",
            ],
        },
    },
    "ocs": {
        "name": "OCS Inventory NG",
        # Computers list export (CSV): hardware and BIOS columns; memory in MB, CPU speed in MHz.
        "signature": ["last inventory", "computer", "cpu mhz", "ram mb", "ipaddr", "userid", "osname"],
        "aliases": {
            C.ASSET_TAG: ["tag", "account info tag"],
            C.SERIAL: ["serial number", "ssn", "bios serial number"],
            C.BRAND: ["manufacturer", "smanufacturer"],
            C.MODEL: ["model", "smodel"],
            C.TYPE: ["type", "chassis type"],
            C.OS: ["operating system", "osname"],
            C.RAM: ["ram mb", "ram", "memory"],
            C.CPU: ["processor", "processort", "cpu type"],
            "": ["last inventory", "computer", "user", "userid", "cpu mhz", "ipaddr", "os version"],
        },
    },
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
