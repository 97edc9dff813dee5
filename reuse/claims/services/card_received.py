"""A card the bank already paid whose `payment_intent.succeeded` has not reached Rebond yet.

Only that webhook books the payment and confirms the claim; until it comes (seconds, sometimes minutes on a slow
line or when Stripe is late), the claim's page asks Stripe how its open card payment stands, so that it says « paid,
being confirmed » instead of offering to pay again. Nothing is written: what Stripe says is shown, never booked.
"""

import logging

import stripe

from reuse.claims.enums import ClaimStatus, PaymentMethod, PaymentStatus
from reuse.claims.models import Claim, Payment
from reuse.claims.services import stripe_api

logger = logging.getLogger(__name__)


def paid_awaiting_webhook(claim: Claim) -> Payment | None:
    """The claim's open card payment whose intent Stripe says succeeded (its webhook not applied yet), or None.

    Stripe is asked only for a reserved claim with an intent under way, through the adapter's bounded wait and
    without retries; when it cannot answer, the page shows what Rebond knows (the pay button is safe: a second
    « Payer » takes up the same intent, which Stripe refuses to charge twice)."""
    if claim.status != ClaimStatus.RESERVED or claim.amount_due_cents <= 0:
        return None
    payment = (
        claim.payments.filter(
            method=PaymentMethod.CARD, status=PaymentStatus.PENDING, stripe_payment_intent__gt=""
        )
        .order_by("-pk")
        .first()
    )
    if payment is None:
        return None
    try:
        intent = stripe_api.stripe_client().PaymentIntent.retrieve(payment.stripe_payment_intent)
    except stripe.StripeError as exc:
        logger.warning("Intent %s of claim %s not read: %s", payment.stripe_payment_intent, claim.pk, exc)
        return None
    return payment if intent.status == "succeeded" else None
