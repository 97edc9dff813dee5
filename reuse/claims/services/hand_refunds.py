"""Money a card refund could not give back (Stripe reported it failed or canceled, or never took Rebond's request
and left it to staff), given back by staff another way: a bank transfer, cash at the workshop's counter, a cheque. Staff record it once they paid it, so that no one
pays it a second time: who, how, how much (never more than the team still owes another way) and the proof's
reference, written once with its ledger line, shown on the claim page and in the admin."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from reuse.claims import texts
from reuse.claims.enums import HandRefundMethod, LedgerKind, RefundStatus
from reuse.claims.models import Claim, HandRefund, LedgerEntry
from reuse.claims.transitions import CLAIMS, REFUNDS
from reuse.errors import InvalidInput
from reuse.money import format_euros

logger = logging.getLogger(__name__)

# The failure reason of a request Stripe never took that staff gave back by hand instead (Stripe's own are codes too).
GIVEN_INSTEAD = "given_back_by_hand"


def record(*, claim_id: int, by, amount_cents: int, method: str, reference: str) -> HandRefund:
    """Record `amount_cents` given back by `by` on the claim; refused when it is more than the team owes another
    way (what a card refund Stripe failed did not give back, less what was given back since). The claim and its
    payments are locked, so two staff recording the same transfer cannot both count it."""
    reference = (reference or "").strip()[:100]
    if method not in HandRefundMethod.values:
        raise InvalidInput(_("Choisissez comment l’argent a été rendu."))
    if not reference:
        raise InvalidInput(_("Indiquez la référence du virement ou du reçu."))
    if not isinstance(amount_cents, int) or amount_cents <= 0:
        raise InvalidInput(_("Le montant rendu doit être positif."))
    with transaction.atomic():
        claim = Claim.objects.select_for_update(of=("self",)).get(pk=claim_id)
        payments = list(claim.payments.select_for_update().order_by("pk"))
        # A claim has one card payment received, rarely two (a success come after a cancelled one): each amount
        # given back is recorded against one of them.
        total, payment = max(
            ((p.owed_another_way_cents(), p) for p in payments), key=lambda owed: owed[0], default=(0, None)
        )
        if amount_cents > total:
            raise InvalidInput(
                _("Il ne reste que %(owed)s à rendre autrement sur cette demande.")
                % {"owed": format_euros(total)},
            )
        given = HandRefund.objects.create(
            payment=payment, amount_cents=amount_cents, method=method, reference=reference, given_by=by
        )
        # A request left to staff that Stripe holds nothing of is the team's now: it ends as a card refund that
        # gave nothing (owed another way, less what is given by hand), so no task or cancellation asks it again.
        for left in payment.refunds.filter(status=RefundStatus.NEEDS_STAFF, stripe_refund=None):
            REFUNDS.move(left, RefundStatus.NOT_RECEIVED, changes={"failure_reason": GIVEN_INSTEAD})
        LedgerEntry.log(
            claim=claim,
            payment=payment,
            kind=LedgerKind.GIVEN_BACK_BY_HAND,
            amount_cents=-amount_cents,
            reference=reference,
        )
        CLAIMS.note(
            claim,
            actor=by,
            note=[
                texts.GIVEN_BACK_BY_HAND(amount=amount_cents, how=given.method, rest=total - amount_cents),
                reference,
            ],
        )
    logger.info("Claim %s: %s cents given back by hand by user %s", claim_id, amount_cents, by.pk)
    return given
