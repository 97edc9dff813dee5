"""A household on a phone finds a laptop near home, claims it, pays the rest after a voucher with a test card
through localstripe's fake Stripe.js, and gets a handover code; a second household racing for it is told kindly."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.steps import fill_test_card, phone_page, sign_in
from tests.factories.accounts import PASSWORD, HouseholdProfileFactory, UserFactory
from tests.factories.claims import VoucherFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory
from tests.services.conftest import localstripe_url, stripe_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)


def test_household_claims_pays_with_voucher_and_card_and_gets_a_code(
    page,
    browser,
    live_server,
    stripe_server,  # noqa: F811 - the imported fixture
    settings,
    assert_accessible,
    sent_by_worker,
):
    settings.STRIPE_JS_URL = f"{stripe_server}/js.stripe.com/v3/"
    ProgrammeFactory()
    laptop = DeviceFactory(listed=True, price_cents=4500, brand="Lenovo", model="ThinkPad T480")
    DeviceFactory(listed=True, price_cents=3000, brand="Dell", model="Latitude 5490")
    voucher = VoucherFactory(face_value_cents=2000)
    nadia = eligible(
        HouseholdProfileFactory(user=UserFactory(email="nadia@example.test"), postcode="93200").user
    )
    karim = eligible(
        HouseholdProfileFactory(user=UserFactory(email="karim@example.test"), postcode="93300").user
    )

    # Karim opens the same laptop on his phone, a moment earlier
    rival = phone_page(browser, live_server.url)
    sign_in(rival, karim.email, PASSWORD)
    rival.goto(f"/catalogue/{laptop.pk}/")

    sign_in(page, nadia.email, PASSWORD)
    page.goto("/catalogue/")
    assert_accessible(page)
    page.get_by_text("Filtrer la liste").click()
    page.get_by_label("Près du code postal").fill("93200")
    page.get_by_label("Type d’appareil").select_option("laptop")
    page.get_by_role("button", name="Afficher les appareils").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("ThinkPad T480")).click()
    expect(page.get_by_text("Bon pour : visio, travail scolaire, bureautique")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Réserver cet appareil").click()
    page.wait_for_selector("[data-claim-status=reserved]")
    assert_accessible(page)

    # Karim is too late, and told kindly, with similar laptops
    rival.get_by_role("button", name="Réserver cet appareil").click()
    expect(rival.get_by_role("heading", name="Cet appareil vient d’être réservé")).to_be_visible()
    expect(rival.get_by_role("link", name=re.compile("Latitude 5490"))).to_be_visible()
    assert_accessible(rival)
    rival.context.close()

    page.get_by_role("link", name=re.compile("^Payer")).click()
    page.get_by_label("Code du chèque numérique").fill(voucher.code)
    page.get_by_role("button", name="Utiliser ce chèque").click()
    expect(page.locator("[data-amount-due]")).to_have_text("25,00\u00a0€")
    page.wait_for_selector("#card-element input")
    assert_accessible(page)
    fill_test_card(page)
    page.get_by_role("button", name="Payer 25,00\u00a0€ par carte").click()
    page.wait_for_selector("[data-claim-status=confirmed]", timeout=30_000)
    code = page.locator("[data-handover-code]").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{3}", code)
    # The reservation and the payment emails went out through the real worker.
    sent_by_worker("claim_reserved", "nadia@example.test")
    sent_by_worker("claim_confirmed", "nadia@example.test")
    assert_accessible(page)
    page.get_by_role("link", name="Version à imprimer").click()
    expect(page.locator(".code")).to_have_text(code)
    assert_accessible(page)
