"""The public impact page's devices by fragile territory count each reused device once, in the territory of the
household that holds it now: the same devices as the page's reused total (donations.impact), never a device
that came back under warranty (swapped, or given back and refunded) as well as the one that replaced it."""

import pytest

from donations.impact import compute_impact
from donations.signals import sections_for
from inventory.models import Device
from reuse.aftercare.enums import ReturnedTo
from reuse.aftercare.services import tickets, triage
from reuse.territories.enums import TerritoryKind
from tests.aftercare.helpers import handed_over, swap_for_a_spare
from tests.factories.eligibility import eligible
from tests.territories.test_territories import a_list

pytestmark = pytest.mark.django_db

RURAL = str(TerritoryKind.RURAL.label)


def by_territory() -> tuple[dict[str, int], int]:
    (section,) = [s for s in sections_for(devices=Device.objects.all(), page="public") if "outside" in s]
    return {str(label): n for label, n in section["rows"]}, section["outside"]


def test_a_swapped_household_counts_once_as_the_reused_total_does(programme):
    a_list(TerritoryKind.RURAL, postcodes=["93240"])
    claim, technician = handed_over(household=eligible(postcode="93240"))
    swap_for_a_spare(claim, technician, "Ne démarre plus")

    rows, outside = by_territory()

    assert compute_impact(Device.objects.all()).devices_reused == 1
    assert (rows[RURAL], outside) == (1, 0)


def test_a_device_given_back_and_refunded_no_longer_counts(programme):
    a_list(TerritoryKind.RURAL, postcodes=["93240"])
    claim, technician = handed_over(household=eligible(postcode="93240"))
    ticket = tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description="Écran cassé")
    triage.refund(actor=technician, ticket_id=ticket.pk, returned_to=ReturnedTo.PARTS)

    rows, outside = by_territory()

    assert compute_impact(Device.objects.all()).devices_reused == 0
    assert (rows[RURAL], outside) == (0, 0)
