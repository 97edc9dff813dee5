"""Mass assignment: fields a person must not set, sent along with a valid request, change nothing.

A donor, a workshop's technician, a referrer or a newcomer adds to a real payload the fields they would like to
write (status, organisation, workshop, owner, staff and verification flags, a price): every API input and every
form lists the fields it reads. A form ignores the extras; the API refuses them with a 422 naming each one
(reuse.errors.InputSchema), and nothing is written.
"""

import pytest
from django.test import Client
from django.urls import reverse

from donations.models import Lot
from inventory.models import Device
from reuse.accounts import services
from reuse.accounts.enums import OrganisationStatus
from reuse.accounts.models import Organisation, User
from reuse.structures.models import StructureProfile
from tests.donations.test_lots import LOT
from tests.donations.test_registration import FORM as DONOR_FORM
from tests.eligibility.test_api import NEW_HOUSEHOLD
from tests.eligibility.test_pages import SIGNUP
from tests.factories.accounts import OrganisationFactory, UserFactory, valid_siret
from tests.factories.donations import donor_with_member
from tests.factories.eligibility import accredited_referrer
from tests.factories.inventory import DeviceFactory, workshop_with_member
from tests.factories.programmes import ProgrammeFactory
from tests.factories.structures import LA_POSTE, PLUMBER

pytestmark = pytest.mark.django_db

FLAGS = {
    "is_staff": True,
    "is_superuser": True,
    "is_active": True,
    "verified": True,
    "verified_at": "2026-01-01",
}


def refused_fields(response) -> set[str]:
    assert response.status_code == 422, response.content
    return {error["field"].removeprefix("payload.") for error in response.json()["errors"]}


def api_as(user) -> Client:
    token = services.issue_api_token(user=user, name="outil")
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_a_donor_cannot_set_the_status_workshop_or_owner_of_a_lot():
    donor, user = donor_with_member()
    other_donor = OrganisationFactory()
    workshop, _technician = workshop_with_member()
    extras = {
        "status": "received",
        "donor_id": other_donor.pk,
        "donor": other_donor.pk,
        "workshop_id": workshop.pk,
        "created_by_id": UserFactory().pk,
        "id": 999_999,
    }
    response = api_as(user).post("/api/v1/lots", {**LOT, **extras}, content_type="application/json")
    assert refused_fields(response) == set(extras)
    assert not Lot.objects.exists()
    response = api_as(user).post("/api/v1/lots", LOT, content_type="application/json")
    lot = Lot.objects.get(pk=response.json()["id"])
    assert (lot.status, lot.donor_id, lot.workshop_id, lot.created_by_id) == (
        "draft",
        donor.pk,
        None,
        user.pk,
    )


def test_a_technician_cannot_move_list_or_reassign_a_device_by_patching_it():
    workshop, technician = workshop_with_member()
    other, _ = workshop_with_member()
    device = DeviceFactory(workshop=workshop)
    before = Device.objects.values("state", "workshop_id", "lot_id", "asset_tag").get(pk=device.pk)
    extras = {
        "state": "listed",
        "workshop_id": other.pk,
        "workshop": other.pk,
        "lot_id": 1,
        "asset_tag": "RB-999999",
        "erased": True,
        "id": 999_999,
    }
    response = api_as(technician).patch(
        f"/api/v1/devices/{device.pk}", {"brand": "Fujitsu", **extras}, content_type="application/json"
    )
    assert refused_fields(response) == set(extras)
    after = Device.objects.values("state", "workshop_id", "lot_id", "asset_tag").get(pk=device.pk)
    assert after == before
    assert Device.objects.get(pk=device.pk).brand != "Fujitsu"


def test_a_referrer_cannot_open_a_staff_account_for_a_household():
    referrer, _organisation = accredited_referrer()
    extras = {**FLAGS, "password": "choisi-par-le-prescripteur", "groups": [1]}
    response = api_as(referrer).post(
        "/api/v1/households", {**NEW_HOUSEHOLD, **extras}, content_type="application/json"
    )
    assert refused_fields(response) == set(extras)
    assert not User.objects.filter(last_name="Koné").exists()
    response = api_as(referrer).post("/api/v1/households", NEW_HOUSEHOLD, content_type="application/json")
    created = User.objects.get(last_name="Koné")
    assert not created.is_staff and not created.is_superuser and not created.groups.exists()
    assert not created.has_usable_password()


def test_a_newcomer_cannot_sign_up_as_staff_nor_approve_their_own_organisation(client):
    ProgrammeFactory(every_check=True, declarations=True)
    response = client.post("/eligibilite/inscription/", {**SIGNUP, "birth_date": "1990-01-02", **FLAGS})
    assert response.status_code == 302
    household = User.objects.get(email=SIGNUP["email"])
    assert not household.is_staff and not household.is_superuser

    client.logout()
    extras = {**FLAGS, "status": OrganisationStatus.APPROVED, "kind": "workshop"}
    response = client.post("/dons/inscription/", {**DONOR_FORM, "siret": valid_siret(4242), **extras})
    assert response.status_code == 302
    organisation = Organisation.objects.get(name=DONOR_FORM["name"])
    assert organisation.kind == "donor" and organisation.status != OrganisationStatus.APPROVED
    person = User.objects.get(email=DONOR_FORM["email"])
    assert not person.is_staff and not person.is_superuser


def test_a_small_structure_cannot_verify_itself_at_sign_up(client):
    ProgrammeFactory()
    person = {"first_name": "Luc", "last_name": "Martin", "email": "luc@example.test"}
    data = {**PLUMBER, **person, "siret": LA_POSTE, "password": "un-long-mot-de-passe-2026"}
    extras = {**FLAGS, "verified_by": UserFactory(is_staff=True).pk, "status": OrganisationStatus.APPROVED}
    assert client.post(reverse("structures:signup"), {**data, **extras}).status_code == 302
    profile = StructureProfile.objects.select_related("organisation").get()
    assert profile.verified_at is None and profile.verified_by_id is None
    assert profile.organisation.status != OrganisationStatus.APPROVED
