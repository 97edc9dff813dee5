"""Card money Rebond does not keep though no one asked for a refund: money Stripe took for another amount or
currency than the payment asked (it never confirms a claim, and is given back through the refund path), and money
the card holder's bank took back (a dispute Stripe closed as lost: booked once, never refunded again).

Both are told to staff in the claim's history and the error log; both write the ledger, so that what Rebond keeps
of a payment, and what it asks Stripe to give back (`refunds.owed_cents`), stay true.
"""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from reuse.claims.enums import LedgerKind, PaymentStatus
from reuse.claims.models import Claim, LedgerEntry, Payment
from reuse.claims.services import refunds
from reuse.claims.transitions import CLAIMS, PAYMENTS
from reuse.money import format_euros

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
        note=_(
            "Paiement par carte reçu pour un autre montant ou une autre devise que ceux demandés (%(taken)s centimes en %(currency)s"
            " au lieu de %(asked)s) : la demande n’est pas confirmée et la somme prise est remboursée."
        )
        % {"taken": taken, "currency": currency, "asked": format_euros(asked)},
    )
    refund = refunds.refund_rest(payment)
    if refund is not None:
        transaction.on_commit(lambda: refunds.execute_refund(refund_id=refund.pk))
    return f"refused: {mismatch}; refund asked"


def dispute_closed(claim: Claim, payment: Payment, dispute: dict) -> str:
    """A dispute on a payment ended (claim and payment locked by the caller). Won: the money stays, nothing
    changes. Lost: the card holder's bank gave the disputed amount back, so the ledger books it once (by the
    dispute's id), Rebond never asks Stripe to refund it again (`owed_cents` counts it) and staff are told."""
    dispute_id = str(dispute.get("id") or "")[:100]
    status = dispute.get("status")
    amount = dispute.get("amount")
    if status != "lost":
        logger.warning("Dispute %s on claim %s closed %s", dispute_id, claim.pk, status)
        return f"dispute {dispute_id} {status}"
    if not dispute_id or not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
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
        note=_(
            "Litige perdu : la banque du titulaire de la carte lui a rendu %(amount)s. Rebond ne le rembourse pas"
            " une seconde fois ; à vérifier avec le foyer."
        )
        % {"amount": format_euros(amount)},
    )
    logger.error("Dispute %s on claim %s lost: %s cents taken back", dispute_id, claim.pk, amount)
    refunds.settle(payment)
    return f"dispute {dispute_id} lost: {amount} cents booked"
