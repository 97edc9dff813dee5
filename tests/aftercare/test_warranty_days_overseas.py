"""A warranty's days are the days where the device was handed over. In Guadeloupe (UTC-4) the last day used to end
at 19:00 local time (midnight in Paris): a household reporting a fault that evening was told the warranty was
over; the 3-month questionnaire opened at 19:00 on the eve of its day, which counts a use one day early."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from reuse.aftercare.services import tickets
from reuse.errors import Forbidden
from tests.aftercare.helpers import handed_over
from tests.factories.accounts import OrganisationFactory
from tests.factories.eligibility import eligible
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db
GUADELOUPE = ZoneInfo("America/Guadeloupe")


def test_a_guadeloupe_warranty_runs_to_the_end_of_its_last_day_there():
    programme = ProgrammeFactory(departments=["971"])
    workshop = OrganisationFactory(
        open_workshop=True, postcode="97110", department="971", city="Pointe-à-Pitre"
    )
    # 1 February, 20:30 in Pointe-à-Pitre is 2 February, 01:30 in Paris: the handover day there is the 1st.
    with time_machine.travel(datetime(2026, 2, 1, 20, 30, tzinfo=GUADELOUPE), tick=False):
        claim, _tech = handed_over(free=True, workshop=workshop, household=eligible(programme=programme))
        late, _tech = handed_over(free=True, workshop=workshop, household=eligible(programme=programme))
    # 1 August, 21:00 in Guadeloupe (2 August, 03:00 in Paris): still its last day there.
    with time_machine.travel(datetime(2026, 8, 1, 21, 0, tzinfo=GUADELOUPE), tick=False):
        ticket = tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description="Écran noir")
    assert str(ticket.warranty_until) == "2026-08-01"
    with (
        time_machine.travel(datetime(2026, 8, 2, 0, 1, tzinfo=GUADELOUPE), tick=False),
        pytest.raises(Forbidden),
    ):
        tickets.open_ticket(actor=late.beneficiary, claim_id=late.pk, description="x")
