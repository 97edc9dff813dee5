"""A card intent created before a voucher lowered what is due: paid for the old amount, it must not confirm the
claim with the funder charged on top (the household would have paid the whole price and the voucher too)."""

import hashlib
import hmac
import json
import time

import pytest
from django.conf import settings

from reuse.claims import payments
from reuse.claims.enums import ClaimStatus, PaymentMethod, PaymentStatus
from reuse.claims.models import Payment, Refund
from reuse.claims.services import reservations, vouchers
from tests.factories.claims import VoucherFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


def signed_event(intent: dict) -> tuple[bytes, str]:
    """A payment_intent.succeeded event signed as Stripe signs it (the scheme stripe.Webhook checks)."""
    payload = json.dumps(
        {
            "id": f"evt_{intent['id']}",
            "object": "event",
            "type": "payment_intent.succeeded",
            "data": {"object": intent},
        }
    ).encode()
    stamp = str(int(time.time()))
    digest = hmac.new(
        settings.STRIPE_WEBHOOK_SECRET.encode(), f"{stamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return payload, f"t={stamp},v1={digest}"


def test_an_intent_for_the_price_before_the_voucher_does_not_charge_the_funder_too(
    programme, django_capture_on_commit_callbacks
):
    household = eligible()
    claim = reservations.create_claim(
        actor=household, device_id=DeviceFactory(listed=True, price_cents=3000).pk
    )
    # The pay page asked Stripe for the whole price, then the household typed a voucher on the same page.
    payment = Payment.objects.create(
        claim=claim,
        method=PaymentMethod.CARD,
        amount_cents=3000,
        status=PaymentStatus.PENDING,
        stripe_payment_intent="pi_before_voucher",
        client_secret="pi_before_voucher_secret",
        idempotency_key="rebond-claim-test-before-voucher",
    )
    voucher = VoucherFactory(face_value_cents=2000)
    vouchers.apply_voucher(claim_id=claim.pk, actor=household, code=voucher.code)
    claim.refresh_from_db()
    assert (claim.status, claim.amount_due_cents) == (ClaimStatus.RESERVED, 1000)

    intent = {"id": "pi_before_voucher", "object": "payment_intent", "amount": 3000, "currency": "eur"}
    payload, signature = signed_event({**intent, "amount_received": 3000})
    with django_capture_on_commit_callbacks(execute=False):
        event = payments.receive_webhook(payload=payload, signature=signature)

    claim.refresh_from_db()
    voucher.refresh_from_db()
    charged = voucher.redeemed_cents if voucher.claim_id == claim.pk else 0
    refunded = sum(Refund.objects.filter(payment=payment).values_list("amount_cents", flat=True))
    kept = payment.amount_cents - refunded
    # Nobody pays twice for the same 30 €: what the card keeps and the voucher takes never passes the price,
    # and the claim is confirmed only once they make it up.
    assert kept + charged <= claim.price_cents, event.outcome
    assert (claim.status == ClaimStatus.CONFIRMED) == (kept + charged == claim.price_cents), event.outcome
