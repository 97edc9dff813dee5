"""« Foyers équipés » on the impact page and the donor's report counts the households the impact report counts:
a household whose device is back at the workshop for a repair, or was given back and refunded, does not hold one
now, and a household whose device was swapped under warranty counts once (Claim.objects.holding(), the one rule
donations.impact reads through the devices). Before, the tripod section counted every handed-over claim."""

import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from donations.impact import compute_impact
from inventory.models import Device
from reuse.aftercare.enums import ReturnedTo
from reuse.aftercare.services import tickets, triage
from reuse.claims.services import reservations
from reuse.tripod.impact import tripod_figures
from tests.aftercare.helpers import handed_over, swap_for_a_spare
from tests.factories.donations import LotFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


def test_every_equipped_figure_counts_the_households_the_impact_report_counts(client, programme):
    handed_over(household=eligible())  # keeps its device
    swapped, technician = handed_over(household=eligible())
    swap_for_a_spare(swapped, technician, "Ne démarre plus")
    repaired, technician = handed_over(household=eligible())
    ticket = tickets.open_ticket(actor=repaired.beneficiary, claim_id=repaired.pk, description="Clavier HS")
    triage.start_repair(actor=technician, ticket_id=ticket.pk)
    refunded, technician = handed_over(household=eligible())
    Device.objects.update(lot=LotFactory())
    ticket = tickets.open_ticket(actor=refunded.beneficiary, claim_id=refunded.pk, description="Écran cassé")
    triage.refund(actor=technician, ticket_id=ticket.pk, returned_to=ReturnedTo.PARTS)

    impact = compute_impact(Device.objects.all())
    assert impact.households == 2
    assert tripod_figures().equipped == impact.households
    assert figures_on_the_public_page(client) == ["2", "2"]


def figures_on_the_public_page(client) -> list[str]:
    """Every « Foyers équipés » the public impact page prints (the impact report's and the tripod's)."""
    page = client.get(reverse("donations:public_impact")).content.decode()
    return re.findall(r"Foyers équipés</dt><dd[^>]*>(\d+)<", page)


def happen(outcome: str) -> None:
    if outcome == "withdrawn":
        # Reserved, then withdrawn before the handover: nobody was equipped.
        household = eligible()
        device = DeviceFactory(listed=True, free=True)
        claim = reservations.create_claim(actor=household, device_id=device.pk)
        reservations.cancel_claim(claim_id=claim.pk, actor=household)
        return
    claim, technician = handed_over(household=eligible())
    if outcome == "swapped":
        swap_for_a_spare(claim, technician, "Ne démarre plus")
    elif outcome in ("repair", "refunded"):
        ticket = tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description="En panne")
        if outcome == "repair":
            triage.start_repair(actor=technician, ticket_id=ticket.pk)
        else:
            triage.refund(actor=technician, ticket_id=ticket.pk, returned_to=ReturnedTo.PARTS)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.sampled_from(["kept", "swapped", "repair", "refunded", "withdrawn"]), min_size=1, max_size=4)
)
def test_any_mix_of_outcomes_gives_one_count_everywhere(client, programme, outcomes):
    """The examples add up in the same database: each figure is compared with the others on the same data."""
    for outcome in outcomes:
        happen(outcome)
    # Given by a donor, as the public page counts them (devices of a lot).
    Device.objects.filter(lot__isnull=True).update(lot=LotFactory())
    impact = compute_impact(Device.objects.all())
    assert tripod_figures().equipped == impact.households
    assert figures_on_the_public_page(client) == [str(impact.households)] * 2
