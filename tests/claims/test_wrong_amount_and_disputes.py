"""Card money Stripe took that does not pay the claim, or that the card holder's bank took back.

Before: a `payment_intent.succeeded` for another amount or currency than Rebond asked was refused and only logged,
so the household's money stayed taken until someone read the log; a lost dispute (the bank gave the money back to
the card holder) was only logged too, so the books kept money Rebond no longer had, and cancelling the claim asked
Stripe to refund it a second time. Stripe is the in-memory `FakeStripe`.
"""

import pytest
from django.db.models import Sum

from reuse.claims.enums import ClaimStatus, LedgerKind, PaymentStatus, RefundStatus
from reuse.claims.models import Claim, ClaimEvent, LedgerEntry, Payment, Refund
from reuse.claims.services import refunds, reservations
from tests.claims.helpers import PRICE, card_under_way, deliver, intent_paid, paid_claim
from tests.factories.accounts import UserFactory
from tests.factories.eligibility import eligible

pytestmark = pytest.mark.django_db


def kept(payment) -> int:
    return LedgerEntry.objects.filter(payment=payment).aggregate(t=Sum("amount_cents"))["t"] or 0


def notes(claim) -> str:
    return " ".join(event.shown_note for event in ClaimEvent.objects.filter(claim=claim))


def test_money_taken_for_another_amount_is_given_back_and_never_confirms(programme, fake):
    # (Money taken in another currency is never booked: tests/claims/test_other_currencies.py.)
    claim, payment = card_under_way(eligible())
    intent = {**intent_paid(payment), "amount": PRICE + 1000, "amount_received": PRICE + 1000}
    fake.charge(payment.stripe_payment_intent, intent["amount"])

    event = deliver("payment_intent.succeeded", intent, event_id="evt_wrong")
    assert event.outcome.startswith("refused")

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESERVED and claim.confirmed_at is None
    # What was taken is given back whole, once, through Rebond's refund path; the books keep nothing of it.
    assert fake.given_back(payment.stripe_payment_intent) == intent["amount"]
    (row,) = Refund.objects.filter(payment=payment)
    assert (row.status, row.amount_cents) == (RefundStatus.SUCCEEDED, intent["amount"])
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.REFUNDED
    assert kept(payment) == 0
    assert "autre montant ou une autre devise" in notes(claim)

    # Stripe sends it again, under the same id or another: nothing is asked twice, the claim is still not paid.
    deliver("payment_intent.succeeded", intent, event_id="evt_wrong")
    deliver("payment_intent.succeeded", intent)
    deliver("payment_intent.succeeded", intent_paid(payment))
    assert len(fake.refunds) == 1 and Refund.objects.filter(payment=payment).count() == 1
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.RESERVED


def test_wrong_money_stripe_cannot_refund_yet_is_asked_again_by_the_task(programme, fake):
    claim, payment = card_under_way(eligible())
    intent = {**intent_paid(payment), "amount": PRICE + 1, "amount_received": PRICE + 1}
    fake.charge(payment.stripe_payment_intent, PRICE + 1)
    fake.down = True
    deliver("payment_intent.succeeded", intent)
    (row,) = Refund.objects.filter(payment=payment)
    assert row.status == RefundStatus.FAILED
    fake.down = False
    refunds.execute_refund(refund_id=row.pk)
    assert fake.given_back(payment.stripe_payment_intent) == PRICE + 1
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.RESERVED


def dispute(payment, status: str, amount: int = PRICE, dispute_id: str = "dp_1") -> dict:
    return {
        "id": dispute_id,
        "object": "dispute",
        "amount": amount,
        "currency": "eur",
        "payment_intent": payment.stripe_payment_intent,
        "reason": "fraudulent",
        "status": status,
    }


def test_a_lost_dispute_is_booked_once_told_to_staff_and_never_refunded_again(programme, fake):
    household, claim, payment = paid_claim(fake)
    deliver("charge.dispute.created", dispute(payment, "needs_response"))
    assert kept(payment) == PRICE  # held by Stripe while the dispute lasts, nothing decided yet

    lost = dispute(payment, "lost")
    deliver("charge.dispute.closed", lost)
    deliver("charge.dispute.closed", lost)  # again, under another event id
    lines = LedgerEntry.objects.filter(payment=payment, kind=LedgerKind.DISPUTE_LOST)
    assert list(lines.values_list("amount_cents", "reference")) == [(-PRICE, "dp_1")]
    assert kept(payment) == 0
    assert "Litige perdu" in notes(claim)

    # The household cancels: the card holder already has the money back, Rebond asks Stripe for nothing.
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.CANCELLED
    assert fake.refunds == {}
    assert not Refund.objects.filter(payment=payment).exists()


def test_a_won_dispute_leaves_the_money_as_it_was(programme, fake):
    household, claim, payment = paid_claim(fake)
    deliver("charge.dispute.created", dispute(payment, "needs_response"))
    deliver("charge.dispute.closed", dispute(payment, "won"))
    assert kept(payment) == PRICE
    assert not LedgerEntry.objects.filter(payment=payment, kind=LedgerKind.DISPUTE_LOST).exists()
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    assert fake.given_back(payment.stripe_payment_intent) == PRICE


def test_staff_find_a_lost_dispute_in_the_admin_s_ledger(programme, fake, client):
    household, claim, payment = paid_claim(fake)
    deliver("charge.dispute.closed", dispute(payment, "lost", amount=1200))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listed = client.get("/admin/claims/ledger/?kind=dispute_lost")
    page = listed.content.decode()
    assert listed.status_code == 200 and "Litige perdu" in page and "12,00\xa0€" in page and "dp_1" in page
