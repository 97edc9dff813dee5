"""The claim lifecycle of PRODUCT.md, and the lifecycles that follow it: payments, refunds, waitlist entries.

Each is a declared table (reuse/lifecycle.py); every status change of these models goes through one of them.
"""

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse.claims.enums import OPEN_REFUND_STATUSES, PaymentStatus, RefundStatus, WaitlistStatus
from reuse.claims.enums import ClaimStatus as S
from reuse.claims.models import Claim, ClaimEvent, Payment, Refund, WaitlistEntry
from reuse.errors import IllegalTransition
from reuse.lifecycle import Lifecycle, Note

R = RefundStatus

ALLOWED = {
    S.WAITLISTED: {S.RESERVED, S.CANCELLED},
    S.RESERVED: {S.CONFIRMED, S.CANCELLED, S.EXPIRED},
    S.CONFIRMED: {S.HANDED_OVER, S.CANCELLED},
    S.HANDED_OVER: {S.RETURNED},  # only through a warranty ticket (reuse.aftercare)
    S.CANCELLED: set(),
    S.EXPIRED: set(),
    S.RETURNED: set(),
}
CLAIMS = Lifecycle(
    model=Claim,
    states=S,
    table=ALLOWED,
    journal=ClaimEvent,
    on_enter={S.CONFIRMED: lambda claim: {"confirmed_at": timezone.now()}},
)


def paid_cents(claim: Claim) -> int:
    """Money received for the claim and kept: its succeeded payments that no refund gives back (one that never
    reached the household gives nothing back)."""
    kept = Payment.objects.filter(claim=claim, status=PaymentStatus.SUCCEEDED).exclude(
        refunds__status__in=[*OPEN_REFUND_STATUSES, R.SUCCEEDED]
    )
    return kept.aggregate(total=Sum("amount_cents"))["total"] or 0


@CLAIMS.guard(S.CONFIRMED)
def paid_or_nothing_due(claim: Claim) -> None:
    """A claim is confirmed when what it owes (its price less its voucher) is paid, or when nothing is due."""
    due = claim.amount_due_cents  # nothing for a claim that is not waiting for money
    if due and paid_cents(claim) < due:
        raise IllegalTransition(
            _("Cette demande ne peut être confirmée qu’une fois payée."), code="illegal_transition"
        )


P = PaymentStatus
PAYMENTS = Lifecycle(
    model=Payment,
    states=P,
    table={
        P.CREATED: {P.PENDING, P.SUCCEEDED, P.FAILED, P.CANCELLED},
        P.PENDING: {P.SUCCEEDED, P.FAILED, P.CANCELLED},
        # A success after a failure or an abandon (events out of order) still wins: the money was taken.
        P.FAILED: {P.SUCCEEDED},
        P.CANCELLED: {P.SUCCEEDED},
        P.SUCCEEDED: {P.REFUNDED},
        # A refund Stripe reports failed or canceled after it was booked: the money is back with Rebond.
        P.REFUNDED: {P.SUCCEEDED},
    },
)

REFUNDS = Lifecycle(
    model=Refund,
    states=R,
    table={
        R.PENDING: {R.SUCCEEDED, R.FAILED, R.NOT_RECEIVED, R.WITHDRAWN, R.DISPUTED, R.NEEDS_STAFF},
        R.FAILED: {R.SUCCEEDED, R.FAILED, R.NOT_RECEIVED, R.WITHDRAWN, R.DISPUTED, R.NEEDS_STAFF},
        # Asked once the dispute closed (won, or lost for part of the money); needless when lost in whole.
        R.DISPUTED: {R.PENDING, R.SUCCEEDED, R.NOT_RECEIVED, R.WITHDRAWN},
        # Staff refunded it from the Dashboard (needless now), or Stripe took it after all.
        R.NEEDS_STAFF: {R.SUCCEEDED, R.NOT_RECEIVED, R.WITHDRAWN},
        # A request thought lost (a timeout) that Stripe took after all ends as Stripe says.
        R.WITHDRAWN: {R.SUCCEEDED, R.NOT_RECEIVED},
        # Stripe may report a refund failed after it succeeded (the card was closed): the booking is reversed.
        R.SUCCEEDED: {R.NOT_RECEIVED},
        # Stripe's failed and canceled are final: money given back another way is a new refund.
        R.NOT_RECEIVED: set(),
    },
)

W = WaitlistStatus
WAITLIST = Lifecycle(
    model=WaitlistEntry,
    states=W,
    table={
        W.WAITING: {W.OFFERED, W.CANCELLED},
        W.OFFERED: {W.FULFILLED, W.LAPSED, W.CANCELLED},
        W.FULFILLED: set(),
        W.LAPSED: set(),
        W.CANCELLED: set(),
    },
)


def close_offer(claim: Claim, *, to: str) -> WaitlistEntry | None:
    """The waitlist entry that offered `claim` (if it came from the list), locked and moved on with it: served
    when the claim is handed over, lapsed when it expires, withdrawn when it is cancelled."""
    entry = WaitlistEntry.objects.select_for_update().filter(offered_claim=claim).first()
    if entry is None:
        return None
    return WAITLIST.move(entry, to)


def move_claim(claim: Claim, *, to: str, actor, note: Note = "", **changes) -> Claim:
    """Apply a move to a claim the caller has locked (select_for_update) and write the history row."""
    return CLAIMS.move(claim, to, actor=actor, note=note, changes=changes)
