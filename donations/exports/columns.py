"""Which column of an export holds what: a plan built from the header row, with the confidence of each match.

Order of precedence for each header: the donor's choice for this file, the choice saved for the organisation
last time, the recognised tool's own alias, an alias staff added in the admin, the declared generic alias
(also after dropping GLPI's group prefix and the unit in brackets), the tool's fallback (a column read only
when no other holds the field). A header that only contains a telling
word ("N° S/N machine") is a guess: guesses, two columns for one field, or nothing to tell what the devices
are make the plan ask the donor to confirm on the mapping page before anything is read.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from donations import texts
from donations.enums import SizeUnit
from donations.exports import aliases
from donations.exports.aliases import fold
from donations.exports.values import UNIT_WORDS
from reuse.lost_letters import LostLetters

SIZE_FIELDS = ("ram_gb", "storage_gb")
MAX_HEADER_SHOWN = 60

# Ranks: a lower number wins when two columns claim one field.
RANKS = {"choice": 0, "saved": 1, "tool": 2, "staff": 3, "generic": 4, "fallback": 5, "hint": 9}
CAMEL_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])")
UNIT_TOKENS = {word for word in UNIT_WORDS if len(word) > 1} | {"en", "in", "eur", "euros", "mhz", "ghz"}


def shown(header: str) -> str:
    """A header as quoted back to the donor: never more than a short line."""
    header = " ".join(str(header).split())
    return header if len(header) <= MAX_HEADER_SHOWN else header[: MAX_HEADER_SHOWN - 1] + "…"


def spaced(header) -> str:
    """A header in camelCase or PascalCase with its words apart: the property names scripts export as headers
    (PowerShell's CIM classes "TotalPhysicalMemory", Microsoft Graph's "totalStorageSpaceInBytes")."""
    return CAMEL_BOUNDARY.sub(" ", str(header))


def header_unit(header: str) -> str:
    """The size unit a header declares ("RAM (Mo)", "Total RAM MB", "Capacité (Mio)", "sizeInBytes"), or ""."""
    tokens = fold(spaced(header)).split()
    for token in reversed(tokens):
        unit = UNIT_WORDS.get(token)
        if unit and len(token) > 1:
            return unit
    return ""


def variants(header: str, *, camel: bool = True) -> list[str]:
    """Folded forms of a header to look up, most specific first (with `camel`, its camelCase words apart)."""
    text = str(header)
    forms = [text, re.sub(r"\(.*?\)|\[.*?\]", " ", text)]
    if camel and spaced(text) != text:
        forms.append(spaced(text))
    if " - " in text:
        last = text.rsplit(" - ", 1)[1]
        forms += [last, re.sub(r"\(.*?\)|\[.*?\]", " ", last)]
    found = []
    for form in forms:
        folded = fold(form)
        # "Total RAM MB", "Stockage Go": the unit is read apart, the name is looked up without it.
        words = folded.split()
        while len(words) > 1 and words[-1] in UNIT_TOKENS:
            words.pop()
        for candidate in (folded, " ".join(words)):
            if candidate and candidate not in found:
                found.append(candidate)
    return found


@dataclass
class Match:
    index: int
    header: str
    key: str
    field: str = ""
    source: str = ""
    unit: str = ""

    @property
    def label(self) -> str:
        return shown(self.header)


@dataclass
class Plan:
    matches: list[Match]
    tool: str = ""
    default_type: str = ""
    # Why the donor confirms the columns, as codes (donations.texts).
    reasons: list[dict] = field(default_factory=list)

    @property
    def used(self) -> dict[str, Match]:
        return {match.field: match for match in self.matches if match.field}

    @property
    def ignored(self) -> list[str]:
        return [match.label for match in self.matches if not match.field and match.header.strip()]

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.reasons)

    def as_dict(self) -> dict:
        return {
            "tool": self.tool,
            "tool_name": aliases.tool_name(self.tool),
            "default_type": self.default_type,
            "columns": [
                {
                    "index": m.index,
                    "header": m.label,
                    "key": m.key,
                    "field": m.field,
                    "source": m.source,
                    "unit": m.unit,
                }
                for m in self.matches
                if m.header.strip()
            ],
            "reasons": self.reasons,
        }


# Every word of a known header, to give back the accents of a header an ASCII export wrote with « ? ».
KNOWN_HEADERS = {
    key
    for index in (aliases.GENERIC_INDEX, *aliases.TOOL_INDEX.values(), *aliases.FALLBACK_INDEX.values())
    for key in index
} | {hint for words in aliases.HINTS.values() for hint in words}


def _restored(headers: list, tables) -> list[str]:
    """The headers as read: « Num?ro de s?rie » (Windows PowerShell 5.1's ASCII export) as « numero de serie »."""
    texts = ["" if header is None else str(header).strip() for header in headers]
    if not any("?" in text for text in texts):
        return texts
    letters = LostLetters(KNOWN_HEADERS.union(*tables))
    return [letters.restore(text) for text in texts]


def _lookup(forms, index: dict) -> str | None:
    for form in forms:
        if form in index:
            return index[form]
    return None


def _hint(forms) -> str:
    for name, words in aliases.HINTS.items():
        for word in words:
            if any(re.search(rf"\b{re.escape(word)}\b", form) for form in forms):
                return str(name)
    return ""


def plan_columns(
    headers: list,
    *,
    choices: dict | None = None,
    saved: dict | None = None,
    staff: dict | None = None,
    units: dict | None = None,
    default_type: str = "",
) -> Plan:
    """A plan for a header row.

    `choices` and `saved` map a folded header to a field ("" to ignore it) and `units` a folded header to a
    unit: the donor's choices for this file and those saved for the organisation. `staff` maps a folded
    alias to a field (the admin's table).
    """
    choices, saved, staff, units = choices or {}, saved or {}, staff or {}, units or {}
    keys = [fold(header or "") for header in headers]
    read = _restored(headers, (choices, saved, staff))
    tool = aliases.detect_tool([fold(text) for text in read])
    tool_index = aliases.TOOL_INDEX.get(tool, {})
    matches = []
    for index, header in enumerate(headers):
        text = "" if header is None else str(header).strip()
        match = Match(index=index, header=text, key=keys[index])
        if not text:
            matches.append(match)
            continue
        forms = variants(read[index])
        for source, table in (
            ("choice", choices),
            ("saved", saved),
            ("tool", tool_index),
            ("staff", staff),
            ("generic", aliases.GENERIC_INDEX),
            ("fallback", aliases.FALLBACK_INDEX.get(tool, {})),
        ):
            found = table.get(match.key) if source in ("choice", "saved") else _lookup(forms, table)
            if found is not None:
                match.field, match.source = found, source
                break
        else:
            # Not from camelCase words: Intune's « JoinType » and « ProcessorArchitecture » name no device's type
            # or processor, and a property name is exact or nothing.
            guess = _hint(variants(read[index], camel=False))
            if guess:
                match.field, match.source = guess, "hint"
        if match.field in SIZE_FIELDS:
            tool_unit = aliases.tool_unit(tool, match.field) if match.source == "tool" else ""
            match.unit = units.get(match.key) or header_unit(read[index]) or tool_unit
        matches.append(match)
    plan = Plan(matches=matches, tool=tool, default_type=default_type)
    _settle(plan)
    return plan


def _settle(plan: Plan) -> None:
    """One column per field (the best ranked; a tie asks the donor), guesses only for fields still free."""
    best: dict[str, Match] = {}
    ties = set()
    for match in plan.matches:
        if not match.field or match.source == "hint":
            continue
        current = best.get(match.field)
        if current is None or RANKS[match.source] < RANKS[current.source]:
            best[match.field] = match
        elif RANKS[match.source] == RANKS[current.source] and match.source not in ("choice", "saved"):
            ties.add(match.field)
    for match in plan.matches:
        if not match.field:
            continue
        if match.source == "hint":
            if match.field in best:
                match.field, match.source = "", ""
            else:
                best[match.field] = match
        elif best.get(match.field) is not match:
            match.field, match.source = "", ""
    guesses = [m for m in plan.matches if m.source == "hint"]
    if guesses:
        plan.reasons.append(texts.COLUMNS_GUESSED(list=[[m.label, m.field] for m in guesses]))
    for name in sorted(ties):
        plan.reasons.append(texts.COLUMNS_TIED(field=name))
    used = {m.field for m in plan.matches if m.field}
    if not used:
        plan.reasons.append(texts.NO_COLUMN())
    elif "type" not in used and not plan.default_type and not (used & {"os", "model"}):
        plan.reasons.append(texts.NO_TYPE_COLUMN())


def size_units() -> list[tuple[str, str]]:
    return [("", _("selon les valeurs")), *SizeUnit.choices]
