import datetime
import re

import pytest
import time_machine

from cms.models import EligibilityPage
from tests.factories.programmes import ProgrammeFactory, ProgrammePriceFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def eligibility_url(demo):
    return EligibilityPage.objects.get(locale__language_code="fr").url


def rules(client, url, department):
    html = client.get(url, {"departement": department}).content.decode()
    match = re.search(r'<section class="rules".*?</section>', html, re.S)
    return match.group(0) if match else ""


@time_machine.travel(NOW, tick=False)
def test_the_page_renders_the_live_rules_and_follows_edits(client, eligibility_url):
    programme = ProgrammeFactory(
        family_quotient=True,
        name="Programme Pyrénées-Atlantiques",
        departments=["64"],
        household_cap_devices=1,
    )
    price = ProgrammePriceFactory(
        programme=programme, device_type="laptop", grade="B", min_cents=3000, max_cents=9000
    )

    html = rules(client, eligibility_url, "64")
    assert "Programme Pyrénées-Atlantiques" in html
    assert "RSA (revenu de solidarité active)" in html
    assert "Plafond de quotient familial : <strong>700\u00a0€</strong>" in html
    assert "Foyer : 1 appareil d’un même type tous les 24 mois." in html
    assert "de 30,00\u00a0€ à 90,00\u00a0€" in html

    programme.household_cap_devices = 2
    programme.quotient_familial_max_eur = 850
    programme.hold_hours = 72
    programme.save()
    price.max_cents = 7550
    price.save()

    html = rules(client, eligibility_url, "64")
    assert "Foyer : 2 appareils d’un même type tous les 24 mois." in html
    assert "<strong>850\u00a0€</strong>" in html
    assert "réservé 72 heures" in html
    assert "de 30,00\u00a0€ à 75,50\u00a0€" in html and "90,00\u00a0€" not in html


@time_machine.travel(NOW, tick=False)
def test_the_department_select_lists_active_programmes_only(client, eligibility_url):
    ProgrammeFactory(family_quotient=True, departments=["29"])
    ProgrammeFactory(family_quotient=True, departments=["56"], ended=True)
    html = client.get(eligibility_url).content.decode()
    assert '<option value="29"' in html
    assert '<option value="56"' not in html
    assert '<label for="departement">' in html


@time_machine.travel(NOW, tick=False)
def test_a_free_device_is_shown_as_free(client, eligibility_url):
    programme = ProgrammeFactory(family_quotient=True, departments=["22"])
    ProgrammePriceFactory(programme=programme, device_type="smartphone", grade="C", min_cents=0, max_cents=0)
    assert "gratuit" in rules(client, eligibility_url, "22")
