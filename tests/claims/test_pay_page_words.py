"""The card-payment script says what happens in the page's language: its words come from the page."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db

SCRIPT = Path(settings.BASE_DIR) / "reuse/static/js/claims-pay.js"
WORDS = ("paying", "card-invalid", "authentication-failed", "accepted", "error")


def pay_page(client, programme, language=None):
    client.force_login(eligible(programme=programme))
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    device = DeviceFactory(listed=True, price_cents=2500)
    claim_url = client.post(f"/catalogue/{device.pk}/demander/").url
    return client.get(claim_url + "payer/").content.decode()


def said(html: str) -> dict:
    form = re.search(r'<form id="card-form"[^>]*>', html).group(0)
    return dict(re.findall(r'data-say-([a-z-]+)="([^"]*)"', form))


def test_the_card_form_carries_the_scripts_words_in_french(client, programme):
    words = said(pay_page(client, programme))
    assert set(words) == set(WORDS) and all(words.values())
    assert words["paying"] == "Paiement en cours…" and words["card-invalid"] == "Carte invalide."


def test_the_script_has_no_words_of_its_own():
    script = SCRIPT.read_text()
    for french in ("Paiement", "Carte invalide", "authentification", "Erreur"):
        assert french not in script
    for name in ("sayPaying", "sayCardInvalid", "sayAuthenticationFailed", "sayAccepted", "sayError"):
        assert f"form.dataset.{name}" in script


def test_on_an_english_page_the_script_speaks_english(client, programme):
    words = said(pay_page(client, programme, language="en"))
    assert words["paying"] == "Payment in progress…" and words["card-invalid"] == "Invalid card."
    assert words["authentication-failed"] == "Card authentication failed."
    assert words["accepted"] == "Payment accepted. Confirming your request…"
    assert words["error"] == "The payment could not go through. Try again or pay at the workshop."
