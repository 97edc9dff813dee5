"""Whether the automatic assignment can ever offer a submitted lot to a workshop: a fleet larger than what every
workshop of its territory receives in a month (or a territory no workshop serves) waits for staff, who assign
it by hand (donations.services.assign_lot), and the donor is told so instead of waiting for an offer."""

from dataclasses import dataclass

from donations.enums import LotStatus
from donations.models import Lot
from reuse.accounts.enums import OrganisationKind, OrganisationStatus
from reuse.accounts.models import Organisation


@dataclass(frozen=True)
class Shortfall:
    devices: int
    # The largest monthly capacity of a workshop serving the lot's department; 0 when none serves it.
    largest: int


def assignment_shortfall(lot: Lot, devices: int) -> Shortfall | None:
    """For a submitted lot of `devices` devices still without a workshop: why no workshop will be offered it
    automatically, or None when one may be (this month or a later one)."""
    if lot.status != LotStatus.SUBMITTED or lot.workshop_id is not None:
        return None
    workshops = Organisation.objects.filter(
        kind=OrganisationKind.WORKSHOP, status=OrganisationStatus.APPROVED, workshop_profile__isnull=False
    ).values_list("workshop_profile__service_departments", "workshop_profile__monthly_capacity")
    largest = max(
        (capacity for departments, capacity in workshops if lot.pickup_department in (departments or [])),
        default=0,
    )
    return Shortfall(devices, largest) if devices > largest else None
