"""A card the bank already paid whose `payment_intent.succeeded` has not reached Rebond yet.

Only that webhook books the payment and confirms the claim; until it comes (seconds, sometimes minutes on a slow
line or when Stripe is late), the claim's page asks Stripe how its open card payment stands, so that it says « paid,
being confirmed » instead of offering to pay again. Nothing is written: what Stripe says is shown, never booked.
"""

import logging

import stripe
from django.core.cache import cache

from reuse.claims.enums import ClaimStatus, PaymentMethod, PaymentStatus
from reuse.claims.models import Claim, Payment
from reuse.claims.services import stripe_api

logger = logging.getLogger(__name__)

# How long the page keeps Stripe's answer about one intent, so that refreshing (a household waiting, a phone
# reloading on a bad line) does not ask Stripe each time: a paid intent stays paid, and a Stripe that did not answer
# is not asked again by every refresh (each would wait the bounded read again). « Not paid yet » is never kept: the
# household may pay the next second (back from its bank's 3-D Secure page) and must then read « received ».
ANSWER_KEPT_SECONDS = 30
PAID = "succeeded"
NOT_READ = "not-read"


def _key(intent_id: str) -> str:
    return f"claims:intent-status:{intent_id}"


def remember_paid(intent_id: str) -> None:
    """Stripe just said, confirming the card, that the intent is paid: the claim's page the browser goes to next
    reads it here rather than asking Stripe again."""
    cache.set(_key(intent_id), PAID, ANSWER_KEPT_SECONDS)


def mark_card_confirming(claims) -> list[Claim]:
    """`claims` (a list page), each with `card_confirming`: a card payment Stripe said was paid is being confirmed,
    from the answers kept alone (the claim's own page, or the card just confirmed): a list never asks Stripe, once
    per claim, what each claim's page says."""
    claims = list(claims)
    confirming = _read_as_paid(claims)
    for claim in claims:
        claim.card_confirming = claim.pk in confirming
    return claims


def _read_as_paid(claims) -> set[int]:
    open_intents = {
        payment.stripe_payment_intent: payment.claim_id
        for payment in Payment.objects.filter(
            claim__in=[claim.pk for claim in claims if claim.status == ClaimStatus.RESERVED],
            method=PaymentMethod.CARD,
            status=PaymentStatus.PENDING,
            stripe_payment_intent__gt="",
        )
    }
    if not open_intents:
        return set()
    kept = cache.get_many([_key(intent_id) for intent_id in open_intents])
    return {claim_pk for intent_id, claim_pk in open_intents.items() if kept.get(_key(intent_id)) == PAID}


def _intent_status(intent_id: str, claim_pk: int) -> str:
    """What Stripe says of the intent (its status), or NOT_READ when it did not answer within the page's wait."""
    key = _key(intent_id)
    kept = cache.get(key)
    if kept is not None:
        return kept
    try:
        status = stripe_api.page_read_client().v1.payment_intents.retrieve(intent_id).status
    except stripe.StripeError as exc:
        logger.warning("Intent %s of claim %s not read: %s", intent_id, claim_pk, exc)
        status = NOT_READ
    if status in (PAID, NOT_READ):
        cache.set(key, status, ANSWER_KEPT_SECONDS)
    return status


def paid_awaiting_webhook(claim: Claim) -> Payment | None:
    """The claim's open card payment whose intent Stripe says succeeded (its webhook not applied yet), or None.

    Stripe is asked only for a reserved claim with an intent under way, with the short wait of a page's read and
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
    return payment if _intent_status(payment.stripe_payment_intent, claim.pk) == PAID else None
