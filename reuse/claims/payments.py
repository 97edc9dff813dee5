"""Card payments through Stripe (or localstripe): a local row before every call, webhooks applied once.

The flow follows what both Stripe and localstripe's fake Stripe.js support: `start_card_payment` writes a Payment
row, then creates the PaymentIntent (claim id in its metadata, the row's idempotency key) and hands back the client
secret; the browser turns the card into a token with Stripe.js (`createToken`) and posts its card id to
`attach_card`, which sets it on the intent and confirms it server-side; when the bank asks for 3-D Secure the intent
is `requires_action` and the browser finishes it with `stripe.confirmCardPayment(client_secret)`. Only the signed
webhook `payment_intent.succeeded` confirms the claim.
"""

import logging
import uuid

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse.claims import texts
from reuse.claims.enums import ClaimStatus, LedgerKind, PaymentMethod, PaymentStatus, RefundStatus
from reuse.claims.models import Claim, LedgerEntry, Payment, StripeEvent
from reuse.claims.services import card_received, money_not_kept, refunds, stripe_api
from reuse.claims.services.notifications import confirm
from reuse.claims.services.refunds import (  # noqa: F401 (cancellation, after-care and the tasks ask for them here)
    PaymentProviderError,
    execute_refund,
    open_refunds,
)
from reuse.claims.transitions import PAYMENTS
from reuse.errors import DomainError, IllegalTransition, InvalidInput

logger = logging.getLogger(__name__)

CURRENCY = stripe_api.CURRENCY
CARD_DECLINED = _("Votre carte a été refusée. Essayez une autre carte, ou choisissez de payer à l’atelier.")


class BadSignature(DomainError):
    status = 400
    code = "bad_signature"


def _stripe():
    return refunds.stripe_client()


def start_card_payment(*, claim_id: int, actor) -> Payment:
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim_id)
        if claim.status != ClaimStatus.RESERVED:
            raise IllegalTransition(_("Cette demande n’attend pas de paiement."))
        if claim.expires_at and claim.expires_at <= timezone.now():
            raise IllegalTransition(_("Le délai de réservation est dépassé."))
        due = claim.amount_due_cents
        if due <= 0:
            raise IllegalTransition(_("Il n’y a rien à payer."))
        open_payments = claim.payments.filter(
            method=PaymentMethod.CARD, status__in=[PaymentStatus.CREATED, PaymentStatus.PENDING]
        )
        reusable = open_payments.filter(amount_cents=due).order_by("-pk").first()
        if reusable and reusable.client_secret:
            return reusable
        abandon_open_payments(claim, keep=reusable)
        payment = reusable or Payment.objects.create(
            claim=claim,
            method=PaymentMethod.CARD,
            amount_cents=due,
            idempotency_key=f"rebond-claim-{claim.pk}-{uuid.uuid4().hex[:16]}",
        )
    try:
        intent = _stripe().PaymentIntent.create(
            amount=payment.amount_cents,
            currency=CURRENCY,
            metadata={"claim_id": str(claim_id), "payment_id": str(payment.pk)},
            idempotency_key=payment.idempotency_key,
        )
    except stripe.StripeError as exc:
        # The row stays as it is, without an intent: the next « Payer » takes it up with the same idempotency key,
        # so an intent Stripe made before its answer was lost is the one handed back, never a second one.
        logger.warning("PaymentIntent for claim %s failed: %s", claim_id, exc)
        raise PaymentProviderError() from exc
    return _intent_attached(payment.pk, intent)


@transaction.atomic
def _intent_attached(payment_id: int, intent) -> Payment:
    """The payment pending on its intent (another « Payer » got the same one); one ended meanwhile stays ended."""
    payment = PAYMENTS.lock(payment_id)
    if payment.status == PaymentStatus.PENDING and payment.stripe_payment_intent == intent.id:
        return payment
    if payment.status != PaymentStatus.CREATED:
        raise IllegalTransition(_("Ce paiement n’est plus en cours."))
    changes = {"stripe_payment_intent": intent.id, "client_secret": intent.client_secret}
    return PAYMENTS.move(payment, PaymentStatus.PENDING, changes=changes, save_also=["updated"])


def abandon_open_payments(claim: Claim, keep: Payment | None = None) -> None:
    """The claim's open card payments (but `keep`), which no longer pay anything: the claim was cancelled or
    expired, or a voucher changed what is due. They are cancelled here, and their intents at Stripe once this
    commits, so that a page left open (3-D Secure under way, a second tab) can no longer take money for a hold that
    ended or an amount not due."""
    open_payments = (
        claim.payments.select_for_update()
        .filter(method=PaymentMethod.CARD, status__in=[PaymentStatus.CREATED, PaymentStatus.PENDING])
        .exclude(pk=getattr(keep, "pk", None))
    )
    intents = []
    for payment in open_payments:
        PAYMENTS.move(payment, PaymentStatus.CANCELLED, save_also=["updated"])
        if payment.stripe_payment_intent:
            intents.append(payment.stripe_payment_intent)
    if intents:
        transaction.on_commit(lambda: _cancel_at_stripe(intents))


def _cancel_at_stripe(intents: list[str]) -> None:
    client = _stripe()
    for intent_id in intents:
        try:
            client.PaymentIntent.cancel(intent_id)
        except stripe.StripeError as exc:
            # Already paid (or Stripe unreachable): its success webhook finds the payment cancelled and refunds it.
            logger.warning("Intent %s not cancelled at Stripe: %s", intent_id, exc)


def _payment_method(client, card_id: str, token_id: str) -> str:
    """Real Stripe wants a PaymentMethod made from the token; localstripe accepts the token's card id."""
    if token_id and "api.stripe.com" in settings.STRIPE_API_BASE:
        return client.PaymentMethod.create(type="card", card={"token": token_id}).id
    return card_id


def attach_card(*, payment: Payment, card_id: str, token_id: str = "") -> dict:
    """Set the tokenised card on the intent and confirm it. Returns what the browser does next."""
    if not card_id or not card_id.startswith(("card_", "pm_")):
        raise InvalidInput(_("Carte invalide."))
    if token_id and not token_id.startswith("tok_"):
        raise InvalidInput(_("Carte invalide."))
    if payment.status != PaymentStatus.PENDING or not payment.stripe_payment_intent:
        raise IllegalTransition(_("Ce paiement n’est plus en cours."))
    client = _stripe()
    try:
        method = _payment_method(client, card_id, token_id)
        client.PaymentIntent.modify(payment.stripe_payment_intent, payment_method=method)
        intent = client.PaymentIntent.confirm(payment.stripe_payment_intent)
    except stripe.CardError as exc:
        _mark_failed(payment.pk, exc.user_message or str(exc))
        return {"status": "failed", "message": str(CARD_DECLINED)}
    except stripe.StripeError as exc:
        logger.warning("Confirming %s failed: %s", payment.stripe_payment_intent, exc)
        intent = _intent_under_way(client, payment.stripe_payment_intent)
        if intent is None and stripe_api.unreachable(exc):
            # The bank may be paying it: the payment stays pending (its webhook tells), the card is not « refused ».
            raise PaymentProviderError() from exc
        if intent is None:
            _mark_failed(payment.pk, str(exc)[:255])
            return {"status": "failed", "message": str(CARD_DECLINED)}
    if intent.status == "requires_action":
        return {"status": "requires_action", "client_secret": payment.client_secret}
    if intent.status == card_received.PAID:
        card_received.remember_paid(payment.stripe_payment_intent)
    return {"status": intent.status}


def _intent_under_way(client, intent_id: str):
    """The intent, when a refused confirmation is only a second one: « Payer » pressed twice, or the page open in
    two tabs. The first confirmation already paid it (or is paying it, or waits for 3-D Secure): the payment is not
    failed and the household is not told that its card was refused. None when Stripe cannot say so."""
    try:
        intent = client.PaymentIntent.retrieve(intent_id)
    except stripe.StripeError:
        return None
    return intent if intent.status in ("succeeded", "processing", "requires_action") else None


def _mark_failed(payment_id: int, message: str):
    """The card was refused for a payment still under way (or already told failed by its webhook); one that ended
    meanwhile (its claim cancelled or expired in another tab, which cancelled the intent at Stripe, or a success) is
    not a refused card: the household is told the payment is no longer under way."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.status == PaymentStatus.FAILED:
            return  # its `payment_intent.payment_failed` came first
        if payment.status not in (PaymentStatus.CREATED, PaymentStatus.PENDING):
            raise IllegalTransition(_("Ce paiement n’est plus en cours."))
        PAYMENTS.move(
            payment,
            PaymentStatus.FAILED,
            changes={"failure_message": (message or "")[:255]},
            save_also=["updated"],
        )
        LedgerEntry.log(
            claim=payment.claim,
            payment=payment,
            kind=LedgerKind.CARD_FAILED,
            amount_cents=0,
            reference=message[:100],
        )


# --- webhooks ----------------------------------------------------------------------------------------------


def receive_webhook(*, payload: bytes, signature: str) -> StripeEvent:
    """Verify the signature, store the event by id, and apply it once (a replay changes nothing)."""
    try:
        event = stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise BadSignature(_("Signature Stripe invalide.")) from exc
    data = event.to_dict() if hasattr(event, "to_dict") else dict(event)
    try:
        with transaction.atomic():
            stored, _created = StripeEvent.objects.get_or_create(
                event_id=data["id"], defaults={"type": data["type"], "payload": data}
            )
    except IntegrityError:
        stored = StripeEvent.objects.get(event_id=data["id"])
    return apply_event(event_id=stored.pk)


def apply_event(*, event_id: int) -> StripeEvent:
    """Apply a stored event (its signature was checked when it came) once, under its row's lock: one already
    applied changes nothing, whether Stripe sends it again or staff apply it from the admin. A failure leaves
    nothing half-written, is counted on the event with its error (staff see it once Stripe stops sending it) and
    is raised again (Stripe sends it again)."""
    try:
        with transaction.atomic():
            stored = StripeEvent.objects.select_for_update().get(pk=event_id)
            if stored.processed_at is None:
                stored.outcome = _apply(stored.payload)[:255]
                stored.processed_at = timezone.now()
                stored.save(update_fields=["outcome", "processed_at"])
    except Exception as exc:
        StripeEvent.objects.filter(pk=event_id, processed_at__isnull=True).update(
            attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:255]
        )
        logger.warning("Stripe event %s not applied: %s", event_id, exc)
        raise
    return stored


def _find_payment(intent: dict) -> Payment | None:
    """The payment whose PaymentIntent Rebond created, by that intent's id only.

    The intent's metadata is never trusted: anyone with a Stripe account can create an intent carrying
    `payment_id` and have it paid; only the id stored when Rebond created the intent names a payment.
    """
    intent_id = intent.get("id")
    if not intent_id:
        return None
    return Payment.objects.filter(stripe_payment_intent=intent_id).first()


def _lock_claim_and_payment(intent: dict) -> tuple[Claim | None, Payment | None]:
    """Lock the claim, then the payment, both re-read under their lock.

    Expiry, cancellation and a new card attempt lock the claim before its payments: a webhook taking the payment
    first would deadlock with them on PostgreSQL. Only the claim row is locked (`of`), not its device, which
    expiry locks after the claim.
    """
    found = _find_payment(intent)
    if found is None:
        return None, None
    claim = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("device", "device__workshop")
        .get(pk=found.claim_id)
    )
    return claim, Payment.objects.select_for_update().get(pk=found.pk)


# Events about refunds, whoever made them (Rebond or staff in the Stripe Dashboard): each names its intent.
REFUND_EVENTS = {
    "charge.refunded",
    "charge.refund.updated",
    "refund.created",
    "refund.updated",
    "refund.failed",
}


def _apply(event: dict) -> str:
    """Apply one event; any other type than these is acknowledged and changes nothing."""
    kind = event["type"]
    obj = event["data"]["object"]
    if kind == "payment_intent.succeeded":
        return _on_succeeded(obj)
    if kind in ("payment_intent.payment_failed", "payment_intent.canceled"):
        return _on_not_paid(obj, failed=kind == "payment_intent.payment_failed")
    if kind in REFUND_EVENTS:
        return _on_refunded(obj)
    if kind == "charge.dispute.created":
        return _on_dispute(obj)
    if kind == "charge.dispute.closed":
        claim, payment = _lock_claim_and_payment({"id": obj.get("payment_intent")})
        return "unknown payment" if payment is None else money_not_kept.dispute_closed(claim, payment, obj)
    return "ignored"


def _on_dispute(dispute: dict) -> str:
    """The household's bank disputes a payment: the money is held by Stripe until the dispute ends, and staff answer
    it in the Dashboard. The event is kept with the claim it concerns, and staff's error log says so."""
    payment = _find_payment({"id": dispute.get("payment_intent")})
    if payment is None:
        return "unknown payment"
    logger.error(
        "Dispute %s on claim %s: %s cents, reason %s",
        dispute.get("id"),
        payment.claim_id,
        dispute.get("amount"),
        dispute.get("reason"),
    )
    return f"dispute on claim {payment.claim_id}: {dispute.get('amount')} cents, {dispute.get('reason')}"


def _on_not_paid(intent: dict, *, failed: bool) -> str:
    """A declined card, or an intent cancelled at Stripe: the payment no longer waits for money, so the pay page
    starts a new intent instead of handing back a dead one. A success that came first is kept."""
    claim, payment = _lock_claim_and_payment(intent)
    if payment is None:
        return "unknown payment"
    if payment.status not in (PaymentStatus.CREATED, PaymentStatus.PENDING):
        return f"ignored: payment already {payment.status}"
    if not failed:
        PAYMENTS.move(payment, PaymentStatus.CANCELLED, save_also=["updated"])
        return "cancelled"
    error = intent.get("last_payment_error") or {}
    PAYMENTS.move(
        payment,
        PaymentStatus.FAILED,
        changes={"failure_message": (error.get("message") or "")[:255]},
        save_also=["updated"],
    )
    LedgerEntry.log(claim=claim, payment=payment, kind=LedgerKind.CARD_FAILED, amount_cents=0)
    return "failed"


def _on_refunded(obj: dict) -> str:
    """A refund at Stripe (a charge or a refund object, both naming the intent): Stripe's list of the intent's
    refunds is read, then how each ended is recorded against the claim."""
    intent_id = obj.get("payment_intent")
    if not isinstance(intent_id, str) or _find_payment({"id": intent_id}) is None:
        return "unknown payment"
    listed = refunds.stripe_refunds(intent_id)
    claim, payment = _lock_claim_and_payment({"id": intent_id})
    return refunds.follow_stripe_refunds(claim, payment, listed)


def _mismatch(intent: dict, payment: Payment) -> str:
    """Why a paid intent does not pay this payment ("" when it does): the amount and currency asked for."""
    if not stripe_api.in_euros(intent):
        return f"currency {str(intent.get('currency') or '?').lower()} != {CURRENCY}"
    amount = intent.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount != payment.amount_cents:
        return f"amount {amount!r} != {payment.amount_cents}"
    received = intent.get("amount_received")
    if received is not None and received != payment.amount_cents:
        return f"amount received {received!r} != {payment.amount_cents}"
    return ""


def _on_succeeded(intent: dict) -> str:
    claim, payment = _lock_claim_and_payment(intent)
    if payment is None:
        return "unknown payment"
    if payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED):
        return "already applied"
    mismatch = _mismatch(intent, payment)
    if mismatch:
        return money_not_kept.give_back_wrong_money(claim, payment, intent, mismatch)
    # A success after a failure (events out of order) still wins: the money was taken.
    PAYMENTS.move(payment, PaymentStatus.SUCCEEDED, save_also=["updated"])
    LedgerEntry.log(
        claim=claim,
        payment=payment,
        kind=LedgerKind.CARD_CAPTURED,
        amount_cents=payment.amount_cents,
        reference=intent.get("id", ""),
    )
    # A Dashboard refund whose event came before this one (one that never went through gave nothing back).
    refunded_first = payment.refunds.exclude(status=RefundStatus.NOT_RECEIVED).exists()
    if (
        claim.status == ClaimStatus.RESERVED
        and payment.amount_cents == claim.amount_due_cents
        and not refunded_first
    ):
        confirm(claim, None, note=texts.PAID_BY_CARD())
        return "confirmed"
    # Paid after the claim was cancelled or expired, or for an amount no longer due (the intent was created before
    # a voucher lowered it: keeping it would charge the household the whole price and the funder on top): give
    # back what is left of the money. A reserved claim stays reserved for the amount now due.
    refund = refunds.refund_rest(payment)
    if refund is not None:
        transaction.on_commit(lambda: execute_refund(refund_id=refund.pk))
    refunds.settle(payment)
    if claim.status == ClaimStatus.RESERVED:
        return f"refund: {payment.amount_cents} paid, {claim.amount_due_cents} due"
    return f"refund: claim {claim.status}"
