"""Refunds of card payments, each recorded once against its claim, whoever made it.

A Refund row is one refund at Stripe. Rebond writes its row before asking Stripe (the row is the idempotency
key): a cancellation, an after-care return, money that came for a claim that no longer waits for it. Staff may also
refund from the Stripe Dashboard, in part or in whole: Stripe then sends `refund.created`, `refund.updated` and
`charge.refunded`, and `record_stripe_refunds` writes a row for each refund Stripe lists that Rebond has not
recorded yet. Either way `_book` writes the ledger line, marks the payment refunded once nothing of it is left, and
tells the household. A payment is only ever refunded of what is left of it (`refund_rest`).
"""

import logging

import stripe
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from reuse.bounds import whole_number
from reuse.claims.enums import LedgerKind, PaymentMethod, PaymentStatus, RefundStatus
from reuse.claims.models import Claim, LedgerEntry, Payment, Refund
from reuse.claims.services.notifications import notify_claim
from reuse.claims.transitions import PAYMENTS, REFUNDS
from reuse.errors import Conflict

logger = logging.getLogger(__name__)


class PaymentProviderError(Conflict):
    code = "payment_provider"


def stripe_client():
    """Configure the library from settings at call time (tests point it at their own localstripe)."""
    stripe.api_key = settings.STRIPE_SECRET_KEY
    stripe.api_base = settings.STRIPE_API_BASE
    stripe.max_network_retries = 0
    return stripe


def unrefunded_cents(payment: Payment) -> int:
    """What of a payment no refund has given back yet."""
    done = payment.refunds.filter(status=RefundStatus.SUCCEEDED).aggregate(total=Sum("amount_cents"))["total"]
    return payment.amount_cents - (done or 0)


def refund_rest(payment: Payment, actor=None) -> Refund | None:
    """The refund that gives back what is left of a payment the caller holds locked: the one already asked and
    not done yet (retried as it is), or a new one for the rest; None when nothing is left (a Dashboard refund
    already gave it all back)."""
    unfinished = payment.refunds.exclude(status=RefundStatus.SUCCEEDED).first()
    if unfinished is not None:
        return unfinished
    left = unrefunded_cents(payment)
    if left <= 0:
        return None
    return Refund.objects.create(payment=payment, amount_cents=left, requested_by=actor)


def settle(payment: Payment) -> None:
    """A received payment that refunds have given back in whole is refunded."""
    if payment.status == PaymentStatus.SUCCEEDED and unrefunded_cents(payment) <= 0:
        PAYMENTS.move(payment, PaymentStatus.REFUNDED, save_also=["updated"])


def open_refunds(*, claim: Claim, actor) -> list[Refund]:
    """Refund rows for what is left of every card payment received on a claim (inside the cancelling transaction)."""
    rows = []
    for payment in claim.payments.select_for_update().filter(
        method=PaymentMethod.CARD, status=PaymentStatus.SUCCEEDED
    ):
        row = refund_rest(payment, actor)
        if row is not None:
            rows.append(row)
    return rows


def _book(refund: Refund, payment: Payment) -> None:
    """A refund done at Stripe (its row succeeded): the ledger line, the payment, the household told."""
    claim = payment.claim
    LedgerEntry.log(
        claim=claim,
        payment=payment,
        kind=LedgerKind.REFUNDED,
        amount_cents=-refund.amount_cents,
        reference=refund.stripe_refund or "",
    )
    settle(payment)
    notify_claim(claim, "claim_refunded", refund=refund)


def execute_refund(*, refund_id: int) -> Refund:
    """Ask Stripe to refund what is left of the row's payment, at most the row's amount (idempotent by the row and
    that amount), and record the outcome."""
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.status == RefundStatus.SUCCEEDED:
        return refund
    left = unrefunded_cents(refund.payment)
    if (
        left <= 0
    ):  # given back in full since the row was written (staff in the Dashboard): nothing more to ask
        return refund
    if (
        refund.amount_cents > left
    ):  # given back in part since (a retry after an outage): ask only for the rest
        Refund.objects.filter(pk=refund.pk).update(amount_cents=left)
        refund.amount_cents = left
    try:
        made = stripe_client().Refund.create(
            payment_intent=refund.payment.stripe_payment_intent,
            amount=refund.amount_cents,
            metadata={"claim_id": str(refund.payment.claim_id), "refund_id": str(refund.pk)},
            idempotency_key=f"rebond-refund-{refund.pk}-{refund.amount_cents}",
        )
    except stripe.StripeError as exc:
        logger.warning("Refund %s failed: %s", refund.pk, exc)
        with transaction.atomic():
            refund = REFUNDS.lock(refund.pk, Refund.objects.select_related("payment", "payment__claim"))
            if refund.status != RefundStatus.SUCCEEDED:
                REFUNDS.move(refund, RefundStatus.FAILED)
        return refund
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("claim").get(pk=refund.payment_id)
        refund = REFUNDS.lock(refund.pk)
        if refund.status == RefundStatus.SUCCEEDED:  # the webhook of this very refund came first
            return refund
        REFUNDS.move(refund, RefundStatus.SUCCEEDED, changes={"stripe_refund": made.id})
        _book(refund, payment)
    return refund


def stripe_refunds(intent_id: str) -> list:
    """The refunds Stripe holds for an intent, read from Stripe: an event's copy may be stale (events come out of
    order and more than once) and `charge.refunded` does not list them."""
    try:
        listed = stripe_client().Refund.list(payment_intent=intent_id, limit=100)
        return [item.to_dict() for item in listed.auto_paging_iter()]
    except stripe.StripeError as exc:
        logger.warning("Listing the refunds of %s failed: %s", intent_id, exc)
        raise PaymentProviderError(_("Stripe est injoignable ; l’événement sera rejoué.")) from exc


def record_stripe_refunds(payment: Payment, listed: list) -> str:
    """Record each succeeded refund Stripe lists for a payment (locked by the caller) that Rebond has not yet:
    Rebond's own (found by the row id it put in the metadata) or one made in the Dashboard (a new row)."""
    recorded = []
    for item in listed:
        if item.get("status") != "succeeded" or Refund.objects.filter(stripe_refund=item["id"]).exists():
            continue
        own_id = whole_number((item.get("metadata") or {}).get("refund_id"))
        refund = payment.refunds.exclude(status=RefundStatus.SUCCEEDED).filter(pk=own_id).first()
        if refund is not None:  # Rebond's own, whose answer from Stripe was lost or comes after this event
            changes = {"stripe_refund": item["id"], "amount_cents": item["amount"]}
            REFUNDS.move(refund, RefundStatus.SUCCEEDED, changes=changes)
        else:
            refund = Refund(payment=payment, amount_cents=item["amount"], stripe_refund=item["id"])
            REFUNDS.set_initial(refund, RefundStatus.SUCCEEDED)
            refund.save(force_insert=True)
            logger.info("Refund %s made outside Rebond recorded on claim %s", item["id"], payment.claim_id)
        _book(refund, payment)
        recorded.append(item["id"])
    return f"refunds recorded: {', '.join(recorded)}" if recorded else "refunds already recorded"
