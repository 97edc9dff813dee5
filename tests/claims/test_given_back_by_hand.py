"""A refund Stripe reported failed is owed to the household another way; staff record it once they gave it back by
hand (a bank transfer, cash at the counter), and a later refund staff make from the Stripe Dashboard lessens it.

Before: « owed another way » was the sum of the refunds Stripe failed, for ever: no way to record money given back
by hand, and a Dashboard refund that later went through left the claim page, the admin's panel and staff saying
it was still owed, so the household could be paid twice. Stripe is the in-memory `FakeStripe`.
"""

import pytest
from django.db.models import Sum

from reuse.claims.enums import HandRefundMethod, LedgerKind
from reuse.claims.models import Claim, HandRefund, LedgerEntry
from reuse.claims.services import hand_refunds, reservations
from reuse.errors import DomainError
from reuse.journal import AppendOnlyError
from tests.claims.helpers import PRICE, deliver, paid_claim
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def refund_failed(fake, household, claim, payment):
    """The household cancels; Stripe takes Rebond's refund, then reports it failed (the card was closed)."""
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    (made,) = fake.refunds.values()
    deliver("refund.failed", fake.end(made["id"], "failed"))
    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == PRICE


def test_money_given_back_by_hand_is_recorded_once_and_no_longer_owed(programme, fake, client):
    household, claim, payment = paid_claim(fake)
    refund_failed(fake, household, claim, payment)
    staff = UserFactory(is_staff=True)

    with pytest.raises(DomainError):  # more than is owed another way
        hand_refunds.record(
            claim_id=claim.pk,
            by=staff,
            amount_cents=PRICE + 1,
            method=HandRefundMethod.TRANSFER,
            reference="VIR-1",
        )
    given = hand_refunds.record(
        claim_id=claim.pk, by=staff, amount_cents=1500, method=HandRefundMethod.CASH, reference="reçu 12"
    )
    assert (given.given_by, given.amount_cents, given.reference) == (staff, 1500, "reçu 12")
    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == PRICE - 1500
    hand_refunds.record(
        claim_id=claim.pk,
        by=staff,
        amount_cents=PRICE - 1500,
        method=HandRefundMethod.TRANSFER,
        reference="VIR-9",
    )
    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == 0
    with pytest.raises(DomainError):  # nothing is owed any more: a second payment is refused
        hand_refunds.record(
            claim_id=claim.pk, by=staff, amount_cents=1, method=HandRefundMethod.CASH, reference="x"
        )
    lines = LedgerEntry.objects.filter(payment=payment, kind=LedgerKind.GIVEN_BACK_BY_HAND)
    assert sorted(lines.values_list("amount_cents", flat=True)) == sorted([-1500, -(PRICE - 1500)])
    assert LedgerEntry.objects.filter(payment=payment).aggregate(t=Sum("amount_cents"))["t"] == 0
    with pytest.raises(AppendOnlyError):  # written once
        given.save()

    # The household reads it on its claim page.
    client.force_login(household)
    page = client.get(f"/demandes/{claim.pk}/").content.decode()
    assert "data-refund-not-received" not in page and "data-given-back-by-hand" in page


def test_a_later_dashboard_refund_lessens_what_is_owed_another_way(programme, fake):
    household, claim, payment = paid_claim(fake)
    refund_failed(fake, household, claim, payment)
    # Staff try again from the Dashboard (another card on file), for part of it; it goes through.
    deliver("refund.created", fake.dashboard(payment.stripe_payment_intent, 2000))
    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == PRICE - 2000
    hand_refunds.record(
        claim_id=claim.pk,
        by=UserFactory(is_staff=True),
        amount_cents=PRICE - 2000,
        method=HandRefundMethod.TRANSFER,
        reference="VIR-2",
    )
    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == 0
    assert len(fake.refunds) == 2  # nothing more was asked of Stripe
    assert HandRefund.objects.count() == 1


def test_a_dashboard_gesture_that_failed_then_went_through_is_owed_no_more(programme, fake):
    """Staff give back part of a kept payment from the Dashboard (a goodwill gesture); it fails, they make it again
    and it goes through: nothing is owed another way, though Rebond keeps the rest of the payment."""
    household, claim, payment = paid_claim(fake)
    deliver("refund.failed", fake.dashboard(payment.stripe_payment_intent, 2000, status="failed"))
    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == 2000
    deliver("refund.created", fake.dashboard(payment.stripe_payment_intent, 2000))
    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == 0
    # A dispute lost on what Rebond kept afterwards owes the household nothing more either.
    deliver(
        "charge.dispute.closed",
        {
            "id": "dp_9",
            "amount": PRICE - 2000,
            "payment_intent": payment.stripe_payment_intent,
            "status": "lost",
        },
    )
    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == 0


def test_staff_record_money_given_back_by_hand_from_the_admin(programme, fake, client):
    household, claim, payment = paid_claim(fake)
    refund_failed(fake, household, claim, payment)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "Remboursements non parvenus" in client.get("/admin/").content.decode()
    action = f"/admin/claims/claim/give-back-by-hand/{claim.pk}/"
    assert "45,00\xa0€" in client.get(action).content.decode()

    too_much = client.post(action, {"amount": "45,01", "method": "transfer", "reference": "VIR-1"})
    assert too_much.status_code == 200 and "Il ne reste que 45,00" in too_much.content.decode()
    done = client.post(action, {"amount": "45,00", "method": "transfer", "reference": "VIR-1"})
    assert done.status_code == 302
    (given,) = HandRefund.objects.all()
    assert (given.amount_cents, given.reference, given.given_by.is_superuser) == (PRICE, "VIR-1", True)
    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == 0
    listed = client.get("/admin/claims/handrefund/").content.decode()
    assert "VIR-1" in listed and "45,00\xa0€" in listed
    # Nothing is owed any more: the panel no longer lists the claim, and a second record is refused.
    assert f"give-back-by-hand/{claim.pk}/" not in client.get("/admin/").content.decode()
    client.post(action, {"amount": "45,00", "method": "cash", "reference": "VIR-1"})
    assert HandRefund.objects.count() == 1


def test_after_a_cancellation_what_stripe_did_not_give_back_is_owed_another_way(programme, fake):
    """Staff's refund from the Dashboard failed, then another went through; the household cancels: Rebond asks
    Stripe for the rest but the failed one (never asked again), which the team owes another way: the household is
    made whole either way, and a later Dashboard refund lessens what is owed rather than add to it."""
    household, claim, payment = paid_claim(fake)
    deliver("refund.failed", fake.dashboard(payment.stripe_payment_intent, 2000, status="failed"))
    deliver("refund.created", fake.dashboard(payment.stripe_payment_intent, 2000))
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    given = fake.given_back(payment.stripe_payment_intent)
    assert (given, Claim.objects.get(pk=claim.pk).owed_another_way_cents) == (PRICE - 2000, 2000)
    deliver("refund.created", fake.dashboard(payment.stripe_payment_intent, 1500))
    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == 500
