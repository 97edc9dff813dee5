"""A card payment confirms a claim only when it pays what the claim still owes, whatever happened in between.

A card payment is asked for the amount due when it starts. Before this rule, a voucher typed afterwards (while
the card page was open, or with the intent's 3-D Secure still running) lowered what the claim owed, and the
intent's success still confirmed the claim: the household paid the full price by card and the funder paid the
voucher on top, for one device. The payment's success is now checked against the amount due at that moment;
money that does not match is refunded and the claim waits for the right amount.
"""

import hashlib
import hmac
import json
import time
from types import SimpleNamespace

import pytest
import stripe
from django.conf import settings

from reuse.claims import payments
from reuse.claims.enums import ClaimStatus, PaymentMethod, PaymentStatus, RefundStatus
from reuse.claims.models import Claim, Payment, Refund
from reuse.claims.services import refunds, reservations, vouchers
from reuse.errors import IllegalTransition
from tests.factories.claims import VoucherFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db


class FakeStripe:
    """Stripe's refund call, answered locally: what the refunds would have asked for. The intents of these
    stories were paid before the voucher came, so Stripe refuses to cancel them."""

    def __init__(self):
        self.refunds = []
        self.Refund = SimpleNamespace(create=self._refund)
        self.PaymentIntent = SimpleNamespace(cancel=self._cancel)

    def _cancel(self, intent_id):
        raise stripe.InvalidRequestError(f"PaymentIntent {intent_id} has a status of succeeded.", param=None)

    def _refund(self, **kwargs):
        self.refunds.append(kwargs)
        made = {
            "id": f"re_{len(self.refunds)}",
            "status": "succeeded",
            "amount": kwargs["amount"],
            "currency": "eur",  # as Stripe writes every refund: the ledger books euro cents only
        }
        made["metadata"] = kwargs["metadata"]
        return SimpleNamespace(id=made["id"], to_dict=lambda: made)


@pytest.fixture
def stripe_calls(monkeypatch):
    fake = FakeStripe()
    monkeypatch.setattr(refunds, "stripe_client", lambda: fake)
    return fake


@pytest.fixture
def card_started(db):
    """A household's claim of a 50 € laptop with a card payment of 50 € started (its intent created at Stripe)."""
    ProgrammeFactory(vouchers_accepted=True)
    household = eligible()
    claim = reservations.create_claim(actor=household, device_id=DeviceFactory(listed=True).pk)
    payment = Payment.objects.create(
        claim=claim,
        method=PaymentMethod.CARD,
        amount_cents=claim.amount_due_cents,
        status=PaymentStatus.PENDING,
        idempotency_key=f"rebond-claim-{claim.pk}-test",
        stripe_payment_intent=f"pi_test_{claim.pk}",
        client_secret="secret",
    )
    return household, claim, payment


def _webhook(payment, event_id="evt_1"):
    event = {
        "id": event_id,
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {
            "object": {
                "id": payment.stripe_payment_intent,
                "object": "payment_intent",
                "amount": payment.amount_cents,
                "amount_received": payment.amount_cents,
                "currency": "eur",
            }
        },
    }
    payload = json.dumps(event).encode()
    stamp = int(time.time())
    signature = hmac.new(
        settings.STRIPE_WEBHOOK_SECRET.encode(), f"{stamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return payments.receive_webhook(payload=payload, signature=f"t={stamp},v1={signature}")


def test_a_card_payment_for_the_price_before_a_voucher_does_not_confirm_the_claim(
    card_started, stripe_calls, django_capture_on_commit_callbacks
):
    household, claim, payment = card_started
    vouchers.apply_voucher(
        claim_id=claim.pk, actor=household, code=VoucherFactory(face_value_cents=2000).code
    )
    claim.refresh_from_db()
    assert claim.amount_due_cents == 3000

    with django_capture_on_commit_callbacks(execute=True):
        event = _webhook(payment)

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESERVED and claim.amount_due_cents == 3000
    assert event.outcome.startswith("refund")
    refund = Refund.objects.get(payment=payment)
    assert refund.amount_cents == 5000 and refund.status == RefundStatus.SUCCEEDED
    assert stripe_calls.refunds[0]["amount"] == 5000
    # Replayed, the event changes nothing more.
    _webhook(payment)
    assert Refund.objects.filter(payment=payment).count() == 1


def test_the_claim_is_then_paid_with_what_it_still_owes(card_started, stripe_calls, monkeypatch):
    household, claim, payment = card_started
    vouchers.apply_voucher(
        claim_id=claim.pk, actor=household, code=VoucherFactory(face_value_cents=2000).code
    )
    _webhook(payment)
    second = Payment.objects.create(
        claim=claim,
        method=PaymentMethod.CARD,
        amount_cents=Claim.objects.get(pk=claim.pk).amount_due_cents,
        status=PaymentStatus.PENDING,
        idempotency_key=f"rebond-claim-{claim.pk}-second",
        stripe_payment_intent=f"pi_second_{claim.pk}",
    )
    _webhook(second, event_id="evt_2")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED and second.amount_cents == 3000


def test_a_claim_is_confirmed_only_when_paid_or_nothing_is_due(card_started):
    """The lifecycle's own guard: a move to « confirmed » with money still due is refused, whoever asks."""
    from django.db import transaction

    from reuse.claims.transitions import move_claim

    _household, claim, _payment = card_started
    with pytest.raises(IllegalTransition), transaction.atomic():
        move_claim(Claim.objects.select_for_update().get(pk=claim.pk), to=ClaimStatus.CONFIRMED, actor=None)
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.RESERVED
