"""Device types as asset tools write them: French and English words, plurals, the tools' categories and the
SMBIOS chassis names GLPI and OCS copy from the BIOS. A platform word ("Windows", "Apple Mac") or no type at all
lets the type be inferred from the operating system and the model, and the basis of each inference is kept for
the import report.
"""

import re

from donations.exports.aliases import fold
from donations.exports.makers import code_type
from inventory.enums import DeviceType as T

TYPE_WORDS = {
    T.LAPTOP: [
        "laptop",
        "ordinateur portable",
        "portable",
        "pc portable",
        "notebook",
        "sub notebook",
        "subnotebook",
        "ultraportable",
        "ultrabook",
        "netbook",
        "macbook",
        "convertible",
        "detachable",
        "2 en 1",
        "2 in 1",
        "chromebook",
        "ordinateur portable windows",
        "poste portable",
        "laptops",
        "notebooks",
    ],
    T.DESKTOP: [
        "desktop",
        "ordinateur fixe",
        "fixe",
        "pc fixe",
        "poste fixe",
        "poste de travail",
        "unite centrale",
        "uc",
        "tour",
        "tower",
        "mini tower",
        "minitower",
        "mini pc",
        "micro pc",
        "ordinateur de bureau",
        "low profile desktop",
        "pizza box",
        "space saving",
        "lunch box",
        "all in one",
        "tout en un",
        "aio",
        "sealed case pc",
        "stick pc",
        "embedded pc",
        "station de travail",
        "workstation",
        "client leger",
        "thin client",
        "imac",
        "mac mini",
        "desktops",
    ],
    T.TABLET: ["tablet", "tablette", "ipad", "tablette tactile", "tablets"],
    T.SMARTPHONE: [
        "smartphone",
        "telephone",
        "telephone mobile",
        "telephone portable",
        "mobile",
        "mobile phone",
        "mobile phones",
        "phone",
        "phones",
        "iphone",
        "cell phone",
        "gsm",
    ],
    T.MONITOR: ["monitor", "ecran", "moniteur", "screen", "display", "ecran plat", "monitors", "displays"],
    T.OTHER: [
        "other",
        "autre",
        "accessoire",
        "accessoires",
        "accessory",
        "accessories",
        "peripherique",
        "peripheral",
        "imprimante",
        "printer",
        "printers",
        "clavier",
        "keyboard",
        "keyboards",
        "souris",
        "mouse",
        "mice",
        "station d accueil",
        "docking station",
        "dock",
        "serveur",
        "server",
        "main server chassis",
        "rack mount chassis",
        "blade",
        "blade enclosure",
        "expansion chassis",
        "peripheral chassis",
        "raid chassis",
        "switch",
        "routeur",
        "router",
        "nas",
        "videoprojecteur",
        "projector",
        "casque",
        "headset",
        "webcam",
    ],
}
# Words that name a platform or nothing at all: the type is then inferred from the OS and the model.
PLATFORM_WORDS = {
    "windows",
    "windows 10",
    "windows 11",
    "linux",
    "unix",
    "apple mac",
    "mac",
    "macos",
    "apple",
    "android",
    "ios",
    "ipados",
    "chrome os",
    "chromeos",
    "pc",
    "computer",
    "computers",
    "ordinateur",
    "ordinateurs",
    # ServiceNow's model categories that name a family of devices, not one type.
    "computer peripheral",
    "handheld computing device",
    "mobile device",
}
EMPTY_WORDS = {"", "unknown", "inconnu", "non assigne", "unassigned", "n a", "na", "none", "aucun", "sans"}

TYPE_INDEX = {fold(word): kind for kind, words in TYPE_WORDS.items() for word in words + [kind]}


def known_type(text: str) -> str:
    """The device type a word names (plurals and synonyms included), or ""."""
    key = fold(text)
    if key in TYPE_INDEX:
        return TYPE_INDEX[key]
    # Plurals: "Ordinateurs portables", "Écrans", "Tablettes", "Laptops".
    singular = " ".join(word[:-1] if len(word) > 3 and word[-1] in "sx" else word for word in key.split())
    return TYPE_INDEX.get(singular, "")


def is_platform(text: str) -> bool:
    key = fold(text)
    return key in PLATFORM_WORDS or key in EMPTY_WORDS


# Model and OS clues, folded. Order matters: a monitor or a tablet is recognised before a laptop word. Apple's
# model identifiers ("iPad13,1", "iPhone13,2", "iMac21,1", "Macmini9,1", "MacPro7,1", "MacBookPro18,1") fold to
# a name glued to its first number.
MODEL_CLUES = [
    (
        T.TABLET,
        r"\bipad\b|\bipad\d|\bgalaxy tab\b|\btab [a-z]?\d|\bmediapad\b|\bmatepad\b|\blenovo tab\b|\bsm [tx]\d",
    ),
    (
        T.SMARTPHONE,
        r"\biphone\b|\biphone\d|\bgalaxy [asmz]\d|\bgalaxy note\b|\bpixel \d|\bredmi\b|\bxperia\b|\bfairphone\b",
    ),
    (
        T.MONITOR,
        r"\bmonitor\b|\bthinkvision\b|\belitedisplay\b|\bprodisplay\b|\bultrasharp\b|\becran\b|"
        r"\bprolite\b|\bg master\b",
    ),
    (
        T.DESKTOP,
        r"\bchromebox\b|\bchromebase\b|\bimac\b|\bimac\d|\bmacmini\d|\bmacpro\d|\bmac mini\b|\bmac pro\b|\bmac studio\b|\boptiplex\b|\bthinkcentre\b|\bthinkstation\b|"
        r"\bprodesk\b|\belitedesk\b|\belite desk\b|\beliteone\b|\bproone\b|\bveriton\b|\bexpertcenter\b|"
        r"\bprecision \d{4} tower\b|\btower\b|\bsff\b|\busff\b|\bmini pc\b|\bnuc\b|\bz\d tower\b|"
        r"\b(mt|dm|sff|tiny)$|\ball in one\b|\baio\b|\bthin client\b",
    ),
    (
        T.LAPTOP,
        r"book|\blatitude\b|\bthinkpad\b|\bideapad\b|\bthinkbook\b|\byoga\b|\btravelmate\b|\blifebook\b|"
        r"\btoughbook\b|\bxps 1[3-7]\b|\bsurface (laptop|pro|book|go)\b|\bspectre\b|\benvy x360\b|"
        r"\bpavilion x360\b|\bzenbook\b|\bvivobook\b|\bexpertbook\b|\bgalaxy book\b|\bdynabook\b|"
        r"\bportege\b|\btecra\b|\bsatellite\b|\bvostro 1\d\b|\bprecision [357][57]\d\d\b|\blaptop\b",
    ),
]
COMPILED_CLUES = [(kind, re.compile(pattern)) for kind, pattern in MODEL_CLUES]
# Monitor codes written alone, without a maker (« P2419H », « P24h G4 »): read after the names above, so that
# « ThinkPad P14s G4 » stays a laptop. Codes under a maker's name are makers.code_type's.
MONITOR_CODE_ALONE = re.compile(r"^[pues]\d{4}[a-z]{0,3}$|\bp\d{2}[a-z]? g\d\b")


def os_family(text: str) -> str:
    key = fold(text)
    if not key:
        return ""
    if key.startswith("ipados") or key.startswith("ipad"):
        return "ipados"
    if key.startswith(("ios", "iphone")):
        return "ios"
    if "android" in key:
        return "android"
    # "MacMDM" is how Entra ID names a Mac enrolled in a device-management service.
    if key.startswith(("macos", "mac os", "os x", "apple mac", "macmdm")) or key == "mac":
        return "macos"
    if "windows" in key:
        return "windows"
    if "chrome" in key:
        return "chromeos"
    if "linux" in key or "ubuntu" in key or "debian" in key:
        return "linux"
    return ""


def infer_type(*, os: str, model: str, brand: str = "") -> tuple[str, str]:
    """(type, basis) from the OS and the model; basis is "os" or "model", ("", "") when nothing fits.

    The model is read for a family's name first (« Latitude », « ThinkPad »), then for a maker's model code
    (« Dell Inc. P2419H », a Lenovo « 20XW004PFR »), with the maker the brand column or the model names."""
    family = os_family(os)
    folded_model = fold(f"{model}")
    model_kind = ""
    for kind, pattern in COMPILED_CLUES:
        if folded_model and pattern.search(folded_model):
            model_kind = kind
            break
    if folded_model and not model_kind:
        if MONITOR_CODE_ALONE.search(folded_model):
            model_kind = T.MONITOR
        else:
            model_kind = code_type(folded_model=folded_model, folded_brand=fold(brand), model=model)
    if family == "ipados":
        return T.TABLET, "os"
    if family == "ios":
        return (T.TABLET, "model") if model_kind == T.TABLET else (T.SMARTPHONE, "os")
    if family == "android":
        return (T.TABLET, "model") if model_kind == T.TABLET else (T.SMARTPHONE, "os")
    if model_kind:
        return model_kind, "model"
    if family == "chromeos":
        return T.LAPTOP, "os"
    return "", ""
