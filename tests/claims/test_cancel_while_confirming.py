"""A card Stripe says is paid, its webhook not here yet: the claim cannot be cancelled by its claimant until the
payment is confirmed (then cancelling refunds it, as any paid claim). The page says so instead of offering
« Annuler », the confirmation page and its POST refuse it, the API answers 409 `payment_being_confirmed`, and the
referrer reading the household's claim sees the same."""

from django.urls import reverse

from reuse.claims.enums import ClaimStatus, PaymentStatus
from reuse.claims.services.reservations import PAYMENT_BEING_CONFIRMED
from tests.claims.helpers import card_under_way
from tests.claims.stripe_servers import paying_stripe
from tests.factories.eligibility import eligible, referrer_with_household

__all__ = ["paying_stripe"]  # fixture

LATER = "ne peut pas être annulée pour le moment"


def test_the_household_is_told_it_may_cancel_once_the_payment_is_confirmed(client, programme, paying_stripe):
    household = eligible()
    claim, _payment = card_under_way(household)
    client.force_login(household)
    cancel_url = reverse("claims:cancel", args=[claim.pk])
    page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert cancel_url not in page
    assert LATER in page

    asked = client.get(cancel_url, follow=True).content.decode()  # an old link, the back button
    assert "en cours de confirmation" in asked
    assert "Oui, annuler" not in asked
    client.post(cancel_url)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESERVED


def test_the_api_answers_409_while_the_payment_is_confirmed(client, programme, paying_stripe):
    household = eligible()
    claim, _payment = card_under_way(household)
    client.force_login(household)
    response = client.post(f"/api/v1/claims/{claim.pk}/cancel", content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == PAYMENT_BEING_CONFIRMED
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESERVED


def test_the_referrer_reading_the_households_claim_is_told_the_same(client, programme, paying_stripe):
    referrer, household = referrer_with_household()
    claim, _payment = card_under_way(household, referrer=referrer)
    client.force_login(referrer)
    page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert "data-claim-for" in page
    assert reverse("claims:cancel", args=[claim.pk]) not in page
    assert LATER in page
    client.post(reverse("claims:cancel", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESERVED


def test_an_old_tab_cannot_switch_a_card_being_confirmed_to_the_counter_or_a_voucher(
    client, programme, paying_stripe
):
    """The pay page left open in another tab: « pay at the workshop » or a voucher would abandon the card payment
    the bank already made (refunded later, and the household asked to pay again)."""
    household = eligible()
    claim, payment = card_under_way(household)
    client.force_login(household)
    switched = client.post(reverse("claims:pay_at_workshop", args=[claim.pk]), follow=True)
    assert "en cours de confirmation" in switched.content.decode()
    voucher = client.post(reverse("claims:apply_voucher", args=[claim.pk]), {"code": "PASS-DEMO-2026-A"})
    assert voucher.status_code == 302
    claim.refresh_from_db()
    payment.refresh_from_db()
    assert not claim.pay_at_workshop and claim.voucher_cents == 0
    assert payment.status == PaymentStatus.PENDING


def test_the_lists_of_claims_say_received_without_asking_stripe_once_per_claim(
    client, programme, paying_stripe
):
    """The household's « Mes demandes » and its referrer's page of the household list the claim: once its page has
    read the card as paid, they say so too (not « reste à payer »), from that answer alone."""
    referrer, household = referrer_with_household()
    claim, _payment = card_under_way(household, referrer=referrer)
    client.force_login(referrer)
    household_page = reverse("eligibility:referrer_household", args=[household.pk])
    assert "reste à payer" in client.get(household_page).content.decode()
    assert paying_stripe == []  # a list never asks Stripe
    client.get(reverse("claims:claim", args=[claim.pk]))
    page = client.get(household_page).content.decode()
    assert "Paiement reçu, en cours de confirmation" in page and "reste à payer" not in page
    assert len(paying_stripe) == 1
