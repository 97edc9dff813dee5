"""Card money as Stripe really moves it, against localstripe: what its events say is recorded once, in any order.

Stripe sends its events at least once and in no set order; staff may refund from the Stripe Dashboard, in part or
in whole, and Stripe then tells Rebond with `charge.refunded` and `refund.created`/`refund.updated`; a household
presses « Payer » twice or pays in two tabs; Stripe may be unreachable while a claim is cancelled. Whatever
happens, a claim is confirmed only when what is due was paid and kept, each refund is recorded against its claim
once, and money is given back once and in full.
"""

import urllib.error
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from reuse.claims import payments, tasks
from reuse.claims.enums import ClaimStatus, LedgerKind, PaymentStatus, RefundStatus
from reuse.claims.models import Claim, LedgerEntry, Payment, Refund
from reuse.claims.services import reservations, vouchers
from tests.claims.helpers import (
    PRICE,
    asked_but_unanswered,
    charge_of,
    confirmed_by_card,
    dashboard_refund,
    deliver,
    intent_of,
    pay_by_card,
    refunded_in_ledger,
    signed,
)
from tests.factories.claims import VoucherFactory
from tests.services.conftest import WEBHOOK, card, post_form

pytestmark = pytest.mark.django_db


def test_a_dashboard_refund_is_recorded_once_and_cancelling_gives_back_only_the_rest(stripe_at, reserved):
    household, claim, payment = confirmed_by_card(stripe_at, reserved)

    # A goodwill gesture of 20 € made in the Dashboard: Stripe sends both events, one of them twice.
    made = dashboard_refund(payment, 2000)
    deliver("refund.created", made)
    deliver("charge.refunded", charge_of(payment), event_id="evt_charge_refunded")
    deliver("charge.refunded", charge_of(payment), event_id="evt_charge_refunded")

    refund = Refund.objects.get(payment=payment)
    assert (refund.amount_cents, refund.stripe_refund, refund.status) == (
        2000,
        made.id,
        RefundStatus.SUCCEEDED,
    )
    assert refunded_in_ledger(claim) == [-2000]
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED

    # The household then cancels: Stripe is asked for the 25 € left, not the whole 45 € again.
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    at_stripe = payments._stripe().Refund.list(payment_intent=payment.stripe_payment_intent).data
    assert sorted(r.amount for r in at_stripe) == [2000, 2500]
    # Stripe's events for Rebond's own refund change nothing more.
    for item in at_stripe:
        deliver("refund.updated", item)
    deliver("charge.refunded", charge_of(payment))
    assert refunded_in_ledger(claim) == [-2000, -2500]
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.REFUNDED
    assert Refund.objects.filter(payment=payment, status=RefundStatus.SUCCEEDED).count() == 2


def test_a_refund_whose_event_comes_before_the_payment_s_never_confirms_the_claim(stripe_at, reserved):
    household, claim = reserved
    payment = pay_by_card(stripe_at, household, claim)
    made = dashboard_refund(payment, PRICE)

    deliver("charge.refunded", charge_of(payment))
    outcome = deliver("payment_intent.succeeded", intent_of(payment)).outcome

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESERVED, outcome
    assert [r.id for r in payments._stripe().Refund.list(payment_intent=made.payment_intent).data] == [
        made.id
    ]
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.REFUNDED
    assert refunded_in_ledger(claim) == [-PRICE]


def test_pressing_pay_twice_never_tells_the_household_its_card_was_refused(stripe_at, reserved):
    household, claim = reserved
    payment = pay_by_card(stripe_at, household, claim)
    # The second press (or the second tab) reaches Stripe after the first paid the intent.
    again = payments.attach_card(payment=payment, card_id=card(stripe_at, "4242424242424242"))

    assert again == {"status": "succeeded"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and not payment.failure_message
    assert not LedgerEntry.objects.filter(claim=claim, kind=LedgerKind.CARD_FAILED).exists()
    assert deliver("payment_intent.succeeded", intent_of(payment)).outcome == "confirmed"


def test_an_intent_cancelled_at_stripe_is_not_handed_back_to_the_pay_page(stripe_at, reserved):
    household, claim = reserved
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    cancelled = payments._stripe().PaymentIntent.cancel(payment.stripe_payment_intent)

    assert deliver("payment_intent.canceled", cancelled).outcome == "cancelled"
    fresh = payments.start_card_payment(claim_id=claim.pk, actor=household)

    assert fresh.pk != payment.pk and fresh.stripe_payment_intent != payment.stripe_payment_intent
    assert payments.attach_card(payment=fresh, card_id=card(stripe_at, "4242424242424242")) == {
        "status": "succeeded"
    }


def test_a_refund_stripe_could_not_take_is_asked_again_until_it_goes_through(stripe_at, reserved, settings):
    household, claim, payment = confirmed_by_card(stripe_at, reserved)

    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # Stripe unreachable while the household cancels
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    assert Refund.objects.get(payment=payment).status == RefundStatus.FAILED
    assert Claim.objects.get(pk=claim.pk).refunded_cents == 0  # the claim page does not say « Remboursé » yet

    settings.STRIPE_API_BASE = stripe_at
    assert tasks.retry_refunds() == 1
    assert Refund.objects.get(payment=payment).status == RefundStatus.SUCCEEDED
    assert refunded_in_ledger(claim) == [-PRICE]
    assert Claim.objects.get(pk=claim.pk).refunded_cents == PRICE
    assert tasks.retry_refunds() == 0


def test_events_rebond_does_not_act_on_are_acknowledged_and_a_bad_signature_is_refused(
    client, stripe_at, reserved
):
    household, claim = reserved
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    url = WEBHOOK
    for kind in ("charge.succeeded", "payment_intent.requires_action", "customer.created"):
        body, signature = signed(
            {
                "id": f"evt_{kind}",
                "object": "event",
                "type": kind,
                "data": {"object": intent_of(payment).to_dict()},
            }
        )
        answer = client.post(
            url, body, content_type="application/json", headers={"stripe-signature": signature}
        )
        assert answer.status_code == 200 and answer.json()["outcome"] == "ignored"
    body, signature = signed({"id": "evt_forged", "type": "payment_intent.succeeded"}, secret="whsec_other")
    answer = client.post(url, body, content_type="application/json", headers={"stripe-signature": signature})
    assert answer.status_code == 400
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.RESERVED


def test_a_webhook_stripe_cannot_answer_is_refused_for_a_retry(stripe_at, reserved, settings):
    household, claim, payment = confirmed_by_card(stripe_at, reserved)
    made = dashboard_refund(payment, 1000)

    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    with pytest.raises(payments.PaymentProviderError):
        deliver("refund.created", made, event_id="evt_refund_later")
    settings.STRIPE_API_BASE = stripe_at
    assert deliver("refund.created", made, event_id="evt_refund_later").outcome.startswith("refunds recorded")
    assert refunded_in_ledger(claim) == [-1000]


def test_rebond_s_own_refund_told_by_stripe_before_its_answer_is_recorded_once(stripe_at, reserved):
    """The refund's event beats Stripe's answer to Rebond (or the answer is lost): the row Rebond wrote is the one
    recorded, and neither the answer nor the retries ask Stripe again."""
    household, claim, payment = confirmed_by_card(stripe_at, reserved)
    row, made = asked_but_unanswered(claim, household)

    deliver("refund.created", made)
    row.refresh_from_db()
    assert (row.status, row.stripe_refund) == (RefundStatus.SUCCEEDED, made.id)
    assert payments.execute_refund(refund_id=row.pk).status == RefundStatus.SUCCEEDED
    assert tasks.retry_refunds() == 0
    assert len(payments._stripe().Refund.list(payment_intent=payment.stripe_payment_intent).data) == 1
    assert refunded_in_ledger(claim) == [-PRICE]


def test_a_hold_that_ends_during_3_d_secure_leaves_no_way_to_take_the_money(stripe_at, reserved):
    """The household's bank asks for 3-D Secure; the hold ends before it answers (the device goes back to the
    catalogue, maybe to someone else): the intent is cancelled at Stripe, so finishing 3-D Secure takes nothing."""
    household, claim = reserved
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    answer = payments.attach_card(payment=payment, card_id=card(stripe_at, "4000002760003184"))
    assert answer["status"] == "requires_action"

    Claim.objects.filter(pk=claim.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert reservations.expire_claim(claim_id=claim.pk)

    with pytest.raises(urllib.error.HTTPError):
        post_form(
            f"{stripe_at}/v1/payment_intents/{payment.stripe_payment_intent}/_authenticate",
            {
                "client_secret": payment.client_secret,
                "success": "true",
                "key": settings.STRIPE_PUBLISHABLE_KEY,
            },
        )
    assert intent_of(payment).status == "canceled"
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.CANCELLED


def test_an_intent_for_the_amount_before_a_voucher_is_cancelled_at_stripe(stripe_at, reserved):
    household, claim = reserved
    first = payments.start_card_payment(claim_id=claim.pk, actor=household)
    vouchers.apply_voucher(
        claim_id=claim.pk, actor=household, code=VoucherFactory(face_value_cents=2000).code
    )

    second = payments.start_card_payment(claim_id=claim.pk, actor=household)

    assert second.amount_cents == PRICE - 2000
    assert intent_of(first).status == "canceled" and intent_of(second).status == "requires_payment_method"


def test_a_voucher_that_pays_everything_during_3_d_secure_leaves_nothing_to_take(stripe_at, reserved):
    """One tab waits for the bank's 3-D Secure, the other types a voucher worth the whole price: the claim is
    confirmed by the voucher and the card intent is cancelled at Stripe, so the bank's answer takes nothing."""
    household, claim = reserved
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    assert payments.attach_card(payment=payment, card_id=card(stripe_at, "4000002760003184"))["status"] == (
        "requires_action"
    )

    vouchers.apply_voucher(
        claim_id=claim.pk, actor=household, code=VoucherFactory(face_value_cents=PRICE).code
    )

    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.CONFIRMED
    assert intent_of(payment).status == "canceled"
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.CANCELLED


def test_a_dispute_is_kept_with_the_claim_it_concerns(stripe_at, reserved):
    household, claim, payment = confirmed_by_card(stripe_at, reserved)
    dispute = {
        "id": "dp_1",
        "object": "dispute",
        "amount": PRICE,
        "currency": "eur",
        "charge": charge_of(payment).id,
        "payment_intent": payment.stripe_payment_intent,
        "reason": "fraudulent",
        "status": "needs_response",
    }

    event = deliver("charge.dispute.created", dispute)

    assert event.outcome == f"dispute on claim {claim.pk}: {PRICE} cents, fraudulent"
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.CONFIRMED


def test_choosing_to_pay_at_the_workshop_closes_the_card_payment_under_way(stripe_at, reserved):
    """The household leaves 3-D Secure unfinished and chooses to pay at the counter: the card intent is cancelled
    at Stripe, so the bank's late answer cannot charge it on top of what the workshop collects."""
    household, claim = reserved
    payment = payments.start_card_payment(claim_id=claim.pk, actor=household)
    assert payments.attach_card(payment=payment, card_id=card(stripe_at, "4000002760003184"))["status"] == (
        "requires_action"
    )

    reservations.choose_pay_at_workshop(claim_id=claim.pk, actor=household)

    assert intent_of(payment).status == "canceled"
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.CANCELLED


def test_a_retried_refund_asks_only_for_what_the_dashboard_left(stripe_at, reserved, settings):
    """Rebond's refund failed (Stripe unreachable); meanwhile staff gave back 20 € from the Dashboard. The retry
    asks Stripe for the 25 € left, not the 45 € of the row written before."""
    household, claim, payment = confirmed_by_card(stripe_at, reserved)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    settings.STRIPE_API_BASE = stripe_at
    deliver("refund.created", dashboard_refund(payment, 2000))

    assert tasks.retry_refunds() == 1

    at_stripe = payments._stripe().Refund.list(payment_intent=payment.stripe_payment_intent).data
    assert sorted(r.amount for r in at_stripe) == [2000, 2500]
    assert sorted(refunded_in_ledger(claim)) == [-2500, -2000]
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.REFUNDED


def test_the_household_is_told_what_a_refund_is_for_not_that_its_claim_is_cancelled(
    stripe_at, reserved, mailoutbox
):
    """A goodwill refund made in the Dashboard on a confirmed claim: the email says the money comes back, and does
    not announce a cancellation that did not happen."""
    household, claim, payment = confirmed_by_card(stripe_at, reserved)
    mailoutbox.clear()

    deliver("refund.created", dashboard_refund(payment, 2000))

    (sent,) = [m for m in mailoutbox if household.email in m.to]
    assert "annulée" not in sent.body and f"pour votre demande n° {claim.pk}" in sent.body
    assert "20,00" in sent.body
