"""What a household sees on a phone before it can claim: a way to sign up, why it cannot claim yet, plain errors."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from reuse.eligibility.enums import DecisionStatus
from tests.factories.accounts import household
from tests.factories.eligibility import EligibilityDecisionFactory, eligible
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db

SIGNUP = 'href="/eligibilite/inscription/"'


def test_a_newcomer_finds_the_sign_up_from_the_catalogue_and_a_device(client, programme):
    device = DeviceFactory(listed=True)
    assert SIGNUP in client.get("/catalogue/").content.decode()
    assert SIGNUP in client.get(f"/catalogue/{device.pk}/").content.decode()


def test_a_mistyped_postcode_or_department_is_said_next_to_the_filter(client, programme):
    DeviceFactory(listed=True)
    html = client.get("/catalogue/", {"near": "9320", "department": "Sei"}).content.decode()
    assert "Écrivez un code postal à 5 chiffres, par exemple 93200." in html
    assert "Écrivez le numéro du département, par exemple 93." in html
    assert "Aucun appareil ne correspond" not in html
    assert client.get("/catalogue/", {"department": "93"}).context["devices"]


def test_a_household_waiting_for_its_document_is_told_so_on_the_device_page(client, programme):
    user = household()
    EligibilityDecisionFactory(beneficiary=user, programme=programme, status=DecisionStatus.PENDING)
    device = DeviceFactory(listed=True)
    client.force_login(user)
    html = client.get(f"/catalogue/{device.pk}/").content.decode()
    assert "Votre justificatif est en cours d’examen" in html
    assert "Réserver cet appareil" not in html


def test_a_household_without_a_decision_is_sent_to_the_questionnaire(client, programme):
    client.force_login(household())
    html = client.get(f"/catalogue/{DeviceFactory(listed=True).pk}/").content.decode()
    assert 'href="/eligibilite/questionnaire/"' in html and "Réserver cet appareil" not in html


def test_an_eligible_household_claims_a_free_device_without_a_voucher_field(client, programme):
    client.force_login(eligible(programme=programme))
    free = DeviceFactory(listed=True, price_cents=0)
    priced = DeviceFactory(listed=True, price_cents=2500)
    html = client.get(f"/catalogue/{free.pk}/").content.decode()
    assert "Réserver cet appareil" in html and 'name="voucher_code"' not in html
    assert 'name="voucher_code"' in client.get(f"/catalogue/{priced.pk}/").content.decode()
    response = client.post(f"/catalogue/{free.pk}/demander/")
    assert response.status_code == 302 and response.url.startswith("/demandes/")


def test_the_pay_page_leads_back_to_the_claim(client, programme):
    client.force_login(eligible(programme=programme))
    device = DeviceFactory(listed=True, price_cents=2500)
    claim_url = client.post(f"/catalogue/{device.pk}/demander/").url
    html = client.get(claim_url + "payer/").content.decode()
    assert f'href="{claim_url}"' in html


def test_tick_boxes_are_big_enough_for_a_finger():
    css = (Path(settings.BASE_DIR) / "reuse/static/css/rebond.css").read_text()
    rule = re.search(r"input\[type=checkbox\], input\[type=radio\] \{([^}]*)\}", css)
    assert rule and "width: 1.5rem" in rule.group(1) and "height: 1.5rem" in rule.group(1)


def test_the_sign_out_button_lines_up_with_the_header_links():
    """« Se déconnecter » is a 44 px button among plain links: the header row centres them, or on a 360 px phone
    its text sits 10 px below « Mon espace » (measured in Chromium)."""
    css = (Path(settings.BASE_DIR) / "reuse/static/css/rebond.css").read_text()
    nav = re.search(r"^\.nav \{([^}]*)\}", css, re.MULTILINE)
    button = re.search(r"^button, \.button \{([^}]*)\}", css, re.MULTILINE)
    assert button and "min-height: 44px" in button.group(1)
    assert nav and "display: flex" in nav.group(1) and "align-items: center" in nav.group(1)
