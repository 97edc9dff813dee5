"""Card money Rebond does not keep though no one asked for a refund: money Stripe took for another amount than the
payment asked (it never confirms a claim, and is given back through the refund path) or in another currency than
the euro (never booked: the ledger adds euro cents only; staff refund it from Stripe), and money the card holder's
bank took back (a dispute Stripe closed as lost: booked once, never refunded again; a refund that waited for the
dispute is then asked for what is left).

Both are told to staff in the claim's history and the error log; both write the ledger, so that what Rebond keeps
of a payment, and what it asks Stripe to give back (`refunds.owed_cents`), stay true.
"""

import logging

from django.db import transaction

from reuse.claims import texts
from reuse.claims.enums import LedgerKind, PaymentStatus, RefundStatus
from reuse.claims.models import Claim, LedgerEntry, Payment
from reuse.claims.services import refunds
from reuse.claims.services.stripe_api import in_euros
from reuse.claims.transitions import CLAIMS, PAYMENTS, REFUNDS

logger = logging.getLogger(__name__)


def taken_cents(intent: dict) -> int:
    """What a paid intent took from the card, in its own currency's cents (0 when the intent says nothing sane)."""
    for field in ("amount_received", "amount"):
        value = intent.get(field)
        if isinstance(value, int) and not isinstance(value, bool):
            return max(value, 0)
    return 0


def give_back_wrong_money(claim: Claim, payment: Payment, intent: dict, mismatch: str) -> str:
    """A paid intent whose amount or currency is not the payment's (claim and payment locked by the caller): the
    claim is never confirmed with it. What was taken is recorded on the payment and the ledger, then asked back from
    Stripe in whole by Rebond's refund (idempotent by its row; the tasks retry it), and staff are told."""
    taken = taken_cents(intent)
    currency = str(intent.get("currency") or "?").lower()
    logger.error("Intent %s refused for payment %s: %s", intent.get("id"), payment.pk, mismatch)
    if taken <= 0:
        return f"refused: {mismatch}"
    if not in_euros(intent):
        return _flag_foreign_money(claim, payment, taken, currency, mismatch)
    asked = payment.amount_cents
    PAYMENTS.move(
        payment,
        PaymentStatus.SUCCEEDED,
        changes={"amount_cents": taken, "failure_message": mismatch[:255]},
        save_also=["updated"],
    )
    LedgerEntry.log(
        claim=claim,
        payment=payment,
        kind=LedgerKind.CARD_CAPTURED,
        amount_cents=taken,
        reference=f"{intent.get('id', '')} {currency}"[:100],
    )
    CLAIMS.note(
        claim,
        note=texts.OTHER_AMOUNT(taken=taken, currency=currency, asked=asked),
    )
    refund = refunds.refund_rest(payment)
    if refund is not None:
        transaction.on_commit(lambda: refunds.execute_refund(refund_id=refund.pk))
    return f"refused: {mismatch}; refund asked"


def _flag_foreign_money(claim: Claim, payment: Payment, taken: int, currency: str, mismatch: str) -> str:
    """Money taken in another currency than the euro: the ledger, in euro cents, never adds it, and Rebond asks no
    refund in cents of its own. The payment paid nothing (the household may pay again in euros); staff refund it
    from the Stripe Dashboard, told by the payment's reason, the claim's history and the error log."""
    if payment.failure_message == mismatch[:255]:
        return f"refused: {mismatch}; already told to staff"  # the same event again, under another id
    if payment.status in (PaymentStatus.CREATED, PaymentStatus.PENDING):
        PAYMENTS.move(
            payment, PaymentStatus.FAILED, changes={"failure_message": mismatch[:255]}, save_also=["updated"]
        )
    else:
        Payment.objects.filter(pk=payment.pk).update(failure_message=mismatch[:255])
    CLAIMS.note(
        claim,
        note=texts.OTHER_CURRENCY(taken=taken, currency=currency.upper()),
    )
    return f"refused: {mismatch}; for staff to refund"


def dispute_closed(claim: Claim, payment: Payment, dispute: dict) -> str:
    """A dispute on a payment ended (claim and payment locked by the caller). Won: the money stays, nothing
    changes. Lost: the card holder's bank gave the disputed amount back, so the ledger books it once (by the
    dispute's id), Rebond never asks Stripe to refund it again (`owed_cents` counts it) and staff are told."""
    dispute_id = str(dispute.get("id") or "")[:100]
    status = dispute.get("status")
    amount = dispute.get("amount")
    if status != "lost":
        logger.warning("Dispute %s on claim %s closed %s", dispute_id, claim.pk, status)
        after_dispute(payment)
        return f"dispute {dispute_id} {status}"
    if (
        not dispute_id
        or not in_euros(dispute)
        or not isinstance(amount, int)
        or isinstance(amount, bool)
        or amount <= 0
    ):
        logger.error("Lost dispute on claim %s not understood: %r", claim.pk, dispute)
        return "dispute not understood"
    if LedgerEntry.objects.filter(
        payment=payment, kind=LedgerKind.DISPUTE_LOST, reference=dispute_id
    ).exists():
        return f"dispute {dispute_id} already booked"
    LedgerEntry.log(
        claim=claim, payment=payment, kind=LedgerKind.DISPUTE_LOST, amount_cents=-amount, reference=dispute_id
    )
    CLAIMS.note(
        claim,
        note=texts.DISPUTE_LOST(amount=amount),
    )
    logger.error("Dispute %s on claim %s lost: %s cents taken back", dispute_id, claim.pk, amount)
    after_dispute(payment)
    return f"dispute {dispute_id} lost: {amount} cents booked"


def after_dispute(payment: Payment) -> None:
    """A dispute on `payment` (locked by the caller) closed: Rebond's request that waited for it is asked now for
    what is still owed (`execute_refund` asks no more than that), or withdrawn when nothing is."""
    refunds.settle(payment)
    for waiting in payment.refunds.filter(status=RefundStatus.DISPUTED):
        REFUNDS.move(waiting, RefundStatus.PENDING)
        transaction.on_commit(lambda pk=waiting.pk: refunds.execute_refund(refund_id=pk))
