"""Device types read from a maker's own model codes, when the model cell holds a code rather than a name.

Asset tools copy what the BIOS or the maker's catalogue says: ServiceNow, GLPI and Lansweeper put the maker
before a monitor's code (« Dell Inc. P2419H », « LG Electronics 27UL500 »), Intune, Entra ID, SCCM and
Lansweeper write a Lenovo computer as its machine-type model (MTM, « 20XW004PFR »). A code is read only under
its maker's own naming, so that a code another maker uses for something else is never taken for it; a code
nobody can tell (an HP product number such as « 3UP63EA », a Dell part number such as « 0GJ6X7 », a Lenovo
machine type missing from the table) gives no type, and the donor is asked.

Lenovo: the first 4 characters of an MTM are the machine type, which names one product; the next 4 are the
model and the last 2 the country (« CTO1WW » for a configured-to-order machine, 2 digits for a special bid),
as Lenovo's hardware maintenance manuals (« Product definition ») describe it. The table
data/lenovo_machine_types.csv (machine type, product, type) lists common machine types, each read from the
product's page in Lenovo's Product Specifications Reference (PSREF, psref.lenovo.com, « Machine types »).
A machine type that is not in the table stays unknown: add its line from PSREF rather than guess.

Monitor codes, from each maker's public model naming: Dell « P2419H », « U2722D », « SE2422H »; HP « E24 G4 »,
« P24h G5 », « Z24n G2 »; LG « 27UL500 », « 24MK430H », « 24M47VQ »; Samsung « S24R350 », « LS24R350FHUXEN »,
« C24F390 »; iiyama « XU2493HS », « B2483HS »; Philips « 243V7Q », « 241B8QJEB », « 24E1N3300A ».
"""

import csv
import re
from pathlib import Path

from inventory.enums import DeviceType as T

# The first word of a maker's name as tools write it (« Dell Inc. », « HP Inc. », « Hewlett-Packard »,
# « LG Electronics Inc. », « SAMSUNG ELECTRONICS CO., LTD. », « LENOVO »), folded.
MAKERS = {
    "dell": "dell",
    "hp": "hp",
    "hewlett": "hp",
    "lg": "lg",
    "samsung": "samsung",
    "iiyama": "iiyama",
    "philips": "philips",
    "lenovo": "lenovo",
}
# Words that follow a maker's name in the model cell and are part of the maker's name.
MAKER_TAIL = {"inc", "packard", "electronics", "co", "ltd", "company", "development", "lp"}

MONITOR_CODES = {
    "dell": r"(?:se|aw|[pusce])\d{4}[a-z]{1,3}",
    "hp": r"[epz]\d{2}[a-z]{0,2} g\d\b.*",
    "lg": r"\d{2}(?:[a-z]{2}\d{2,3}|m\d{2})[a-z]{0,3}(?: [a-z0-9]{1,4})*",
    "samsung": r"l?[scfu]\d{2}[a-z]\d{3}[a-z]*",
    "iiyama": r"(?:xub|xu|xb|x|b|e|t|g|gb|ge)\d{4}[a-z]{0,5}(?: [a-z0-9]{1,4})*",
    "philips": r"(?:\d{3}[a-z]\d[a-z]{0,6}|\d{2}[a-z]\d[a-z]\d{4}[a-z]?)(?: \d{2})?",
}
COMPILED_MONITOR_CODES = {maker: re.compile(pattern) for maker, pattern in MONITOR_CODES.items()}

# A Lenovo MTM: 4-character machine type, 4-character model, and a 2-character country code.
LENOVO_MTM = re.compile(r"([0-9][0-9A-Z]{3})[0-9A-Z]{4}(?:[0-9A-Z]{2})?")
# Without a maker, only a standard or configured-to-order MTM (country code in letters) is read.
LENOVO_MTM_ALONE = re.compile(r"([0-9]{2}[0-9A-Z]{2})[0-9A-Z]{4}[A-Z]{2}")


def _read(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        # T(...) refuses a line whose type is not a device type, when the module is imported.
        return {row["machine_type"]: T(row["type"]) for row in csv.DictReader(handle)}


LENOVO_MACHINE_TYPES: dict[str, str] = _read(
    Path(__file__).resolve().parent / "data" / "lenovo_machine_types.csv"
)


def maker_of(folded_brand: str, folded_model: str) -> tuple[str, str]:
    """(maker, the model without the maker's name); maker is "" when neither cell names a known maker."""
    maker = MAKERS.get(folded_brand.split(" ", 1)[0], "") if folded_brand else ""
    words = folded_model.split()
    if words and words[0] in MAKERS and (not maker or MAKERS[words[0]] == maker):
        maker = MAKERS[words[0]]
        words = words[1:]
        while words and words[0] in MAKER_TAIL:
            words = words[1:]
    return maker, " ".join(words)


def code_type(*, folded_model: str, folded_brand: str, model: str) -> str:
    """The type a maker's model code names, or "" when the code is not one the maker's naming tells."""
    maker, rest = maker_of(folded_brand, folded_model)
    pattern = COMPILED_MONITOR_CODES.get(maker)
    if pattern is not None and pattern.fullmatch(rest):
        return T.MONITOR
    compact = re.sub(r"[^0-9A-Z]", "", model.upper())
    if maker == "lenovo":
        match = LENOVO_MTM.fullmatch(compact.removeprefix("LENOVO"))
    elif not maker and not folded_brand:
        match = LENOVO_MTM_ALONE.fullmatch(compact)
    else:
        match = None
    return LENOVO_MACHINE_TYPES.get(match.group(1), "") if match else ""
