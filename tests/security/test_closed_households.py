"""Nobody acts for an account that is closed or that staff deactivated.

A referrer's mandate gives access to a person; once that person closed their account (reuse.accounts.privacy) or
staff deactivated it (a fraud, a duplicate), the referrer neither claims nor attests for it, finds it in no list,
and cannot record a new mandate to bring it back: the rule sits in reuse.policy (running_mandates,
renewable_households), read by every page, API operation and service.
"""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from reuse.accounts.backends import forget
from reuse.accounts.models import User
from reuse.claims.models import Claim
from reuse.eligibility.models import Mandate
from tests.factories.eligibility import referrer_with_household
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mandate(db):
    """A referrer and the household it holds a running mandate for (claims and eligibility)."""
    ProgrammeFactory()
    return referrer_with_household()


def test_a_deactivated_household_is_acted_for_by_nobody(client, api_client, mandate):
    referrer, household = mandate
    User.objects.filter(pk=household.pk).update(is_active=False)
    forget(household.pk)
    assert Mandate.objects.active().filter(household=household).exists()  # staff did not end the mandate
    client.force_login(referrer)
    device = DeviceFactory(listed=True)
    claim = api_client.post("/api/v1/claims", {"device_id": device.pk, "beneficiary_id": household.pk})
    attest = api_client.post(
        "/api/v1/eligibility",
        {"beneficiary_id": household.pk, "criteria": ["rsa"], "evidence": "attestation"},
    )
    assert (claim.status_code, attest.status_code) == (404, 404), (claim.json(), attest.json())
    assert client.get("/api/v1/households").json() == []
    assert client.get(reverse("eligibility:referrer_household", args=[household.pk])).status_code == 404
    assert not Claim.objects.filter(beneficiary=household).exists()


def test_a_closed_account_cannot_be_brought_back_with_a_new_mandate(client, mandate):
    referrer, household = mandate
    call_command("close_household_account", household.pk, stdout=io.StringIO())
    client.force_login(referrer)
    renew = reverse("eligibility:referrer_mandate_renew", args=[household.pk])
    assert client.get(renew).status_code == 404
    terms = {"scopes": ["eligibility", "claims"], "months": "6", "consent_method": "printed", "consent": "on"}
    assert client.post(renew, terms).status_code == 404
    assert not Mandate.objects.active().filter(household=household).exists()
