"""A household reading in English reads English punctuation: « Pay: », « Request no. 12: », « Contact: »,
« Monday – Friday: 09:00–17:00 », not the French space before a colon or a semicolon that the pages wrote
beside their translated words."""

import re

import pytest

from inventory.models import WorkshopProfile
from tests.factories.accounts import household
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def words(response) -> str:
    """The text a reader sees: tags, scripts and the page's head left out."""
    html = response.content.decode()
    html = re.sub(r"<head>.*?</head>|<script.*?</script>", "", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_claim_pages_in_english_have_no_french_space_before_a_colon(client):
    ProgrammeFactory()
    client.force_login(eligible(household()))
    device = DeviceFactory(listed=True, price_cents=3000, brand="Dell", model="P2419H")
    WorkshopProfile.objects.update_or_create(
        organisation=device.workshop, defaults={"opening_hours": "Mo-Fr 09:00-17:00"}
    )
    device_page = words(client.get(f"/catalogue/{device.pk}/", **ENGLISH))
    assert "Monday – Friday: 09:00–17:00" in device_page
    claim_url = client.post(f"/catalogue/{device.pk}/demander/", {})["Location"]
    claim_page = words(client.get(claim_url, **ENGLISH))
    assert re.search(r"Request no\. \d+: \w+ Dell P2419H", claim_page)
    pay_page = words(client.get(f"{claim_url}payer/", **ENGLISH))
    assert "Pay: " in pay_page
    for page in (device_page, claim_page, pay_page, words(client.get(f"{claim_url}annuler/", **ENGLISH))):
        assert not re.search(r"\w [:;] ", page), re.findall(r".{30}\w [:;] .{30}", page)


def test_a_programme_is_named_in_english_quotes_on_the_decision_and_the_waiting_list(client):
    ProgrammeFactory(name="Seine-Saint-Denis")
    person = eligible(household())
    client.force_login(person)
    assert client.post("/demandes/liste-attente/", {"device_type": "laptop"}).status_code == 302
    decision = words(
        client.get(f"/eligibilite/decisions/{person.eligibility_decisions.get().pk}/", **ENGLISH)
    )
    assert "programme “Seine-Saint-Denis”" in decision
    waiting = words(client.get("/demandes/liste-attente/", **ENGLISH))
    assert "How the list is ordered (rule of the programme “Seine-Saint-Denis”):" in waiting
    assert "«" not in decision + waiting
