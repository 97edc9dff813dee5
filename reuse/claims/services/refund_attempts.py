"""How many times Rebond asked Stripe for a refund that Stripe did not take or end, and what then: every retry of a
refund is bounded. A charge the card holder's bank disputes cannot be refunded, so that request waits for the
dispute (the dispute's end asks it: money_not_kept.after_dispute); any other is asked again by the tasks at most
MAX_REFUND_ATTEMPTS times, then it is staff's (NEEDS_STAFF), told in the claim's history and the error log."""

import logging

import stripe

from reuse.claims import texts
from reuse.claims.enums import RefundStatus
from reuse.claims.models import Payment, Refund, StripeEvent
from reuse.claims.transitions import CLAIMS, REFUNDS

logger = logging.getLogger(__name__)

# Asks for one refund Stripe does not take before it is staff's (the task runs every half hour: a day and a half).
MAX_REFUND_ATTEMPTS = 72


def not_taken(refund: Refund, exc: stripe.StripeError) -> None:
    """Stripe did not take Rebond's request (`refund` locked, still askable). A charge the card holder's bank
    disputes cannot be refunded: the request waits for the dispute to close (`after_dispute`). Anything else is
    asked again by the tasks, at most MAX_REFUND_ATTEMPTS times in all; then it is staff's, and they are told."""
    if getattr(exc, "code", None) == "charge_disputed" and not _dispute_closed(refund.payment):
        REFUNDS.move(refund, RefundStatus.DISPUTED)
        CLAIMS.note(
            refund.payment.claim,
            note=texts.REFUND_DISPUTED(amount=refund.amount_cents),
        )
        return
    count(refund, str(exc))


def count(refund: Refund, reason: str) -> None:
    """One more ask of `refund` (locked, still askable) that Stripe did not take or end: asked again by the tasks
    until MAX_REFUND_ATTEMPTS, then left to staff."""
    attempts = refund.attempts + 1
    if attempts < MAX_REFUND_ATTEMPTS:
        # A refund Stripe already holds (only reading it failed) keeps its status: Stripe tells how it ends.
        end = refund.status if refund.stripe_refund else RefundStatus.FAILED
        if end == refund.status:
            Refund.objects.filter(pk=refund.pk).update(attempts=attempts)
        else:
            REFUNDS.move(refund, end, changes={"attempts": attempts})
        return
    REFUNDS.move(refund, RefundStatus.NEEDS_STAFF, changes={"attempts": attempts})
    CLAIMS.note(
        refund.payment.claim,
        note=texts.REFUND_LEFT_TO_STAFF(amount=refund.amount_cents, attempts=attempts, error=reason[:100]),
    )
    logger.error(
        "Refund %s of claim %s left to staff after %s tries: %s",
        refund.pk,
        refund.payment.claim_id,
        attempts,
        reason,
    )


def _dispute_closed(payment: Payment) -> bool:
    """Whether Stripe already told that the dispute of this payment's charge ended (a charge is disputed once): a
    refusal for a dispute that closed meanwhile is asked again as any other, nothing would ask a waiting one."""
    closed = StripeEvent.objects.filter(type="charge.dispute.closed", processed_at__isnull=False)
    return closed.filter(payload__data__object__payment_intent=payment.stripe_payment_intent).exists()
