"""Stripe unreachable (refused connection, timeout, 5xx) while a household pays by card.

Before: starting a payment answered 409 « indisponible » and left a Payment row with no PaymentIntent on the
claim's page; confirming the card while Stripe could not be reached marked the payment failed and told the
household its card was refused, though the bank may have been paying it. Now the API answers 503 with Retry-After
and a French message saying the reservation is kept, nothing is written that a retry does not take up as it is,
and a card that may be paying is never called refused.
"""

import json
import socket
import time

import pytest
import stripe

from reuse.claims import payments
from reuse.claims.enums import ClaimStatus, LedgerKind, PaymentStatus
from reuse.claims.models import Claim, LedgerEntry, Payment
from reuse.claims.services import refunds, reservations
from reuse.errors import IllegalTransition
from tests.services.conftest import card

pytestmark = pytest.mark.django_db
DOWN = "http://127.0.0.1:9"


def post(client, path, body=None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def test_starting_a_payment_while_stripe_is_down_answers_503_and_keeps_the_reservation(
    client, stripe_at, reserved, settings
):
    household, claim = reserved
    client.force_login(household)
    settings.STRIPE_API_BASE = DOWN

    response = post(client, f"/api/v1/claims/{claim.pk}/pay")

    assert response.status_code == 503, response.content
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert body["code"] == "payment_unavailable"
    assert "momentanément indisponible" in body["detail"] and "réservation" in body["detail"]
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.RESERVED
    # The one row written holds the idempotency key the retry takes up as it is: never a second intent.
    (kept,) = Payment.objects.filter(claim=claim)
    assert kept.status == PaymentStatus.CREATED and not kept.stripe_payment_intent
    assert post(client, f"/api/v1/claims/{claim.pk}/pay").status_code == 503
    assert Payment.objects.filter(claim=claim).count() == 1

    settings.STRIPE_API_BASE = stripe_at
    response = post(client, f"/api/v1/claims/{claim.pk}/pay")
    assert response.status_code == 200
    (payment,) = Payment.objects.filter(claim=claim)
    assert payment.pk == kept.pk == response.json()["payment_id"]
    assert payment.stripe_payment_intent and payment.status == PaymentStatus.PENDING


@pytest.mark.parametrize(
    "error",
    [
        stripe.APIConnectionError("timed out"),
        stripe.APIError("server error", http_status=502),
    ],
)
def test_a_card_confirmed_while_stripe_is_down_is_never_called_refused(
    client, stripe_at, reserved, monkeypatch, error
):
    household, claim = reserved
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    client.force_login(household)
    card_id = card(stripe_at, "4242424242424242")

    def unreachable(*args, **kwargs):
        raise error

    monkeypatch.setattr(refunds.stripe_client().PaymentIntent, "confirm", unreachable)
    monkeypatch.setattr(refunds.stripe_client().PaymentIntent, "retrieve", unreachable)
    response = post(
        client, f"/api/v1/claims/{claim.pk}/pay/card", {"payment_id": payment.pk, "card_id": card_id}
    )

    assert response.status_code == 503, response.content
    assert int(response["Retry-After"]) > 0
    assert "momentanément indisponible" in response.json()["detail"]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and not payment.failure_message
    assert not LedgerEntry.objects.filter(claim=claim, kind=LedgerKind.CARD_FAILED).exists()


def test_a_stripe_that_never_answers_is_given_up_on_within_the_timeout(client, reserved, settings):
    """A Stripe that takes the connection and never answers: the household hears within seconds, not 80."""
    household, claim = reserved
    client.force_login(household)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # connections are taken by the kernel, never answered
        settings.STRIPE_API_BASE = f"http://127.0.0.1:{silent.getsockname()[1]}"
        settings.STRIPE_TIMEOUT_SECONDS = 1
        began = time.monotonic()
        response = post(client, f"/api/v1/claims/{claim.pk}/pay")
        waited = time.monotonic() - began
    assert response.status_code == 503 and response["Retry-After"]
    assert waited < 10
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.RESERVED


def test_a_card_confirmed_as_the_claim_is_cancelled_is_not_called_refused(client, stripe_at, reserved):
    """The household presses « Payer » in one tab as it cancels in another: the cancellation cancels the intent at
    Stripe first, so Stripe refuses the confirmation. The card was not refused: the payment is no longer under way."""
    household, claim = reserved
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    card_id = card(stripe_at, "4242424242424242")
    reservations.cancel_claim(claim_id=claim.pk, actor=household)  # after the pay request read the payment

    with pytest.raises(IllegalTransition) as refused:
        payments.attach_card(payment=payment, card_id=card_id)

    assert "plus en cours" in str(refused.value.message)
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.CANCELLED
    assert not LedgerEntry.objects.filter(claim=claim, kind=LedgerKind.CARD_FAILED).exists()
