"""People registered under their names as they are written: a single name (French civil records write « sans
prénom » for people who have none, and many countries give one name only), letters Unicode does not decompose
(« Lœuillet », « Đặng »), overseas postcodes. Every form and the API accept them, render them back unchanged, and
the referrer finds them as they type them."""

import importlib

import pytest
from django.apps import apps

from reuse.accounts.models import User
from tests.eligibility.test_api import NEW_HOUSEHOLD
from tests.eligibility.test_pages import REFERRER_FORM, SIGNUP
from tests.factories.eligibility import household_opened_by

pytestmark = pytest.mark.django_db
fold_again = importlib.import_module(
    "reuse.accounts.migrations.0017_search_names_with_undecomposed_letters"
).fold_again


def test_the_api_registers_a_person_with_a_single_name_in_mayotte(client, api_client, referrer, programme):
    client.force_login(referrer)
    answer = api_client.post(
        "/api/v1/households",
        {**NEW_HOUSEHOLD, "first_name": "", "last_name": "Mohamadi", "postcode": "97600"},
    )
    assert answer.status_code == 201, answer.content
    person = User.objects.get(last_name="Mohamadi")
    assert (person.first_name, person.household.department) == ("", "976")
    found = client.get("/api/v1/households", {"q": "mohamadi"}).json()
    assert [(item["first_name"], item["last_name"]) for item in found] == [("", "Mohamadi")]


def test_the_api_may_leave_the_first_name_out(client, api_client, referrer, programme):
    client.force_login(referrer)
    body = {key: value for key, value in NEW_HOUSEHOLD.items() if key != "first_name"}
    answer = api_client.post("/api/v1/households", {**body, "last_name": "Sukarno"})
    assert answer.status_code == 201, answer.content


def test_the_referrer_form_registers_a_single_name(client, referrer, programme):
    client.force_login(referrer)
    response = client.post(
        "/eligibilite/prescripteur/foyers/nouveau/",
        {
            **REFERRER_FORM,
            "first_name": "",
            "last_name": "Nguyễn Thị Minh Khai",
            "signed_name": "Nguyễn Thị Minh Khai",
            "birth_date": "1975-07-14",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert User.objects.filter(first_name="", last_name="Nguyễn Thị Minh Khai").exists()


def test_a_household_signs_up_with_a_single_name(client, programme):
    response = client.post(
        "/eligibilite/inscription/",
        {**SIGNUP, "first_name": "", "last_name": "Sukarno", "birth_date": "1990-01-02"},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert User.objects.get(email="ines@example.test").get_full_name() == "Sukarno"


def test_a_name_without_its_ligature_or_stroke_is_found(client, referrer, programme):
    household_opened_by(referrer, first_name="Anne-Sophie", last_name="Lœuillet")
    household_opened_by(referrer, first_name="Thị Ngọc", last_name="Đặng", postcode="97400")
    client.force_login(referrer)

    def found(query):
        return sorted(item["last_name"] for item in client.get("/api/v1/households", {"q": query}).json())

    assert found("loeuillet") == ["Lœuillet"]
    assert found("dang ngoc") == ["Đặng"]


def test_the_stored_search_names_are_folded_again(referrer, programme):
    person = household_opened_by(referrer, first_name="Søren", last_name="Lœuillet")
    User.objects.filter(pk=person.pk).update(search_name="søren lœuillet")  # as the old rule stored it
    fold_again(apps, None)
    assert User.objects.get(pk=person.pk).search_name == "soren loeuillet"


@pytest.mark.parametrize("typed", ["97 400", " 97400", "97400\u00a0"])
def test_the_api_takes_a_postcode_as_typed_as_the_forms_do(client, api_client, referrer, programme, typed):
    client.force_login(referrer)
    answer = api_client.post("/api/v1/households", {**NEW_HOUSEHOLD, "postcode": typed})
    assert answer.status_code == 201, answer.content
    assert User.objects.get(last_name="Koné").household.postcode == "97400"


def test_a_household_registered_as_loeuillet_beside_loeuillet_is_flagged_by_the_migration(programme):
    from reuse.accounts.models import HouseholdProfile
    from reuse.eligibility.models import DuplicateFlag, HouseholdFingerprint
    from tests.factories.eligibility import accredited_referrer

    fingerprint_again = importlib.import_module(
        "reuse.eligibility.migrations.0014_fingerprints_with_undecomposed_letters"
    ).fingerprint_again
    referrer, _organisation = accredited_referrer()
    other, _other = accredited_referrer()
    first = household_opened_by(referrer, first_name="Anne", last_name="Lœuillet")
    household_opened_by(other, first_name="Anne", last_name="Loeuillet")
    DuplicateFlag.objects.all().delete()
    # As the old rule stored it: « lœuillet » apart from « loeuillet ».
    HouseholdFingerprint.objects.filter(user=first).update(digest="before")
    assert HouseholdProfile.objects.count() == 2
    fingerprint_again(apps, None)
    assert DuplicateFlag.objects.get().reason == {"code": "duplicate_same_identity", "params": {}}
