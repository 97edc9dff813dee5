"""What a mandate journal entry says besides its action, stored as facts (codes and numbers) and read in the
reader's language, as decision reasons are (reasons.py): a referrer writing in French and a household reading in
English see the same entry each in their own words.

`FACT_READERS` maps a kind of fact to the function that reads it; an app above eligibility that journals its own
kind (territories, for its attestations) adds its reader at start-up. An entry without facts (written before
they existed) shows the text it was written with.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reuse.eligibility.enums import ConsentMethod, Criterion, DecisionStatus, MandateScope


def _labels(enum, codes) -> list[str]:
    return [str(enum(code).label) for code in codes or () if code in enum.values]


def terms(*, scopes, months: int, consent: str = "") -> dict:
    """A mandate's scopes and length, and how it was signed when the referrer recorded it."""
    return {"kind": "terms", "scopes": list(scopes), "months": months, "consent": consent}


def decision(*, status: str, criteria) -> dict:
    return {"kind": "decision", "status": status, "criteria": list(criteria or ())}


def replaced() -> dict:
    return {"kind": "replaced"}


def _read_terms(facts: dict) -> str:
    months = facts.get("months") or 0
    parts = [
        ", ".join(_labels(MandateScope, facts.get("scopes"))),
        ngettext("%(n)s mois", "%(n)s mois", months) % {"n": months},
    ]
    if facts.get("consent") in ConsentMethod.values:
        parts.append(str(ConsentMethod(facts["consent"]).label))
    return " — ".join(parts)


def _read_decision(facts: dict) -> str:
    status = facts.get("status")
    label = str(DecisionStatus(status).label) if status in DecisionStatus.values else ""
    return f"{label} — {', '.join(_labels(Criterion, facts.get('criteria'))) or '-'}"


FACT_READERS: dict[str, Callable[[dict], str]] = {
    "terms": _read_terms,
    "decision": _read_decision,
    "replaced": lambda facts: _("remplacé par le mandat renouvelé"),
}


def read(facts: dict, written: str) -> str:
    """The entry's detail in the active language, or the text it was written with when it has no facts."""
    reader = FACT_READERS.get((facts or {}).get("kind", ""))
    return reader(facts) if reader else written
