"""A person in two organisations of one kind says which one they act for, on every path.

Taking « their first organisation » made a claim count against the other association's yearly cap, filed a lot
under the other donor entity, and recorded a mandate in the name of the other social service. A person in one
organisation changes nothing; an organisation that is not theirs is not found, as any other organisation's object.
"""

import pytest

from donations.models import Lot
from reuse.claims.models import Claim
from reuse.eligibility.models import Mandate
from tests.donations.test_lots import LOT
from tests.eligibility.test_api import NEW_HOUSEHOLD
from tests.factories.accounts import MembershipFactory, OrganisationFactory, member_of
from tests.factories.eligibility import ReferrerAccreditationFactory, eligible
from tests.factories.inventory import DeviceFactory
from tests.fixtures import programme  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _two(kind, **trait):
    """A person in two organisations of `kind`; the second's pk comes after the first's, so it is never « the first »."""
    first = OrganisationFactory(**{kind: True}, name="Première", **trait)
    second = OrganisationFactory(**{kind: True}, name="Seconde", **trait)
    person = member_of(first)
    MembershipFactory(user=person, organisation=second)
    return person, first, second


# --- associations: a claim, a batch -------------------------------------------------------------------------


@pytest.fixture
def associations(client, programme):  # noqa: F811
    person, first, second = _two("association")
    for organisation in (first, second):
        eligible(organisation=organisation, programme=programme)
    client.force_login(person)
    return first, second


def test_an_api_claim_of_a_person_in_two_associations_without_a_choice_is_a_400_naming_them(
    api_client, associations
):
    first, second = associations
    response = api_client.post("/api/v1/claims", {"device_id": DeviceFactory(listed=True).pk})

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "association_required"
    assert f"Première (n° {first.pk})" in response.json()["detail"]
    assert f"Seconde (n° {second.pk})" in response.json()["detail"]
    assert not Claim.objects.exists()


def test_an_api_claim_counts_for_the_chosen_association(api_client, associations):
    _first, second = associations
    device = DeviceFactory(listed=True)

    response = api_client.post("/api/v1/claims", {"device_id": device.pk, "organisation_id": second.pk})

    assert response.status_code == 201, response.content
    assert Claim.objects.get().organisation == second


def test_an_api_batch_without_a_choice_is_a_400_and_reserves_nothing(api_client, associations):
    devices = [DeviceFactory(listed=True).pk for _ in range(2)]

    response = api_client.post("/api/v1/claims/batch", {"device_ids": devices})

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "association_required"
    assert not Claim.objects.exists()


def test_an_api_batch_for_another_association_is_not_found(api_client, associations, programme):  # noqa: F811
    theirs = eligible(organisation=OrganisationFactory(association=True), programme=programme)
    devices = [DeviceFactory(listed=True).pk for _ in range(2)]

    response = api_client.post("/api/v1/claims/batch", {"device_ids": devices, "organisation_id": theirs.pk})

    assert response.status_code == 404
    assert not Claim.objects.exists()


# --- donors: a lot --------------------------------------------------------------------------------------------


@pytest.fixture
def donors(client):
    person, first, second = _two("donor")
    client.force_login(person)
    return first, second


def test_an_api_lot_of_a_person_in_two_donors_without_a_choice_is_a_400_in_their_language(api_client, donors):
    response = api_client.post("/api/v1/lots", LOT, headers={"Accept-Language": "en"})

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "donor_required"
    assert "You belong to several donor organisations" in response.json()["detail"]
    assert not Lot.objects.exists()


def test_an_api_lot_is_declared_for_the_chosen_donor(api_client, donors):
    _first, second = donors

    response = api_client.post("/api/v1/lots", {**LOT, "organisation_id": second.pk})

    assert response.status_code == 201, response.content
    assert Lot.objects.get().donor == second


@pytest.mark.parametrize("whose", ["another_organisation", "nobody"])
def test_a_lot_for_a_donor_that_is_not_the_persons_is_not_found(api_client, donors, whose):
    theirs = OrganisationFactory(donor=True)
    chosen = theirs.pk if whose == "another_organisation" else theirs.pk + 1000

    response = api_client.post("/api/v1/lots", {**LOT, "organisation_id": chosen})

    assert response.status_code == 404
    assert not Lot.objects.exists()


# --- referrers: a household and its mandate ---------------------------------------------------------------


@pytest.fixture
def referrers(client, programme):  # noqa: F811
    first = ReferrerAccreditationFactory(organisation__name="Première").organisation
    second = ReferrerAccreditationFactory(organisation__name="Seconde").organisation
    person = member_of(first)
    MembershipFactory(user=person, organisation=second)
    client.force_login(person)
    return first, second


def test_an_api_household_of_a_referrer_in_two_structures_without_a_choice_is_a_400(api_client, referrers):
    response = api_client.post("/api/v1/households", NEW_HOUSEHOLD)

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "referrer_required"
    assert not Mandate.objects.exists()


def test_an_api_household_is_followed_by_the_chosen_structure(api_client, referrers):
    _first, second = referrers

    response = api_client.post("/api/v1/households", {**NEW_HOUSEHOLD, "organisation_id": second.pk})

    assert response.status_code == 201, response.content
    assert Mandate.objects.get().referrer_organisation == second


def test_a_household_for_another_structure_is_not_found(api_client, referrers):
    theirs = ReferrerAccreditationFactory().organisation

    response = api_client.post("/api/v1/households", {**NEW_HOUSEHOLD, "organisation_id": theirs.pk})

    assert response.status_code == 404
    assert not Mandate.objects.exists()
