"""Stripe amounts in another currency than the euro never enter the ledger, which adds euro cents only.

Before: a `payment_intent.succeeded` in US dollars (an intent changed outside Rebond) wrote its dollar cents to the
ledger as « Paiement par carte reçu » and to a refund row, both shown to staff as euros; a refund or a lost dispute
in another currency was booked the same way. Now such money is refused and flagged to staff (the payment's reason,
the claim's history), and nothing of it is booked. Stripe is `FakeStripe`.
"""

import pytest

from reuse.claims.enums import ClaimStatus, PaymentStatus
from reuse.claims.models import Claim, ClaimEvent, LedgerEntry, Payment, Refund
from tests.claims.helpers import PRICE, card_under_way, deliver, intent_paid, paid_claim
from tests.claims.test_wrong_amount_and_disputes import dispute
from tests.factories.eligibility import eligible

pytestmark = pytest.mark.django_db


def test_money_taken_in_dollars_is_never_booked_and_is_left_to_staff(programme, fake):
    claim, payment = card_under_way(eligible())
    fake.charge(payment.stripe_payment_intent, PRICE)

    event = deliver("payment_intent.succeeded", {**intent_paid(payment), "currency": "usd"})

    assert event.outcome.startswith("refused: currency usd")
    assert not LedgerEntry.objects.filter(claim=claim).exclude(amount_cents=0).exists()
    assert not Refund.objects.filter(payment=payment).exists() and fake.refunds == {}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and "usd" in payment.failure_message
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.RESERVED
    notes = " ".join(event.shown_note for event in ClaimEvent.objects.filter(claim=claim))
    assert "autre devise que l’euro" in notes and "USD" in notes

    # Stripe sends it again under another id: staff are told once.
    again = deliver("payment_intent.succeeded", {**intent_paid(payment), "currency": "usd"})
    assert again.outcome.startswith("refused")
    flagged = ClaimEvent.objects.filter(claim=claim, note_text__code="journal_claim_other_currency")
    assert flagged.count() == 1

    # Staff refund it from the Dashboard, in dollars: nothing is booked either.
    fake.dashboard(payment.stripe_payment_intent, PRICE)
    fake.refunds["re_1"]["currency"] = "usd"
    deliver("charge.refunded", {"id": "ch_1", "payment_intent": payment.stripe_payment_intent})
    assert not LedgerEntry.objects.filter(claim=claim).exclude(amount_cents=0).exists()
    assert not Refund.objects.filter(payment=payment).exists()


def test_a_refund_or_a_lost_dispute_in_another_currency_is_not_booked(programme, fake):
    household, claim, payment = paid_claim(fake)
    before = list(LedgerEntry.objects.filter(claim=claim).values_list("kind", "amount_cents"))

    fake.dashboard(payment.stripe_payment_intent, 1000)
    fake.refunds["re_1"]["currency"] = "gbp"
    deliver("refund.created", fake.refunds["re_1"])
    deliver("charge.dispute.closed", {**dispute(payment, "lost", amount=1200), "currency": "gbp"})

    assert list(LedgerEntry.objects.filter(claim=claim).values_list("kind", "amount_cents")) == before
    assert not Refund.objects.filter(payment=payment).exists()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED
