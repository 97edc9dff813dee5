"""Whoever gives an account its address can take it (the password reset link goes there: reuse.accounts.
identifiers). A referrer may give one to a household in its care, but only under a mandate covering the whole
account: a referrer whose mandate covers the household's claims only (or its eligibility only), giving an address
it reads, would follow the link, choose a password and enter the account by itself, reading and doing all that
its mandate keeps from it (the AAH of the decision another referrer attested, GDPR art. 9). The page and the
service are a 404 to it, the household's page offers no such link, and a household opened under such a mandate
is opened without an address."""

import pytest
from django.core import mail
from django.urls import reverse

from reuse.accounts.models import User
from reuse.eligibility.enums import MandateScope
from reuse.eligibility.services import households
from reuse.errors import InvalidInput, NotFound
from tests import fixtures
from tests.eligibility.test_api import NEW_HOUSEHOLD
from tests.factories.eligibility import MandateFactory, accredited_referrer, household_opened_by
from tests.security.test_sign_in_identifiers import give_email, referrer_client

pytestmark = pytest.mark.django_db
_on_commit_runs_at_once = fixtures._on_commit_runs_at_once

ADDRESS = "accueil.structure-b@example.test"


def _followed_by_a_second_referrer(scopes):
    """A household in the care of the referrer who opened its account (a mandate covering both scopes), and a
    referrer of another organisation to which it gave a mandate covering `scopes`."""
    first, _organisation = accredited_referrer()
    household = household_opened_by(first)
    second, organisation = accredited_referrer()
    MandateFactory(household=household, referrer_organisation=organisation, referrer=second, scopes=scopes)
    return household, second


@pytest.mark.parametrize("scope", [MandateScope.CLAIMS, MandateScope.ELIGIBILITY])
def test_a_referrer_under_a_one_scope_mandate_cannot_give_the_account_an_address(
    _on_commit_runs_at_once, scope
):
    household, second = _followed_by_a_second_referrer([scope])
    social_worker = referrer_client(second)
    page = social_worker.get(reverse("eligibility:referrer_household", args=[household.pk]))
    assert page.status_code == 200
    assert reverse("eligibility:referrer_household_email", args=[household.pk]) not in page.content.decode()
    form = social_worker.get(reverse("eligibility:referrer_household_email", args=[household.pk]))
    assert form.status_code == 404
    assert give_email(social_worker, household, ADDRESS).status_code == 404
    with pytest.raises(NotFound):
        households.give_email(referrer=second, household=household, email=ADDRESS)
    household.refresh_from_db()
    assert (household.email, household.pending_email) == (None, "")
    assert [email for email in mail.outbox if ADDRESS in email.to] == []


def test_a_referrer_under_a_whole_mandate_still_gives_the_address(_on_commit_runs_at_once):
    household, second = _followed_by_a_second_referrer([MandateScope.ELIGIBILITY, MandateScope.CLAIMS])
    assert give_email(referrer_client(second), household, ADDRESS).status_code == 302
    assert User.objects.get(pk=household.pk).pending_email == ADDRESS


def test_a_household_opened_under_a_one_scope_mandate_is_opened_without_an_address():
    referrer, _organisation = accredited_referrer()
    with pytest.raises(InvalidInput):
        household_opened_by(referrer, scopes=[MandateScope.CLAIMS], email=ADDRESS)
    assert not User.objects.filter(pending_email=ADDRESS).exists()
    assert not User.objects.filter(last_name="Traoré").exists()


def test_the_api_opens_no_household_with_an_address_under_a_one_scope_mandate():
    referrer, _organisation = accredited_referrer()
    client = referrer_client(referrer)
    body = {**NEW_HOUSEHOLD, "email": ADDRESS, "mandate": {"scope": ["claims"], "months": 6}}
    response = client.post("/api/v1/households", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "email_needs_whole_mandate"
    assert not User.objects.filter(last_name="Koné").exists()
