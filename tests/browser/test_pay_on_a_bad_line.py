"""A household pays by card on a phone whose connection drops or whose answer comes back as a gateway's error
page: it is told, in its language, that the payment did not go through and what to do — never the browser's own
technical words — and may try again; once the card is paid, a lost status check still leads to the claim's page,
which says the payment was received while Stripe's webhook is late, then shows the paid claim once it lands."""

import re

import pytest
from playwright.sync_api import expect

from reuse.claims.models import Payment
from reuse.claims.services import reservations
from tests.browser.steps import fill_test_card, sign_in
from tests.claims.helpers import deliver, intent_of
from tests.factories.accounts import PASSWORD, HouseholdProfileFactory, UserFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory
from tests.services.conftest import WEBHOOK, localstripe_url, post_form, stripe_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)

NOT_THROUGH = "Le paiement n’a pas pu aboutir. Réessayez ou payez à l’atelier."


def test_a_dropped_line_or_a_gateway_page_is_told_in_the_household_language(
    page,
    live_server,
    stripe_server,  # noqa: F811 - the imported fixture
    settings,
):
    settings.STRIPE_JS_URL = f"{stripe_server}/js.stripe.com/v3/"
    ProgrammeFactory()
    nadia = eligible(
        HouseholdProfileFactory(user=UserFactory(email="nadia@example.test"), postcode="93200").user
    )
    claim = reservations.create_claim(actor=nadia, device_id=DeviceFactory(listed=True, price_cents=4500).pk)
    sign_in(page, nadia.email, PASSWORD)
    page.goto(f"/demandes/{claim.pk}/payer/")
    fill_test_card(page)
    pay = page.get_by_role("button", name="Payer 45,00\u00a0€ par carte")
    status = page.locator("#card-status")

    # The line drops as « Payer » is sent.
    page.route(re.compile(r"/api/v1/claims/\d+/pay$"), lambda route: route.abort("internetdisconnected"))
    pay.click()
    expect(status).to_have_text(NOT_THROUGH)
    expect(pay).to_be_enabled()

    # A gateway between the phone and Rebond answers with its own HTML page.
    page.unroute(re.compile(r"/api/v1/claims/\d+/pay$"))
    page.route(
        re.compile(r"/api/v1/claims/\d+/pay$"),
        lambda route: route.fulfill(
            status=502, content_type="text/html", body="<html><body>502 Bad Gateway</body></html>"
        ),
    )
    pay.click()
    expect(status).to_have_text(NOT_THROUGH)
    expect(pay).to_be_enabled()
    page.unroute(re.compile(r"/api/v1/claims/\d+/pay$"))

    # The card goes through, but Stripe's webhook is late (it goes nowhere for now) and the checks of the claim's
    # status are lost: the claim's page comes all the same, and says the payment was received, without « Payer ».
    post_form(
        f"{stripe_server}/_config/webhooks/rebond",
        {"url": "http://127.0.0.1:9" + WEBHOOK, "secret": settings.STRIPE_WEBHOOK_SECRET},
    )
    page.route(re.compile(r"/api/v1/claims/\d+$"), lambda route: route.abort("internetdisconnected"))
    pay.click()
    expect(page).to_have_url(re.compile(rf"/demandes/{claim.pk}/$"), timeout=30_000)
    expect(page.locator("[data-card-received]")).to_contain_text("Paiement reçu, en cours de confirmation")
    expect(page.get_by_role("link", name=re.compile("^Payer"))).to_have_count(0)

    # The webhook lands: the page shows the paid claim and its handover code.
    (payment,) = Payment.objects.filter(claim=claim)
    deliver("payment_intent.succeeded", intent_of(payment))
    page.reload()
    expect(page.locator("[data-amount-due]")).to_have_text("rien (réglé)")
    expect(page.locator("[data-handover-code]")).to_be_visible()
    expect(page.locator("[data-card-received]")).to_have_count(0)
