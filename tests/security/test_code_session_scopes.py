"""A session opened with a printed sign-in code reads, of the household's account, what the code's mandate covers
only: the referrer who printed the code may be the one typing it, and reads through it no more than its mandate
lets it read on its own pages (reuse.policy.mandates, session_allows). With the household's own access, or a code
under a mandate covering both scopes, everything is there.

The copy of one's data (RGPD art. 15 and 20, « Mes données ») and the mandate journal of the household's space.
"""

import json

import pytest
from django.urls import reverse

from reuse.claims.services import reservations
from reuse.eligibility import sign_in_codes
from reuse.eligibility.enums import Criterion, MandateScope
from reuse.eligibility.models import EligibilityDecision
from reuse.eligibility.services import decisions
from reuse.tripod import services as tripod_services
from tests.factories.eligibility import accredited_referrer, eligible, household_opened_by
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory
from tests.factories.tripod import ConnectivityOfferFactory, SessionSlotFactory

pytestmark = pytest.mark.django_db


def _sign_in_with_a_code_under(client, referrer, person, scopes):
    """The mandate narrowed to `scopes` (what was done before was done under both), then a code printed under it
    typed in `client`."""
    mandate = person.mandates.get()
    mandate.scopes = scopes
    mandate.save(update_fields=["scopes"])
    code = sign_in_codes.issue_sign_in_code(referrer=referrer, household=person).code
    client.post(reverse("eligibility:code_login"), {"code": code}, REMOTE_ADDR="10.0.0.1")


def _copy_under(client, scopes) -> dict:
    """The copy downloaded in a code session under a mandate of `scopes`, for a household that has an AAH
    decision, an orientation, a claim and a first-use session booked for it."""
    referrer, _organisation = accredited_referrer()
    person = household_opened_by(referrer, scopes=[MandateScope.ELIGIBILITY, MandateScope.CLAIMS])
    eligible(person)
    decision = EligibilityDecision.objects.get(beneficiary=person)
    tripod_services.orient(actor=person, decision=decision, offer_id=ConnectivityOfferFactory().pk)
    EligibilityDecision.objects.filter(pk=decision.pk).update(criteria=[Criterion.AAH])
    claim = reservations.create_claim(actor=person, device_id=DeviceFactory(listed=True).pk)
    slot = SessionSlotFactory(workshop=claim.device.workshop)
    tripod_services.book_session(actor=person, household=person, slot_id=slot.pk, claim=claim)
    _sign_in_with_a_code_under(client, referrer, person, scopes)
    response = client.get(reverse("accounts:my_data_download"))
    assert response.status_code == 200
    return json.loads(response.content)


def test_a_claims_only_code_session_copy_leaves_out_the_decision_and_offers(client):
    copy = _copy_under(client, [MandateScope.CLAIMS])
    assert copy["eligibility"]["decisions"] == [] and copy["eligibility"]["documents"] == []
    assert copy["first_use"]["connection_offers"] == []
    assert len(copy["claims"]) == 1 and len(copy["first_use"]["sessions"]) == 1
    assert Criterion.AAH not in json.dumps(copy)


def test_an_eligibility_only_code_session_copy_leaves_out_the_claims(client):
    copy = _copy_under(client, [MandateScope.ELIGIBILITY])
    assert copy["claims"] == [] and copy["first_use"]["sessions"] == [] and copy["warranty_tickets"] == []
    assert copy["eligibility"]["decisions"][0]["criteria"] == [Criterion.AAH]
    assert len(copy["first_use"]["connection_offers"]) == 1


def test_a_code_session_under_both_scopes_has_the_whole_copy(client):
    copy = _copy_under(client, [MandateScope.ELIGIBILITY, MandateScope.CLAIMS])
    assert copy["eligibility"]["decisions"][0]["criteria"] == [Criterion.AAH]
    assert len(copy["claims"]) == 1 and len(copy["first_use"]["sessions"]) == 1
    assert len(copy["first_use"]["connection_offers"]) == 1


def _journal_under(client, scopes) -> str:
    """The household's space in a code session under a mandate of `scopes`, once its referrer attested the AAH
    and claimed a device for it under a mandate covering both."""
    ProgrammeFactory(criteria=["rsa", "css", Criterion.AAH])
    referrer, _organisation = accredited_referrer()
    person = household_opened_by(referrer, scopes=[MandateScope.ELIGIBILITY, MandateScope.CLAIMS])
    decisions.attest(referrer=referrer, household=person, criteria=[Criterion.AAH])
    reservations.create_claim(
        actor=referrer, device_id=DeviceFactory(listed=True, model="Latitude 7490").pk, beneficiary=person
    )
    _sign_in_with_a_code_under(client, referrer, person, scopes)
    page = client.get(reverse("eligibility:dashboard"))
    assert page.status_code == 200
    return page.content.decode()


def test_a_code_session_copy_has_the_journal_and_waitlist_its_mandate_covers_and_no_emails(client):
    """The copy's mandate journal reads as the household's space does, its waiting list goes with claims, and the
    emails (which speak of every part of the account) stay out of a session the referrer may have opened."""
    _journal_under(client, [MandateScope.CLAIMS])
    copy = json.loads(client.get(reverse("accounts:my_data_download")).content)
    details = " ".join(entry["detail"] for entry in copy["eligibility"]["mandate_journal"])
    assert "Latitude 7490" in details and str(Criterion.AAH.label) not in details
    assert "notifications" not in copy and copy["waitlist"] == []


def test_a_claims_only_code_session_journal_leaves_out_the_attested_criteria(client):
    page = _journal_under(client, [MandateScope.CLAIMS])
    assert str(Criterion.AAH.label) not in page and "Latitude 7490" in page


def test_an_eligibility_only_code_session_journal_leaves_out_the_claims(client):
    page = _journal_under(client, [MandateScope.ELIGIBILITY])
    assert str(Criterion.AAH.label) in page and "Latitude 7490" not in page
