"""An eligible decision counts to the end of its last day where the household lives. In Guadeloupe (UTC-4) it
ended at 19:00 local time on its last day (midnight in Paris): a household claiming that evening was refused; an
attestation given there at 20:30 on 10 March counted from 11 March, the Paris day."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from reuse.eligibility.enums import Criterion
from reuse.eligibility.services import decisions
from tests.factories.eligibility import household_opened_by
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db
GUADELOUPE = ZoneInfo("America/Guadeloupe")


def test_a_guadeloupe_decision_counts_to_the_end_of_its_last_day_there(client, referrer):
    ProgrammeFactory(departments=["971"], criteria=["rsa"], accepted_evidence=["attestation"])
    person = household_opened_by(referrer, postcode="97110")
    with time_machine.travel(datetime.datetime(2026, 3, 10, 20, 30, tzinfo=GUADELOUPE), tick=False):
        decision = decisions.attest(referrer=referrer, household=person, criteria=[Criterion.RSA])
    assert decision.last_valid_day == datetime.date(2027, 3, 10)
    assert decision.expires_at == datetime.datetime(2027, 3, 11, 0, 0, tzinfo=GUADELOUPE)
    client.force_login(referrer)
    page = client.get(f"/eligibilite/decisions/{decision.pk}/").content.decode()
    assert "10 mars 2027 inclus (heure de la Guadeloupe)" in page, page[-3000:]
    with time_machine.travel(datetime.datetime(2027, 3, 10, 23, 59, tzinfo=GUADELOUPE), tick=False):
        assert decisions.valid_decision_for(user=person) == decision
    with time_machine.travel(datetime.datetime(2027, 3, 11, 0, 0, tzinfo=GUADELOUPE), tick=False):
        assert decisions.valid_decision_for(user=person) is None
