"""Refunds Stripe will not make now: a charge the card holder's bank disputes, or Stripe out of reach for long.

Before: Stripe refuses to refund a disputed charge (`charge_disputed`); the row was marked failed and the task
asked Stripe again every half hour, for ever, as it did for any refund Stripe could not be reached for. Now a
refund of a disputed charge waits for the dispute (its own status, in the admin's refunds), is asked once the
dispute is won, and is needless when the bank gave the money back; every other refusal is asked again a bounded
number of times, then left to staff in a status of its own, told in the claim's history. Stripe is `FakeStripe`.
"""

import pytest

from reuse.claims import tasks
from reuse.claims.enums import ClaimStatus, PaymentStatus, RefundStatus
from reuse.claims.models import Claim, ClaimEvent, Payment, Refund
from reuse.claims.services import refund_attempts, reservations
from tests.claims.helpers import PRICE, deliver, paid_claim
from tests.claims.test_wrong_amount_and_disputes import dispute
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def cancelled_while_disputed(fake):
    """A paid claim the household cancelled while its bank contests the payment (a dispute open): the claim and
    the payment."""
    household, claim, payment = paid_claim(fake)
    fake.disputes_open.add(payment.stripe_payment_intent)
    deliver("charge.dispute.created", dispute(payment, "needs_response"))
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    return claim, payment


def test_a_refund_of_a_disputed_charge_waits_for_the_dispute_and_is_not_asked_again(programme, fake, client):
    claim, payment = cancelled_while_disputed(fake)

    (row,) = Refund.objects.filter(payment=payment)
    assert row.status == RefundStatus.DISPUTED
    asked = fake.asked
    for _run in range(3):
        tasks.retry_refunds()
    assert fake.asked == asked  # Stripe would refuse it again: it is not asked while the dispute lasts
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.CANCELLED
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listed = client.get("/admin/claims/refund/?status=disputed")
    assert listed.status_code == 200 and "litige" in listed.content.decode()


def test_a_refund_that_waited_for_a_won_dispute_is_asked_then(programme, fake):
    claim, payment = cancelled_while_disputed(fake)
    fake.disputes_open.discard(payment.stripe_payment_intent)

    deliver("charge.dispute.closed", dispute(payment, "won"))

    assert fake.given_back(payment.stripe_payment_intent) == PRICE
    (row,) = Refund.objects.filter(payment=payment)
    assert row.status == RefundStatus.SUCCEEDED
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.REFUNDED


@pytest.mark.parametrize("taken_back", [PRICE, 1200])
def test_a_lost_dispute_leaves_only_what_the_bank_did_not_give_back_to_refund(programme, fake, taken_back):
    claim, payment = cancelled_while_disputed(fake)
    fake.disputes_open.discard(payment.stripe_payment_intent)
    deliver("charge.dispute.closed", fake.lose_dispute(payment.stripe_payment_intent, taken_back))

    assert fake.given_back(payment.stripe_payment_intent) == PRICE - taken_back
    statuses = set(Refund.objects.filter(payment=payment).values_list("status", flat=True))
    if taken_back == PRICE:
        assert statuses == {RefundStatus.WITHDRAWN}
    else:
        assert statuses == {RefundStatus.SUCCEEDED}


def left_to_staff(fake, monkeypatch):
    """The household cancels while Stripe is out of reach; the request is asked (more times than the bound) until
    it is staff's, then Stripe is back. Returns the household, the claim, the payment and the row left to staff."""
    monkeypatch.setattr(refund_attempts, "MAX_REFUND_ATTEMPTS", 4)
    household, claim, payment = paid_claim(fake)
    fake.down = True
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    for _run in range(refund_attempts.MAX_REFUND_ATTEMPTS + 5):
        tasks.retry_refunds()
    (row,) = Refund.objects.filter(payment=payment)
    assert row.status == RefundStatus.NEEDS_STAFF and row.stripe_refund is None
    fake.down = False
    return household, claim, payment, row


def test_a_refund_stripe_keeps_refusing_is_left_to_staff_after_a_bounded_number_of_tries(
    programme, fake, client, monkeypatch
):
    household, claim, payment, row = left_to_staff(fake, monkeypatch)
    assert fake.asked == refund_attempts.MAX_REFUND_ATTEMPTS
    notes = " ".join(event.shown_note for event in ClaimEvent.objects.filter(claim=claim))
    assert "à faire depuis Stripe" in notes
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listed = client.get("/admin/claims/refund/?status=needs_staff")
    page = listed.content.decode()
    assert listed.status_code == 200 and "équipe" in page
    assert "demandes à stripe sans suite" in page.lower()  # how many times it was asked, beside its status

    # Staff refund it from the Dashboard: the row left to them is needless, nothing is asked twice.
    made = fake.dashboard(payment.stripe_payment_intent, PRICE)
    deliver("charge.refunded", {"payment_intent": payment.stripe_payment_intent, "id": "ch_1"})
    assert fake.given_back(payment.stripe_payment_intent) == PRICE and made["status"] == "succeeded"
    assert Refund.objects.get(pk=row.pk).status == RefundStatus.WITHDRAWN


def test_a_refusal_for_a_dispute_that_closed_meanwhile_is_asked_again_not_left_waiting(programme, fake):
    household, claim, payment = paid_claim(fake)
    deliver("charge.dispute.closed", dispute(payment, "won"))
    # Stripe's refusal was on its way when the dispute closed: nothing would ever ask a waiting refund.
    fake.disputes_open.add(payment.stripe_payment_intent)
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    (row,) = Refund.objects.filter(payment=payment)
    assert row.status == RefundStatus.FAILED

    fake.disputes_open.discard(payment.stripe_payment_intent)
    tasks.retry_refunds()
    assert Refund.objects.get(pk=row.pk).status == RefundStatus.SUCCEEDED
    assert fake.given_back(payment.stripe_payment_intent) == PRICE


def held_at_stripe_then_left_to_staff(fake, monkeypatch):
    """A cancellation's refund asked while Stripe was out of reach, that Stripe took after all and holds pending
    (its balance does not cover it), read back until it is staff's. Returns the payment, its row, Stripe's refund."""
    monkeypatch.setattr(refund_attempts, "MAX_REFUND_ATTEMPTS", 4)
    household, claim, payment = paid_claim(fake)
    fake.down = True
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    (row,) = Refund.objects.filter(payment=payment)
    fake.down = False
    made = fake.dashboard(
        payment.stripe_payment_intent, PRICE, metadata={"refund_id": str(row.pk)}, status="pending"
    )
    deliver("refund.created", made)
    assert Refund.objects.get(pk=row.pk).stripe_refund == made["id"]  # the row knows its id

    for _run in range(10):
        tasks.retry_refunds()
    assert Refund.objects.get(pk=row.pk).status == RefundStatus.NEEDS_STAFF
    return payment, row, made


def test_a_refund_stripe_holds_pending_is_read_back_a_bounded_number_of_times_then_left_to_staff(
    programme, fake, monkeypatch
):
    payment, row, made = held_at_stripe_then_left_to_staff(fake, monkeypatch)

    # Stripe ends it later: recorded as it ended, once.
    deliver("refund.updated", fake.end(made["id"], "succeeded"))
    assert Refund.objects.get(pk=row.pk).status == RefundStatus.SUCCEEDED
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.REFUNDED
