"""A household reading the portal in English reads its dates in English: « 4 December 2026 at 14:50 », not the
French « à » that the date formats of the pages carried."""

import re

import pytest

from tests.factories.accounts import household
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_a_reservation_and_a_decision_say_their_time_in_english(client):
    ProgrammeFactory()
    person = eligible(household())
    client.force_login(person)
    device = DeviceFactory(listed=True, price_cents=3000)
    claim_url = client.post(f"/catalogue/{device.pk}/demander/", {})["Location"]

    claim_page = client.get(claim_url, **ENGLISH).content.decode()
    until = re.search(r"Reserved until</dt><dd>([^<]+)</dd>", claim_page).group(1)
    assert re.fullmatch(r"\w+day \d{1,2} \w+ \d{4} at \d\d:\d\d", until), until

    decision = person.eligibility_decisions.get()
    decision_page = client.get(f"/eligibilite/decisions/{decision.pk}/", **ENGLISH).content.decode()
    dated = re.search(r"Decision dated</dt><dd>([^<]+)</dd>", decision_page).group(1)
    assert re.fullmatch(r"\d{1,2} \w+ \d{4} at \d\d:\d\d", dated), dated

    french = client.get(claim_url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert re.search(r"Réservé jusqu’au</dt><dd>\w+ \d{1,2} \w+ \d{4} à \d\d:\d\d</dd>", french)
