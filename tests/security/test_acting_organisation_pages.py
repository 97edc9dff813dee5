"""The web pages of a person in two organisations of one kind: a labelled choice, required, among theirs only.

A person in one organisation sees no choice (tests/donations/test_lots.py and tests/eligibility/test_pages.py
keep their pages as they were).
"""

import pytest

from donations.models import Lot
from reuse.claims.models import Claim
from reuse.eligibility.models import Mandate
from tests.eligibility.test_pages import REFERRER_FORM
from tests.factories.accounts import OrganisationFactory
from tests.factories.eligibility import ReferrerAccreditationFactory, eligible
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db

LOT_PAGE = "/dons/lots/nouveau/"
LOT_FORM = {
    "title": "Tablettes",
    "pickup_address": "1 rue A",
    "pickup_postcode": "75011",
    "available_from": "2026-12-01",
    "items-TOTAL_FORMS": "1",
    "items-INITIAL_FORMS": "0",
    "items-0-type": "monitor",
    "items-0-quantity": "3",
}
HOUSEHOLD_PAGE = "/eligibilite/prescripteur/foyers/nouveau/"
HOUSEHOLD_FORM = {**REFERRER_FORM, "birth_date": "1975-07-14"}


def test_the_lot_page_asks_a_person_in_two_donors_which_one_gives_the_lot(client, donors):
    first, second = donors
    html = client.get(LOT_PAGE).content.decode()

    assert '<label for="id_organisation"' in html
    assert f'<option value="{second.pk}">Seconde</option>' in html

    response = client.post(LOT_PAGE, LOT_FORM)
    assert response.status_code == 200
    assert not Lot.objects.exists()

    client.post(LOT_PAGE, {**LOT_FORM, "organisation": second.pk})
    assert Lot.objects.get().donor == second


def test_a_lot_page_posted_for_another_donor_is_not_found(client, donors):
    response = client.post(LOT_PAGE, {**LOT_FORM, "organisation": OrganisationFactory(donor=True).pk})

    assert response.status_code == 404
    assert not Lot.objects.exists()


def test_the_household_page_asks_a_referrer_in_two_structures_which_one_follows_the_person(client, referrers):
    _first, second = referrers
    html = client.get(HOUSEHOLD_PAGE).content.decode()

    assert '<label for="id_organisation"' in html
    assert f'<option value="{second.pk}">Seconde</option>' in html

    client.post(HOUSEHOLD_PAGE, {**HOUSEHOLD_FORM, "organisation": second.pk})
    assert Mandate.objects.get().referrer_organisation == second


def test_a_household_page_posted_for_another_structure_is_not_found(client, referrers):
    theirs = ReferrerAccreditationFactory().organisation

    response = client.post(HOUSEHOLD_PAGE, {**HOUSEHOLD_FORM, "organisation": theirs.pk})

    assert response.status_code == 404
    assert not Mandate.objects.exists()


ASSOCIATION_PAGE = "/demandes/association/"


def test_the_claim_form_asks_a_member_of_two_associations_which_one_reserves(client, associations):
    _first, second = associations
    device = DeviceFactory(listed=True)
    html = client.get(f"/catalogue/{device.pk}/").content.decode()

    assert '<label for="id_association"' in html
    assert f'<option value="{second.pk}">Seconde</option>' in html

    assert client.post(f"/catalogue/{device.pk}/demander/").status_code == 422
    assert not Claim.objects.exists()

    client.post(f"/catalogue/{device.pk}/demander/", {"association": second.pk})
    assert Claim.objects.get().organisation == second


def test_a_claim_posted_for_another_association_is_not_found(client, associations, programme):
    theirs = eligible(organisation=OrganisationFactory(association=True), programme=programme)
    device = DeviceFactory(listed=True)

    response = client.post(f"/catalogue/{device.pk}/demander/", {"association": theirs.pk})

    assert response.status_code == 404
    assert not Claim.objects.exists()


def test_the_association_dashboard_acts_for_the_association_chosen_there(client, associations):
    _first, second = associations
    devices = [DeviceFactory(listed=True).pk for _ in range(2)]

    html = client.get(ASSOCIATION_PAGE).content.decode()
    assert '<label for="id_association"' in html
    client.post(ASSOCIATION_PAGE, {"mode": "pick", "devices": devices})
    assert not Claim.objects.exists()

    client.post(ASSOCIATION_PAGE, {"association": second.pk})
    assert '<h1 data-role-page="association">Seconde</h1>' in client.get(ASSOCIATION_PAGE).content.decode()
    client.post(ASSOCIATION_PAGE, {"mode": "pick", "devices": devices})
    assert set(Claim.objects.values_list("organisation", flat=True)) == {second.pk}


def test_the_association_dashboard_does_not_switch_to_another_association(client, associations, programme):
    theirs = eligible(organisation=OrganisationFactory(association=True), programme=programme)

    assert client.post(ASSOCIATION_PAGE, {"association": theirs.pk}).status_code == 404
    assert "claims_association" not in client.session
