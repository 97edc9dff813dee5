"""A card paid at Stripe whose webhook has not come yet: the claim page says the payment was received and is being
confirmed, instead of « Reste à payer » and a « Payer » button that make the household think it failed."""

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from reuse.claims import payments
from reuse.claims.enums import ClaimStatus
from tests.claims.helpers import deliver, intent_of, pay_by_card

RECEIVED = "Paiement reçu, en cours de confirmation"


def test_a_card_paid_at_stripe_reads_as_received_until_its_webhook_confirms_the_claim(
    client, reserved, stripe_at
):
    household, claim = reserved
    payment = pay_by_card(stripe_at, household, claim)
    client.force_login(household)
    page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert RECEIVED in page
    assert "data-card-received" in page
    assert reverse("claims:pay", args=[claim.pk]) not in page  # no « Payer » button to pay twice
    # The pay page left open in a tab, or the back button, leads to the claim's page too.
    assert client.get(reverse("claims:pay", args=[claim.pk]))["Location"] == reverse(
        "claims:claim", args=[claim.pk]
    )

    assert deliver("payment_intent.succeeded", intent_of(payment)).outcome == "confirmed"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED
    page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert RECEIVED not in page
    assert "data-handover-code" in page


def test_the_page_says_it_in_english_too(client, reserved, stripe_at):
    household, claim = reserved
    pay_by_card(stripe_at, household, claim)
    client.force_login(household)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert "Payment received, being confirmed" in page
    assert RECEIVED not in page


def test_an_intent_not_paid_yet_still_offers_to_pay(client, reserved):
    household, claim = reserved
    payments.start_card_payment(claim_id=claim.pk, actor=household)  # « Payer » pressed, no card given yet
    client.force_login(household)
    page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert RECEIVED not in page
    assert reverse("claims:pay", args=[claim.pk]) in page


def test_when_stripe_cannot_be_asked_the_page_shows_what_rebond_knows(client, reserved, stripe_at, settings):
    household, claim = reserved
    pay_by_card(stripe_at, household, claim)
    cache.clear()  # later than the answer kept from confirming the card (card_received.ANSWER_KEPT_SECONDS)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there: the connection is refused
    client.force_login(household)
    response = client.get(reverse("claims:claim", args=[claim.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert RECEIVED not in page
    assert reverse("claims:pay", args=[claim.pk]) in page
