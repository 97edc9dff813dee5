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
from tests.factories.accounts import OrganisationFactory
from tests.factories.eligibility import ReferrerAccreditationFactory, eligible
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


# --- associations: a claim, a batch -------------------------------------------------------------------------


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


def test_an_api_batch_for_another_association_is_not_found(api_client, associations, programme):
    theirs = eligible(organisation=OrganisationFactory(association=True), programme=programme)
    devices = [DeviceFactory(listed=True).pk for _ in range(2)]

    response = api_client.post("/api/v1/claims/batch", {"device_ids": devices, "organisation_id": theirs.pk})

    assert response.status_code == 404
    assert not Claim.objects.exists()


# --- donors: a lot --------------------------------------------------------------------------------------------


def test_an_api_lot_of_a_person_in_two_donors_without_a_choice_is_a_400_in_their_language(api_client, donors):
    response = api_client.post("/api/v1/lots", LOT, headers={"Accept-Language": "en"})

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "donor_required"
    assert "You belong to several donor organisations" in response.json()["detail"]
    assert not Lot.objects.exists()


@pytest.mark.parametrize(
    "kind,path,body,made_for",
    [
        ("donors", "/api/v1/lots", LOT, lambda: Lot.objects.get().donor),
        (
            "referrers",
            "/api/v1/households",
            NEW_HOUSEHOLD,
            lambda: Mandate.objects.get().referrer_organisation,
        ),
    ],
)
def test_a_lot_or_a_household_is_made_for_the_chosen_organisation(
    request, api_client, kind, path, body, made_for
):
    _first, second = request.getfixturevalue(kind)

    response = api_client.post(path, {**body, "organisation_id": second.pk})

    assert response.status_code == 201, response.content
    assert made_for() == second


@pytest.mark.parametrize("whose", ["another_organisation", "nobody"])
def test_a_lot_for_a_donor_that_is_not_the_persons_is_not_found(api_client, donors, whose):
    theirs = OrganisationFactory(donor=True)
    chosen = theirs.pk if whose == "another_organisation" else theirs.pk + 1000

    response = api_client.post("/api/v1/lots", {**LOT, "organisation_id": chosen})

    assert response.status_code == 404
    assert not Lot.objects.exists()


# --- referrers: a household and its mandate ---------------------------------------------------------------


def test_an_api_household_of_a_referrer_in_two_structures_without_a_choice_is_a_400(api_client, referrers):
    response = api_client.post("/api/v1/households", NEW_HOUSEHOLD)

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "referrer_required"
    assert not Mandate.objects.exists()


def test_a_household_for_another_structure_is_not_found(api_client, referrers):
    theirs = ReferrerAccreditationFactory().organisation

    response = api_client.post("/api/v1/households", {**NEW_HOUSEHOLD, "organisation_id": theirs.pk})

    assert response.status_code == 404
    assert not Mandate.objects.exists()
