"""What a referrer is told by email of a household it acts for follows its mandate's scope as its pages do: a
claim's news (the reminder before its reservation lapses, the handover code it carries) goes to the referrer who
claimed only while a mandate covering claims lets it act (reuse.policy.claims.can_see_handover_code); narrowed to
eligibility, or ended, the referrer hears nothing more of the claim. Nothing of a decision is ever sent to a
referrer: decisions are told to the household itself."""

import pytest
from django.core import mail

from reuse.claims.services import reservations
from reuse.eligibility.enums import MandateScope
from reuse.eligibility.services import decisions
from tests import fixtures
from tests.factories.eligibility import accredited_referrer, eligible, household_opened_by
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db
_on_commit_runs_at_once = fixtures._on_commit_runs_at_once


def _claimed_by_its_referrer():
    """A household without an address, its referrer claiming a priced device for it under both scopes."""
    referrer, _organisation = accredited_referrer()
    person = household_opened_by(referrer)
    eligible(person)
    device = DeviceFactory(listed=True, price_cents=2500, model="Latitude 7490")
    claim = reservations.create_claim(actor=referrer, device_id=device.pk, beneficiary=person)
    return referrer, person, claim


def _narrowed_to(person, scopes):
    mandate = person.mandates.get()
    mandate.scopes = scopes
    mandate.save(update_fields=["scopes"])


def test_the_claims_referrer_is_reminded_of_the_claim(_on_commit_runs_at_once):
    referrer, _person, claim = _claimed_by_its_referrer()
    mail.outbox.clear()
    assert reservations.remind_expiring(claim_id=claim.pk)
    assert [email.to for email in mail.outbox] == [[referrer.email]]


def test_a_referrer_narrowed_to_eligibility_hears_nothing_more_of_the_claim(_on_commit_runs_at_once):
    referrer, person, claim = _claimed_by_its_referrer()
    _narrowed_to(person, [MandateScope.ELIGIBILITY])
    mail.outbox.clear()
    assert reservations.remind_expiring(claim_id=claim.pk)
    assert [email for email in mail.outbox if referrer.email in email.to] == []


def test_a_decision_is_never_emailed_to_the_referrer_who_attested_it(_on_commit_runs_at_once):
    ProgrammeFactory(criteria=["rsa", "css", "aah"])
    referrer, _organisation = accredited_referrer()
    person = household_opened_by(referrer, scopes=[MandateScope.ELIGIBILITY, MandateScope.CLAIMS])
    mail.outbox.clear()
    decisions.attest(referrer=referrer, household=person, criteria=["aah"])
    assert [email for email in mail.outbox if referrer.email in email.to] == []
