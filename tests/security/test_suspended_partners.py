"""An association or a referrer organisation staff suspend loses what its approval gave it at once: the
association's eligibility decision no longer lets it claim, and the referrer's members no longer act for the
households under its mandates (reuse.accounts.services.suspend_organisation)."""

import pytest
from django.urls import reverse

from inventory.enums import DeviceState
from reuse.accounts.services import suspend_organisation
from reuse.claims.models import Claim
from reuse.claims.services import reservations
from reuse.errors import Forbidden
from tests.factories.accounts import OrganisationFactory, UserFactory, member_of
from tests.factories.eligibility import eligible, referrer_with_household
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspended_association(db):
    ProgrammeFactory()
    association = eligible(organisation=OrganisationFactory(association=True))
    member = member_of(association)
    suspend_organisation(organisation=association, by=UserFactory(is_staff=True))
    return association, member


def test_a_suspended_association_claims_nothing(client, api_client, suspended_association):
    association, member = suspended_association
    devices = [DeviceFactory(listed=True, free=True) for _ in range(2)]
    client.force_login(member)
    one = api_client.post("/api/v1/claims", {"device_id": devices[0].pk})
    batch = api_client.post("/api/v1/claims/batch", {"device_ids": [d.pk for d in devices]})
    page = client.post(
        reverse("claims:association_dashboard"), {"mode": "pick", "devices": [d.pk for d in devices]}
    )
    for response in (one, batch):
        assert response.status_code == 403, response.json()
        assert response.json()["code"] == "not_eligible"
    assert page.status_code == 422 and "suspendue" in page.content.decode()
    with pytest.raises(Forbidden):
        reservations.create_batch_claims(actor=member, organisation=association, device_ids=[devices[0].pk])
    assert not Claim.objects.exists()
    for device in devices:
        device.refresh_from_db()
        assert device.state == DeviceState.LISTED


def test_a_suspended_referrers_members_act_for_no_household(client, api_client):
    ProgrammeFactory()
    referrer, household = referrer_with_household()
    organisation = referrer.memberships.get().organisation
    claim = reservations.create_claim(
        actor=referrer, beneficiary=household, device_id=DeviceFactory(listed=True, free=True).pk
    )
    suspend_organisation(organisation=organisation, by=UserFactory(is_staff=True))
    device = DeviceFactory(listed=True, free=True, phone=True)  # another type: within the household's cap
    client.force_login(referrer)
    made = api_client.post("/api/v1/claims", {"device_id": device.pk, "beneficiary_id": household.pk})
    # Told why (the household consented to its own organisation), not that the person does not exist.
    assert (made.status_code, made.json()["code"]) == (403, "not_accredited"), made.json()
    assert client.get("/api/v1/households").json() == []
    # Nor does it read the code that would let one of its members collect the household's device.
    assert client.get(f"/api/v1/claims/{claim.pk}").status_code == 404
    assert client.get(reverse("claims:claim_code", args=[claim.pk])).status_code == 404
    with pytest.raises(Forbidden):
        reservations.create_claim(actor=referrer, beneficiary=household, device_id=device.pk)
    assert Claim.objects.filter(device=device).count() == 0


def test_a_referrer_whose_accreditation_was_withdrawn_acts_for_no_household(client, api_client):
    """The organisation stays approved (its members still sign in and read their history), but staff no longer
    vouch for its attestations: its mandates stop carrying claims and attestations until the accreditation runs
    again."""
    from django.utils import timezone

    from reuse.eligibility.models import ReferrerAccreditation
    from reuse.eligibility.services import decisions

    ProgrammeFactory()
    referrer, household = referrer_with_household()
    accreditation = ReferrerAccreditation.objects.get(organisation=referrer.memberships.get().organisation)
    accreditation.revoked_at = timezone.now()
    accreditation.save()
    device = DeviceFactory(listed=True, free=True)

    client.force_login(referrer)
    made = api_client.post("/api/v1/claims", {"device_id": device.pk, "beneficiary_id": household.pk})
    assert (made.status_code, made.json()["code"]) == (403, "not_accredited"), made.json()
    assert client.get("/api/v1/households").json() == []
    with pytest.raises(Forbidden):
        decisions.attest(referrer=referrer, household=household, criteria=["rsa"])
    assert not Claim.objects.filter(device=device).exists()

    accreditation.revoked_at = None
    accreditation.save()
    made = api_client.post("/api/v1/claims", {"device_id": device.pk, "beneficiary_id": household.pk})
    assert made.status_code == 201, made.json()
