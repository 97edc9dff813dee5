"""Card payments against a real localstripe on loopback, its webhooks delivered to the live server."""

import hashlib
import hmac
import json
import time

import pytest
from django.conf import settings

from inventory.enums import DeviceState
from reuse.claims import payments
from reuse.claims.enums import ClaimStatus, LedgerKind, PaymentStatus
from reuse.claims.models import Claim, LedgerEntry, Payment, StripeEvent
from reuse.claims.services import reservations
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory
from tests.services.conftest import WEBHOOK, card, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def _reserved_claim(price=4500):
    ProgrammeFactory()
    household = eligible()
    return household, reservations.create_claim(
        actor=household, device_id=DeviceFactory(listed=True, price_cents=price).pk
    )


def _status(claim):
    return Claim.objects.get(pk=claim.pk).status


def _signed(event: dict, secret=None) -> tuple[bytes, str]:
    payload = json.dumps(event).encode()
    stamp = int(time.time())
    signature = hmac.new(
        (secret or settings.STRIPE_WEBHOOK_SECRET).encode(), f"{stamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return payload, f"t={stamp},v1={signature}"


def _event(event_id, kind, payment, **intent):
    return {
        "id": event_id,
        "object": "event",
        "type": kind,
        "data": {
            "object": {
                "id": payment.stripe_payment_intent,
                "object": "payment_intent",
                "amount": payment.amount_cents,
                "currency": "eur",
                "metadata": {"claim_id": str(payment.claim_id), "payment_id": str(payment.pk)},
                **intent,
            }
        },
    }


def test_card_success_confirms_only_on_the_signed_webhook(stripe_server):
    household, claim = _reserved_claim()
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    assert payment.stripe_payment_intent.startswith("pi_") and payment.client_secret
    assert payments.start_card_payment(claim_id=claim.pk, actor=household).pk == payment.pk  # reused
    outcome = payments.attach_card(payment=payment, card_id=card(stripe_server, "4242424242424242"))
    assert outcome["status"] == "succeeded"
    assert wait_for(lambda: _status(claim) == ClaimStatus.CONFIRMED, timeout=20)
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED
    assert LedgerEntry.objects.filter(claim=claim, kind=LedgerKind.CARD_CAPTURED).count() == 1
    assert StripeEvent.objects.filter(type="payment_intent.succeeded", processed_at__isnull=False).exists()


def test_declined_card_leaves_the_claim_reserved(stripe_server):
    household, claim = _reserved_claim()
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    outcome = payments.attach_card(payment=payment, card_id=card(stripe_server, "4000000000000341"))
    assert outcome["status"] == "failed" and "refusée" in outcome["message"]
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.FAILED
    assert wait_for(
        lambda: StripeEvent.objects.filter(type="payment_intent.payment_failed").exists(), timeout=10
    )
    assert _status(claim) == ClaimStatus.RESERVED
    # a new attempt gets a new intent
    again = payments.start_card_payment(claim_id=claim.pk, actor=household)
    assert again.pk != payment.pk


def test_three_d_secure_card_asks_the_browser_to_finish(stripe_server):
    household, claim = _reserved_claim()
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    outcome = payments.attach_card(payment=payment, card_id=card(stripe_server, "4000002760003184"))
    assert outcome == {"status": "requires_action", "client_secret": payment.client_secret}
    assert _status(claim) == ClaimStatus.RESERVED


def test_cancel_after_payment_refunds_through_stripe(stripe_server):
    household, claim = _reserved_claim()
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    payments.attach_card(payment=payment, card_id=card(stripe_server, "4242424242424242"))
    assert wait_for(lambda: _status(claim) == ClaimStatus.CONFIRMED, timeout=20)
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    payment.refresh_from_db()
    refund = payment.refunds.get()
    assert refund.status == "succeeded" and refund.stripe_refund.startswith("re_")
    assert refund.amount_cents == 4500 and payment.status == PaymentStatus.REFUNDED
    assert Claim.objects.get(pk=claim.pk).device.state == DeviceState.LISTED
    assert LedgerEntry.objects.filter(claim=claim, kind=LedgerKind.REFUNDED, amount_cents=-4500).exists()


def test_webhook_replay_out_of_order_and_bad_signature(stripe_server, client):
    household, claim = _reserved_claim()
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    # a forged event is refused and changes nothing
    forged, bad = _signed(_event("evt_forged", "payment_intent.succeeded", payment), secret="whsec_wrong")
    response = client.post(WEBHOOK, forged, content_type="application/json", HTTP_STRIPE_SIGNATURE=bad)
    assert response.status_code == 400 and response.json()["code"] == "bad_signature"
    assert _status(claim) == ClaimStatus.RESERVED and not StripeEvent.objects.exists()
    # success arrives, then an older failure, then the success again
    success = _signed(_event("evt_ok", "payment_intent.succeeded", payment))
    failure = _signed(_event("evt_ko", "payment_intent.payment_failed", payment))
    for payload, signature in (success, failure, success, success):
        response = client.post(
            WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
        )
        assert response.status_code == 200
    assert _status(claim) == ClaimStatus.CONFIRMED
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED
    assert LedgerEntry.objects.filter(claim=claim, kind=LedgerKind.CARD_CAPTURED).count() == 1
    assert StripeEvent.objects.count() == 2
    assert claim.events.filter(to_status=ClaimStatus.CONFIRMED).count() == 1


def _post(client, event):
    payload, signature = _signed(event)
    return client.post(WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)


def test_an_intent_created_outside_rebond_never_confirms_a_claim(stripe_server):
    """Someone creates and pays their own intent, in yen, naming one of Rebond's payments in its metadata."""
    import stripe

    household, claim = _reserved_claim(price=2500)
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    stripe.api_key, stripe.api_base = settings.STRIPE_SECRET_KEY, stripe_server
    outside = stripe.PaymentIntent.create(
        amount=2500,
        currency="jpy",
        metadata={"claim_id": str(claim.pk), "payment_id": str(payment.pk)},
    )
    stripe.PaymentIntent.modify(outside.id, payment_method=card(stripe_server, "4242424242424242"))
    assert stripe.PaymentIntent.confirm(outside.id).status == "succeeded"
    # localstripe delivers its signed success event to the live server; Rebond keeps it and refuses it.
    assert (
        wait_for(
            lambda: StripeEvent.objects.filter(
                type="payment_intent.succeeded",
                processed_at__isnull=False,
                payload__data__object__id=outside.id,
            ).first(),
            timeout=20,
        ).outcome
        == "unknown payment"
    )
    assert _status(claim) == ClaimStatus.RESERVED
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
    assert not LedgerEntry.objects.filter(claim=claim, kind=LedgerKind.CARD_CAPTURED).exists()


@pytest.mark.parametrize(
    "intent",
    [
        {"currency": "jpy"},  # 2500 yen for a claim due 25 euros
        {"currency": "usd"},
        {"currency": None},
        {"amount": 2499},
        {"amount": "2500"},
        {"amount": 2500, "amount_received": 1},
    ],
)
def test_rebond_s_own_intent_confirms_only_in_euros_for_the_amount_due(stripe_server, client, intent):
    household, claim = _reserved_claim(price=2500)
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    response = _post(client, _event("evt_odd", "payment_intent.succeeded", payment, **intent))
    assert response.status_code == 200
    assert StripeEvent.objects.get(event_id="evt_odd").outcome.startswith("refused")
    assert _status(claim) == ClaimStatus.RESERVED
    odd = Payment.objects.get(pk=payment.pk)
    if intent.get("currency", "eur") != "eur":
        # Money taken in another currency: never added to the euro ledger, left to staff to refund from Stripe.
        assert odd.status == PaymentStatus.FAILED and odd.refunds.count() == 0
        assert not LedgerEntry.objects.filter(claim=claim).exclude(amount_cents=0).exists()
    elif isinstance(intent.get("amount", 2500), int):
        # Money was taken for another amount: recorded, asked back whole, never confirming the claim.
        assert odd.status != PaymentStatus.PENDING and odd.refunds.count() == 1
    else:
        assert odd.status == PaymentStatus.PENDING  # nothing sane was said of what was taken
    # The household pays as asked, within its hold, and that payment confirms the claim.
    again = payments.start_card_payment(claim_id=claim.pk, actor=household)
    assert _post(client, _event("evt_right", "payment_intent.succeeded", again)).status_code == 200
    assert _status(claim) == ClaimStatus.CONFIRMED


def test_an_event_naming_a_payment_only_in_metadata_is_refused(stripe_server, client):
    household, claim = _reserved_claim(price=2500)
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    event = _event("evt_meta", "payment_intent.succeeded", payment, id="pi_not_rebonds")
    assert _post(client, event).status_code == 200
    assert StripeEvent.objects.get(event_id="evt_meta").outcome == "unknown payment"
    assert _status(claim) == ClaimStatus.RESERVED
    failed = _event("evt_meta_ko", "payment_intent.payment_failed", payment, id="pi_not_rebonds")
    assert _post(client, failed).status_code == 200
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
