"""Impact of reused devices, computed with a named, versioned factor set (donations/data/impact_factors.json).

Published methods disagree by up to 7x (reference-facts.md): every figure carries its method and version.
"""

import json
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from django.db.models import Count
from django.utils import translation

from inventory.enums import REUSED_STATES, DeviceType

FACTORS_FILE = Path(__file__).resolve().parent / "data" / "impact_factors.json"
# Totals are given to the tenth of a kilogram, rounded half up as the donor's spreadsheet rounds (Excel's ROUND):
# computed in decimals from the factors as published, never in floats (25.25 kg rounded half to even is 25.2).
TENTH = Decimal("0.1")
TYPE_LABELS = dict(DeviceType.choices)


@cache
def factor_sets() -> dict:
    return json.loads(FACTORS_FILE.read_text(encoding="utf-8"))


def default_method() -> str:
    return factor_sets()["default"]


def methods() -> dict:
    return factor_sets()["methods"]


def method_name(factor_set: dict) -> str:
    """The method's name in the reader's language: the factor file names each method in French and English."""
    if (translation.get_language() or "").startswith("en"):
        return factor_set.get("name_en") or factor_set["name"]
    return factor_set["name"]


def method_choices() -> list[tuple[str, str, str]]:
    """(key, name in the reader's language, version) of every method, for a choice list."""
    return [(key, method_name(factor_set), factor_set["version"]) for key, factor_set in methods().items()]


def method_or_default(key: str | None) -> str:
    return key if key in methods() else default_method()


@dataclass
class Impact:
    method: str
    method_name: str
    method_version: str
    source: str
    # The e-waste figure's masses come from another source than the CO2e factors (ADEME's method uses Restart's).
    weight_source: str = ""
    devices_reused: int = 0
    co2e_kg: float = 0.0
    weee_kg: float = 0.0
    households: int = 0
    associations: int = 0
    by_type: dict = field(default_factory=dict)
    # Per type: count, the factors as published and their products, unrounded, for the reader to recompute.
    lines: list = field(default_factory=list)

    def as_dict(self):
        return asdict(self)


def _recipients(reused) -> tuple[int, int]:
    """Households and associations equipped, counted from the claims that handed the devices over.

    Only counts leave this function, never identities. A device handed over without an online claim
    (a walk-in handover recorded by the workshop) counts as one household.
    """
    # Read through the device's reverse relation: donations sits below claims and never imports it.
    associations = (
        reused.filter(claims__status="handed_over", claims__organisation__isnull=False)
        .order_by()
        .values("claims__organisation")
        .distinct()
        .count()
    )
    households = (
        reused.filter(claims__status="handed_over", claims__organisation__isnull=True)
        .order_by()
        .values("claims__beneficiary")
        .distinct()
        .count()
    )
    without_claim = reused.exclude(claims__status="handed_over").count()
    return households + without_claim, associations


def households_equipped(devices) -> int:
    """The households the devices equip now, as the impact report counts them (one rule for every figure shown
    to a donor, a funder or the public): a device back at the workshop, or given back, equips nobody."""
    return _recipients(devices.filter(state__in=REUSED_STATES))[0]


def compute_impact(devices, method: str | None = None) -> Impact:
    """CO2e and e-waste avoided, households and associations equipped, for a queryset of devices.

    Only reused devices (handed over to a household or an association) count: a device recycled or kept
    for parts avoids no new purchase.
    """
    key = method_or_default(method)
    factor_set = methods()[key]
    impact = Impact(
        method=key,
        method_name=method_name(factor_set),
        method_version=factor_set["version"],
        source=factor_set["source"],
        weight_source=factor_set.get("weight_source", ""),
    )
    reused = devices.filter(state__in=REUSED_STATES)
    rows = reused.order_by().values("type").annotate(n=Count("pk")).order_by("type")
    co2e, weee = Decimal(0), Decimal(0)
    for row in rows:
        factors = factor_set["factors"].get(row["type"]) or factor_set["factors"]["other"]
        line = {
            "type": row["type"],
            "label": TYPE_LABELS.get(row["type"], row["type"]),
            "devices": row["n"],
            "co2e_factor": _decimal(factors["co2e_kg"]),
            "co2e_kg": _plain(row["n"] * _decimal(factors["co2e_kg"])),
            "weight_factor": _decimal(factors["weight_kg"]),
            "weee_kg": _plain(row["n"] * _decimal(factors["weight_kg"])),
            "detail": factors.get("detail", ""),
        }
        impact.lines.append(line)
        impact.devices_reused += row["n"]
        co2e += line["co2e_kg"]
        weee += line["weee_kg"]
        impact.by_type[row["type"]] = row["n"]
    impact.co2e_kg = float(co2e.quantize(TENTH, ROUND_HALF_UP))
    impact.weee_kg = float(weee.quantize(TENTH, ROUND_HALF_UP))
    impact.households, impact.associations = _recipients(reused)
    return impact


def _decimal(factor) -> Decimal:
    """A factor as the file writes it (25.25 is 25.25, not the float nearest to it)."""
    return Decimal(str(factor))


def _plain(value: Decimal) -> Decimal:
    """A product without the trailing zeros its factor's decimals leave (2 x 25.25 is 50.5, not 50.50)."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value


def reused_by_department(devices) -> list[dict]:
    return list(
        devices.filter(state__in=REUSED_STATES)
        .exclude(outcome_department="")
        .order_by()
        .values("outcome_department")
        .annotate(n=Count("pk"))
        .order_by("-n", "outcome_department")
    )
