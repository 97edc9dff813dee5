"""The live programme rules, read for the eligibility page (never copied by hand into a page)."""

from dataclasses import dataclass, field

from inventory.enums import DeviceType, Grade
from reuse.eligibility.enums import Criterion, Evidence
from reuse.programmes.models import Programme
from reuse.programmes.services import programme_for_department


@dataclass
class PriceRow:
    device_type: str
    grade: str
    min_cents: int
    max_cents: int


@dataclass
class ProgrammeRules:
    programme: Programme
    department: str
    criteria: list[str]
    evidence: list[str]
    quotient_familial_max_eur: int | None
    prices: list[PriceRow] = field(default_factory=list)


def rules_for_department(department: str, on=None) -> ProgrammeRules | None:
    programme = programme_for_department(department, on)
    if programme is None:
        return None
    type_labels = dict(DeviceType.choices)
    grade_order = {value: index for index, value in enumerate(Grade.values)}
    type_order = {value: index for index, value in enumerate(DeviceType.values)}
    prices = sorted(
        programme.prices.all(),
        key=lambda price: (type_order.get(price.device_type, 99), grade_order.get(price.grade, 9)),
    )
    return ProgrammeRules(
        programme=programme,
        department=department,
        criteria=[str(Criterion(code).label) for code in programme.criteria if code in Criterion.values],
        evidence=[
            str(Evidence(code).label) for code in programme.accepted_evidence if code in Evidence.values
        ],
        quotient_familial_max_eur=(
            programme.quotient_familial_max_eur if Criterion.QUOTIENT_FAMILIAL in programme.criteria else None
        ),
        prices=[
            PriceRow(
                device_type=str(type_labels.get(price.device_type, price.device_type)),
                grade=price.grade,
                min_cents=price.min_cents,
                max_cents=price.max_cents,
            )
            for price in prices
        ],
    )
