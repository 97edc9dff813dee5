"""What Rebond asks Stripe to give back is read from the refunds, whatever order Stripe tells them in: a payment
Rebond gives back is owed its amount less what its refunds account for (given back, owed by the team another way
because Stripe reported them failed, or under way at Stripe), asked by one request at a time.

Before this rule a request staff made for less from the Dashboard (Rebond's row id in its metadata) was followed by
a request for the rest only if Stripe's refund was seen succeeded first: seen failed, the rest was never asked nor
shown to anyone; seen pending, the request for the rest broke the « one open refund per payment » constraint and
the webhook failed for ever. A Dashboard refund that failed before the claim was cancelled was both shown to staff
as owed another way and asked of Stripe in full. Stripe is the in-memory `FakeStripe`.
"""

import pytest

from reuse.claims.enums import ClaimStatus, RefundStatus
from reuse.claims.models import Claim, ClaimEvent, Refund
from reuse.claims.services import refunds, reservations
from tests.claims.helpers import PRICE, deliver, paid_claim

pytestmark = pytest.mark.django_db


def cancelled_while_stripe_is_down(fake, household, claim, payment) -> Refund:
    fake.down = True
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    fake.down = False
    (row,) = Refund.objects.filter(payment=payment)
    assert (row.status, row.amount_cents) == (RefundStatus.FAILED, PRICE)
    return row


def rows(payment) -> list[tuple]:
    return list(
        Refund.objects.filter(payment=payment)
        .order_by("pk")
        .values_list("amount_cents", "status", "stripe_refund")
    )


@pytest.mark.parametrize("first_seen", ["failed", "pending"])
def test_a_request_staff_made_for_less_has_its_rest_asked_however_that_refund_ends(
    programme, fake, first_seen
):
    household, claim, payment = paid_claim(fake)
    row = cancelled_while_stripe_is_down(fake, household, claim, payment)

    # Staff give back 20 € from the Dashboard with Rebond's row id; the card was closed, so it fails.
    made = fake.dashboard(
        payment.stripe_payment_intent, 2000, metadata={"refund_id": str(row.pk)}, status=first_seen
    )
    deliver("refund.created", made)
    if first_seen == "pending":
        assert rows(payment) == [
            (2000, RefundStatus.FAILED, made["id"])
        ]  # under way: the rest waits for its end
    deliver("refund.updated", fake.end(made["id"], "failed"))
    deliver("charge.refund.updated", fake.refunds[made["id"]])

    rest = [r for r in fake.refunds.values() if r["id"] != made["id"]]
    assert [(r["amount"], r["status"]) for r in rest] == [(PRICE - 2000, "succeeded")]
    assert rows(payment) == [
        (2000, RefundStatus.NOT_RECEIVED, made["id"]),
        (PRICE - 2000, RefundStatus.SUCCEEDED, rest[0]["id"]),
    ]
    # The household got 25 € back by card; the team owes it the 20 € Stripe could not give back.
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.refunded_cents, claim.owed_another_way_cents) == (PRICE - 2000, 2000)
    assert (
        ClaimEvent.objects.filter(
            claim=claim, note_text__code="journal_claim_refund_partial", note_text__params__rest=2500
        ).count()
        == 1
    )
    assert refunds.owed_cents(payment) == 0


def test_a_dashboard_refund_that_failed_before_the_cancellation_is_not_asked_of_stripe_again(programme, fake):
    household, claim, payment = paid_claim(fake)
    gesture = fake.dashboard(payment.stripe_payment_intent, 2000, status="failed")
    deliver("refund.failed", gesture)
    assert (
        Claim.objects.get(pk=claim.pk).owed_another_way_cents == 2000
    )  # staff are told to give it another way

    reservations.cancel_claim(claim_id=claim.pk, actor=household)

    asked = [r["amount"] for r in fake.refunds.values() if r["id"] != gesture["id"]]
    assert asked == [PRICE - 2000]
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.status == ClaimStatus.CANCELLED
    assert claim.refunded_cents + claim.owed_another_way_cents == PRICE


def test_a_request_a_failed_dashboard_refund_accounts_for_is_withdrawn(programme, fake):
    household, claim, payment = paid_claim(fake)
    row = cancelled_while_stripe_is_down(fake, household, claim, payment)
    deliver("refund.failed", fake.dashboard(payment.stripe_payment_intent, PRICE, status="failed"))

    assert refunds.execute_refund(refund_id=row.pk).status == RefundStatus.WITHDRAWN
    assert len(fake.refunds) == 1
