"""A birth date in the future or before 1900 is a typing slip: refused next to the field (household sign-up,
referrer's form) or with a 422 that names it (API), and never stored."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reuse.accounts.models import HouseholdProfile, User
from reuse.errors import InvalidInput
from tests.eligibility.test_api import NEW_HOUSEHOLD
from tests.eligibility.test_pages import REFERRER_FORM, SIGNUP

pytestmark = pytest.mark.django_db

FUTURE = "Cette date est dans le futur : vérifiez l’année de naissance."
TOO_OLD = "Cette date est avant 1900 : vérifiez l’année de naissance."


def error_of_field(html: str, name: str) -> str:
    """The error block the template puts right under the field's label (includes/field.html)."""
    start = html.index(f'id="id_{name}_error"')
    return html[start : html.index("</div>", start)]


@pytest.mark.parametrize("typed,message", [("2061-04-12", FUTURE), ("1861-04-12", TOO_OLD)])
def test_household_sign_up_refuses_the_date_next_to_the_field(client, programme, typed, message):
    response = client.post("/eligibilite/inscription/", {**SIGNUP, "birth_date": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in error_of_field(html, "birth_date")
    assert 'aria-invalid="true"' in html
    assert not User.objects.filter(email="ines@example.test").exists()


@pytest.mark.parametrize("typed,message", [("2061-07-14", FUTURE), ("1875-07-14", TOO_OLD)])
def test_referrer_form_refuses_the_date_next_to_the_field(client, referrer, programme, typed, message):
    client.force_login(referrer)
    response = client.post(
        "/eligibilite/prescripteur/foyers/nouveau/", {**REFERRER_FORM, "birth_date": typed}
    )
    assert response.status_code == 200
    assert message in error_of_field(response.content.decode(), "birth_date")
    assert not User.objects.filter(last_name="Sow").exists()


@pytest.mark.parametrize("typed,message", [("2061-02-28", FUTURE), ("1899-12-31", TOO_OLD)])
def test_api_answers_422_with_detail_code_and_field(client, api_client, referrer, programme, typed, message):
    client.force_login(referrer)
    response = api_client.post("/api/v1/households", {**NEW_HOUSEHOLD, "birth_date": typed})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid" and body["field"] == "birth_date"
    assert message in body["detail"] and "date de naissance" in body["detail"]
    assert not User.objects.filter(last_name="Koné").exists()


def test_today_and_1900_are_accepted_and_tomorrow_is_refused_on_any_save(
    client, api_client, referrer, programme
):
    client.force_login(referrer)
    today = timezone.localdate()
    born_today = api_client.post("/api/v1/households", {**NEW_HOUSEHOLD, "birth_date": today.isoformat()})
    assert born_today.status_code == 201, born_today.content
    old = api_client.post("/api/v1/households", {**NEW_HOUSEHOLD, "birth_date": "1900-01-01"})
    assert old.status_code == 201, old.content
    profile = HouseholdProfile.objects.get(user_id=born_today.json()["id"])
    profile.birth_date = today + timedelta(days=1)
    with pytest.raises(InvalidInput):
        profile.save()
