"""The waiting list in a session opened with a printed sign-in code under a mandate that covers the household's
eligibility only: a place on the list is a claim waiting for its device (the device wanted, the most it would pay,
whether the home has no computer, the device offered to it), which that mandate does not let the referrer read nor
ask for on its own pages (reuse.policy.mandates.session_allows). With a code under a mandate covering claims, the
list is there."""

import pytest

from reuse.claims.models import WaitlistEntry
from reuse.eligibility.enums import MandateScope
from tests.claims.helpers import join
from tests.factories.eligibility import accredited_referrer, eligible, household_opened_by
from tests.security.test_code_session_scopes import _sign_in_with_a_code_under

pytestmark = pytest.mark.django_db

WAITLIST = "/demandes/liste-attente/"


def _waiting_then_code_session(client, scopes):
    """A household its referrer put on the list for a tablet at 40 € at most, its home without a computer; then a
    code printed under a mandate of `scopes` typed in `client`."""
    referrer, _organisation = accredited_referrer()
    person = household_opened_by(referrer, scopes=[MandateScope.ELIGIBILITY, MandateScope.CLAIMS])
    eligible(person)
    join(person, device_type="tablet", max_price_cents=4000, no_computer=True)
    _sign_in_with_a_code_under(client, referrer, person, scopes)
    return person


def test_an_eligibility_only_code_session_finds_no_waiting_list(client):
    _waiting_then_code_session(client, [MandateScope.ELIGIBILITY])
    response = client.get(WAITLIST)
    assert response.status_code == 404
    assert "40,00" not in response.content.decode()


def test_an_eligibility_only_code_session_cannot_join_the_waiting_list(client):
    person = _waiting_then_code_session(client, [MandateScope.ELIGIBILITY])
    response = client.post(WAITLIST, {"device_type": "laptop"})
    assert response.status_code == 404
    assert list(WaitlistEntry.objects.filter(beneficiary=person).values_list("device_type", flat=True)) == [
        "tablet"
    ]


def test_a_claims_code_session_reads_the_waiting_list(client):
    _waiting_then_code_session(client, [MandateScope.CLAIMS])
    response = client.get(WAITLIST)
    assert response.status_code == 200 and "40,00" in response.content.decode()
