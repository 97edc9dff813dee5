"""The warranty's last day, in Paris time: a handover just after midnight in Paris (still the day before in
UTC) and a ticket a minute before and after midnight on the last day. Devices given for nothing: the programme's
six months (a sold device has the law's two years, test_warranty_after_repair_and_swap.py)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from reuse.aftercare.services import tickets
from reuse.errors import Forbidden
from tests.aftercare.helpers import handed_over

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def test_the_warranty_runs_to_the_end_of_its_last_day_in_paris(programme):
    # 1 February, 00:30 in Paris is 31 January, 23:30 UTC: the handover day is the 1st, six months later 1 August.
    with time_machine.travel(datetime(2026, 2, 1, 0, 30, tzinfo=PARIS), tick=False):
        claim, _tech = handed_over(free=True)
        late, _tech = handed_over(free=True)
    with time_machine.travel(datetime(2026, 8, 1, 23, 59, tzinfo=PARIS), tick=False):
        ticket = tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description="x")
    assert str(ticket.warranty_until) == "2026-08-01"
    with time_machine.travel(datetime(2026, 8, 2, 0, 1, tzinfo=PARIS), tick=False), pytest.raises(Forbidden):
        tickets.open_ticket(actor=late.beneficiary, claim_id=late.pk, description="x")


def test_a_warranty_from_the_31st_of_august_ends_on_the_last_day_of_february(programme):
    with time_machine.travel(datetime(2026, 8, 31, 12, 0, tzinfo=PARIS), tick=False):
        claim, _tech = handed_over(free=True)
    with time_machine.travel(datetime(2027, 2, 28, 20, 0, tzinfo=PARIS), tick=False):
        ticket = tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description="x")
    assert str(ticket.warranty_until) == "2027-02-28"
