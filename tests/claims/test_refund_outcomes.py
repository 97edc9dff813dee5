"""How a refund ends at Stripe, in whatever order Stripe tells it: a refund Stripe reports failed or canceled gives
the household nothing, so it leaves the « Remboursé » total and the books, is shown to staff and is not asked
again by itself; a confirmed claim whose money staff gave back in whole from the Stripe Dashboard ends.

Stripe documents that a card refund may end `failed` (failure_reason `lost_or_stolen_card`,
`expired_or_canceled_card` or `unknown`), even after it was `succeeded`, or `canceled`, and tells it with
`refund.failed`, `refund.updated` and `charge.refund.updated`. localstripe never fails a refund by itself:
`stripe_reports` sets its stored refund's status as Stripe's own would read, and the events are delivered signed.
"""

import pytest
from django.utils import timezone

from reuse.claims import handover as counter
from reuse.claims import payments, tasks
from reuse.claims.enums import ClaimStatus, LedgerKind, PaymentStatus, RefundStatus
from reuse.claims.models import Claim, ClaimEvent, LedgerEntry, Payment, Refund
from reuse.claims.services import reservations, vouchers
from tests.claims.helpers import (
    PRICE,
    asked_but_unanswered,
    charge_of,
    confirmed_by_card,
    dashboard_refund,
    deliver,
    intent_of,
    refunded_in_ledger,
)
from tests.factories.accounts import UserFactory, member_of
from tests.factories.claims import VoucherFactory
from tests.services.conftest import card, post_form

pytestmark = pytest.mark.django_db


def stripe_reports(refund_id: str, status: str = "failed") -> dict:
    """Stripe's refund `refund_id` ends `status`; returns it as a `refund.failed` event carries it (the documented
    failure_reason, which localstripe does not store, added)."""
    refund = payments._stripe().Refund.modify(refund_id, status=status).to_dict()
    return {**refund, "failure_reason": "expired_or_canceled_card"} if status == "failed" else refund


def not_received_in_ledger(claim) -> list[int]:
    return list(
        LedgerEntry.objects.filter(claim=claim, kind=LedgerKind.REFUND_NOT_RECEIVED).values_list(
            "amount_cents", flat=True
        )
    )


def assert_taken_back(row, claim) -> None:
    """The refund `row` ended not received: the claim counts nothing refunded, the books keep the refund and its
    taking back."""
    row.refresh_from_db()
    assert row.status == RefundStatus.NOT_RECEIVED
    assert Claim.objects.get(pk=claim.pk).refunded_cents == 0
    assert refunded_in_ledger(claim) == [-PRICE] and not_received_in_ledger(claim) == [PRICE]


def _mails_to(mailoutbox, person, words: str) -> list:
    return [m for m in mailoutbox if person.email in m.to and words in m.subject]


def test_a_cancellation_refund_that_fails_after_it_succeeded_is_taken_back_and_not_asked_again(
    client, stripe_at, reserved, mailoutbox
):
    household, claim, payment = confirmed_by_card(stripe_at, reserved)
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    row = Refund.objects.get(payment=payment)
    assert row.status == RefundStatus.SUCCEEDED and Claim.objects.get(pk=claim.pk).refunded_cents == PRICE

    # Days later the household's bank sends the money back: the card was closed. Stripe tells it three ways,
    # one of them twice.
    failed = stripe_reports(row.stripe_refund)
    deliver("refund.failed", failed, event_id="evt_refund_failed")
    deliver("refund.failed", failed, event_id="evt_refund_failed")
    deliver("charge.refund.updated", failed)
    deliver("refund.updated", failed)

    assert_taken_back(row, claim)
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED
    assert len(_mails_to(mailoutbox, household, "n’a pas abouti")) == 1
    assert (
        ClaimEvent.objects.filter(claim=claim, note_text__code="journal_claim_refund_not_received").count()
        == 1
    )
    # The same closed card would refuse it again: nothing is asked of Stripe by itself.
    assert tasks.retry_refunds() == 0
    assert len(payments._stripe().Refund.list(payment_intent=payment.stripe_payment_intent).data) == 1
    # The household's page no longer says « Remboursé », and staff find it among the refunds owed.
    client.force_login(household)
    page = client.get(f"/demandes/{claim.pk}/").content.decode()
    assert "data-refunded" not in page and "data-refund-not-received" in page and "45,00" in page
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get("/admin/claims/refund/", {"status": RefundStatus.NOT_RECEIVED}).content.decode()
    assert "Non parvenu au foyer" in listing and row.stripe_refund in listing
    assert f">{PRICE}<" not in listing.replace(" ", "").replace("\n", "")  # in euros, never in cents
    home = client.get("/admin/").content.decode()
    assert "Remboursements non parvenus" in home and f"n° {claim.pk}" in home and "45,00" in home


def test_a_dashboard_refund_told_failed_before_it_was_told_made_is_never_booked(
    stripe_at, reserved, mailoutbox
):
    household, claim, payment = confirmed_by_card(stripe_at, reserved)
    made = dashboard_refund(payment, 2000)
    failed = stripe_reports(made.id)
    mailoutbox.clear()

    deliver("refund.failed", failed)
    deliver("refund.created", made)  # its copy still says succeeded: Stripe's list says otherwise
    deliver("charge.refunded", charge_of(payment))

    row = Refund.objects.get(payment=payment)
    assert (row.status, row.stripe_refund) == (RefundStatus.NOT_RECEIVED, made.id)
    assert refunded_in_ledger(claim) == [] and not_received_in_ledger(claim) == []
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.CONFIRMED
    assert not [m for m in mailoutbox if household.email in m.to]  # it never heard of that refund


def test_a_refund_told_failed_before_rebond_reads_its_own_answer_stays_failed(
    stripe_at, reserved, mailoutbox
):
    """Rebond asked for the refund; Stripe's answer comes after the webhook saying it failed (or a retry reads the
    answer Stripe kept for the idempotency key, still « succeeded »): the row stays not received."""
    household, claim, payment = confirmed_by_card(stripe_at, reserved)
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    row = Refund.objects.get(payment=payment)
    first_answer = payments._stripe().Refund.retrieve(row.stripe_refund)
    deliver("refund.failed", stripe_reports(row.stripe_refund))

    with payments.transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        payments.refunds.follow(locked, first_answer.to_dict() | {"status": "succeeded"})

    assert_taken_back(row, claim)
    assert payments.execute_refund(refund_id=row.pk).status == RefundStatus.NOT_RECEIVED
    assert len(payments._stripe().Refund.list(payment_intent=payment.stripe_payment_intent).data) == 1


def test_rebond_s_own_refund_canceled_before_its_answer_was_recorded_is_never_booked(stripe_at, reserved):
    household, claim, payment = confirmed_by_card(stripe_at, reserved)
    row, made = asked_but_unanswered(claim, household)

    deliver("refund.updated", stripe_reports(made.id, "canceled"))
    assert payments.execute_refund(refund_id=row.pk).status == RefundStatus.NOT_RECEIVED

    row.refresh_from_db()
    assert row.stripe_refund == made.id
    assert refunded_in_ledger(claim) == [] and not_received_in_ledger(claim) == []
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED
    assert len(payments._stripe().Refund.list(payment_intent=payment.stripe_payment_intent).data) == 1


def test_a_confirmed_claim_given_back_in_full_from_the_dashboard_ends_and_frees_its_device(
    stripe_at, reserved, mailoutbox
):
    """Staff refund the whole price in two goes from the Dashboard before the handover: the household no longer
    pays for the device, so the claim is cancelled and the device goes back to the catalogue."""
    household, claim, payment = confirmed_by_card(stripe_at, reserved)
    deliver("refund.created", dashboard_refund(payment, 1500))
    assert (
        Claim.objects.get(pk=claim.pk).status == ClaimStatus.CONFIRMED
    )  # a goodwill gesture keeps the claim
    mailoutbox.clear()

    rest = dashboard_refund(payment, PRICE - 1500)
    deliver("charge.refunded", charge_of(payment), event_id="evt_all_back")
    deliver("charge.refunded", charge_of(payment), event_id="evt_all_back")
    deliver("refund.created", rest)

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CANCELLED
    assert claim.device.state == "listed"
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.REFUNDED
    assert sorted(refunded_in_ledger(claim)) == [-(PRICE - 1500), -1500]
    (told,) = [m for m in mailoutbox if household.email in m.to]
    assert "est annulée" in told.body and "30,00" in told.body
    # Nothing more to give back: the cancellation asked Stripe for nothing.
    assert len(payments._stripe().Refund.list(payment_intent=payment.stripe_payment_intent).data) == 2


def test_money_given_back_in_full_after_the_handover_is_recorded_and_staff_told(stripe_at, reserved):
    household, claim, payment = confirmed_by_card(stripe_at, reserved)
    technician = member_of(claim.device.workshop)
    counter.hand_over(actor=technician, claim_id=claim.pk, code=claim.handover_code, collected_cents=None)

    deliver("refund.created", dashboard_refund(payment, PRICE))

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.HANDED_OVER and claim.refunded_cents == PRICE
    assert (
        ClaimEvent.objects.filter(
            claim=claim, note_text__code="journal_claim_refunded_after_handover"
        ).count()
        == 1
    )


def test_a_refund_stripe_holds_as_pending_is_read_back_and_never_asked_twice(stripe_at, reserved, mailoutbox):
    """Stripe may answer a refund `pending` (its balance does not cover it yet) and end it days later: the retries
    read that refund back instead of asking Stripe for a second one (an idempotency key lasts 24 hours)."""
    household, claim, payment = confirmed_by_card(stripe_at, reserved)
    row, made = asked_but_unanswered(claim, household)
    deliver("refund.created", stripe_reports(made.id, "pending"))
    row.refresh_from_db()
    assert (row.status, row.stripe_refund) == (RefundStatus.PENDING, made.id)

    Refund.objects.filter(pk=row.pk).update(created=timezone.now() - tasks.STALE_REFUND * 2)
    assert tasks.retry_refunds() == 0  # still pending at Stripe
    mailoutbox.clear()
    stripe_reports(made.id, "succeeded")
    assert tasks.retry_refunds() == 1

    assert Refund.objects.get(pk=row.pk).status == RefundStatus.SUCCEEDED
    assert refunded_in_ledger(claim) == [-PRICE]
    assert len([m for m in mailoutbox if household.email in m.to]) == 1
    deliver("refund.updated", payments._stripe().Refund.retrieve(made.id))
    assert refunded_in_ledger(claim) == [-PRICE]
    assert len(payments._stripe().Refund.list(payment_intent=payment.stripe_payment_intent).data) == 1


def test_a_request_a_dashboard_refund_made_needless_is_not_asked_again_when_that_refund_fails(
    stripe_at, reserved, settings
):
    """The household cancels while Stripe is unreachable; staff give it all back from the Dashboard, then that
    refund fails (the card was closed). Rebond's own request, made needless, is withdrawn: the retries do not ask
    the closed card again behind staff's back."""
    household, claim, payment = confirmed_by_card(stripe_at, reserved)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    settings.STRIPE_API_BASE = stripe_at
    ours = Refund.objects.get(payment=payment)
    assert ours.status == RefundStatus.FAILED

    made = dashboard_refund(payment, PRICE)
    deliver("refund.created", made)
    ours.refresh_from_db()
    assert ours.status == RefundStatus.WITHDRAWN
    deliver("refund.failed", stripe_reports(made.id))

    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED
    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == PRICE
    Refund.objects.filter(pk=ours.pk).update(created=timezone.now() - tasks.STALE_REFUND * 2)
    assert tasks.retry_refunds() == 0
    assert len(payments._stripe().Refund.list(payment_intent=payment.stripe_payment_intent).data) == 1


def test_a_stray_card_payment_given_back_from_the_dashboard_leaves_a_claim_the_voucher_paid(
    stripe_at, reserved, settings
):
    """The household types a voucher worth the whole price while its bank's 3-D Secure is open; Stripe cannot be
    reached to cancel the card intent, and the household finishes 3-D Secure: the card is charged for nothing.
    Staff give that money back from the Dashboard: the claim the voucher paid stays confirmed."""
    household, claim = reserved
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    answer = payments.attach_card(payment=payment, card_id=card(stripe_at, "4000002760003184"))
    assert answer["status"] == "requires_action"
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    vouchers.apply_voucher(
        claim_id=claim.pk, actor=household, code=VoucherFactory(face_value_cents=PRICE).code
    )
    settings.STRIPE_API_BASE = stripe_at
    post_form(
        f"{stripe_at}/v1/payment_intents/{payment.stripe_payment_intent}/_authenticate",
        {"client_secret": payment.client_secret, "success": "true", "key": settings.STRIPE_PUBLISHABLE_KEY},
    )

    deliver("refund.created", dashboard_refund(payment, PRICE))
    deliver("payment_intent.succeeded", intent_of(payment))

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED and claim.device.state == "reserved"
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.REFUNDED
    assert refunded_in_ledger(claim) == [-PRICE]


def test_a_cancellation_refund_staff_made_for_less_in_the_dashboard_has_its_rest_asked(
    stripe_at, reserved, settings
):
    household, claim, payment = confirmed_by_card(stripe_at, reserved)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # Stripe cannot be reached while the claim is cancelled
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    (row,) = Refund.objects.filter(payment=payment)
    assert row.status == RefundStatus.FAILED and row.amount_cents == PRICE
    settings.STRIPE_API_BASE = stripe_at

    # Staff give back 20 € from the Dashboard, with Rebond's refund row id in the metadata.
    made = payments._stripe().Refund.create(
        payment_intent=payment.stripe_payment_intent, amount=2000, metadata={"refund_id": str(row.pk)}
    )
    deliver("refund.created", made)

    row.refresh_from_db()
    assert (row.status, row.amount_cents, row.stripe_refund) == (RefundStatus.SUCCEEDED, 2000, made.id)
    at_stripe = payments._stripe().Refund.list(payment_intent=payment.stripe_payment_intent).data
    assert sorted(r.amount for r in at_stripe) == sorted([2000, PRICE - 2000])
    assert refunded_in_ledger(claim) == [-2000, -(PRICE - 2000)]
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.REFUNDED
    assert Claim.objects.get(pk=claim.pk).refunded_cents == PRICE
    assert ClaimEvent.objects.filter(claim=claim, note_text__code="journal_claim_refund_partial").count() == 1
    # Told again, nothing more is asked.
    deliver("refund.created", made)
    assert tasks.retry_refunds() == 0
    assert len(payments._stripe().Refund.list(payment_intent=payment.stripe_payment_intent).data) == 2
