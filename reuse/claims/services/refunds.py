"""Refunds of card payments, each recorded once against its claim, whoever made it, as Stripe says it ended.

A Refund row is one refund at Stripe. Rebond writes its row before asking Stripe (the row is the idempotency
key): a cancellation, an after-care return, money that came for a claim that no longer waits for it. Staff may also
refund from the Stripe Dashboard, in part or in whole. Stripe tells how each refund ends with `refund.created`,
`refund.updated`, `refund.failed` and `charge.refunded`, late, twice or out of order: `follow_stripe_refunds` reads
Stripe's own list of the intent's refunds and brings each row to what it says, so any order ends the same.

- Succeeded: `_book` writes the ledger line and marks the payment refunded once nothing of it is left; the
  household is told.
- Failed or canceled at Stripe (a closed, lost or expired card; a refund someone cancelled): the row is « non
  parvenu au foyer ». If it had been booked, the booking is reversed: a ledger line brings the amount back, the
  payment is kept again and the « Remboursé » total drops; the household is told the money did not arrive and
  that the team gives it back another way. Staff see it in the claim's history, the admin's refunds and the error
  log. Such a refund is never asked again by itself (the same card would refuse it again): a refund Stripe could
  not be reached for (FAILED, nothing exists at Stripe) is the only one the tasks ask again, MAX_REFUND_ATTEMPTS
  times at most, then it is staff's (NEEDS_STAFF). A charge the card holder's bank disputes cannot be refunded: the
  request waits (DISPUTED) and the dispute's end asks it, or withdraws it when the bank gave everything back.
- A confirmed claim whose card money was all given back by refunds Rebond did not ask (the Dashboard) ends
  through its lifecycle (`card_money_given_back`); after the handover it is only recorded, and staff told.

One rule says what Rebond asks Stripe for, whatever the order of the events (`owed_cents`): a payment Rebond
gives back is owed its amount less what its refunds account for, given back, owed by the team another way (not
received) or under way at Stripe. Rebond's request asks for that, at most one at a time, and stands for all of it:
when the refund that took it up ends for less (staff made it from the Dashboard with the row id, or it failed),
the rest is asked again (`_ask_rest`), noted in the claim's history.
"""

import logging

import stripe
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from reuse.bounds import whole_number
from reuse.claims import texts
from reuse.claims.enums import (
    ASKABLE_REFUND_STATUSES,
    OPEN_REFUND_STATUSES,
    ClaimStatus,
    LedgerKind,
    PaymentMethod,
    PaymentStatus,
    RefundStatus,
)
from reuse.claims.models import Claim, LedgerEntry, Payment, Refund
from reuse.claims.services import hand_refunds, refund_attempts
from reuse.claims.services.notifications import notify_claim
from reuse.claims.services.stripe_api import PaymentProviderError, in_euros, stripe_client  # noqa: F401
from reuse.claims.signals import card_money_given_back
from reuse.claims.transitions import CLAIMS, PAYMENTS, REFUNDS

logger = logging.getLogger(__name__)

# Rebond's requests whose refund at Stripe may still show up: open, or withdrawn while a lost answer was on its way.
ASKED = (*OPEN_REFUND_STATUSES, RefundStatus.WITHDRAWN)
# How a refund at Stripe ended, in Rebond's statuses; `pending` and `requires_action` have not ended yet.
STRIPE_ENDS = {
    "succeeded": RefundStatus.SUCCEEDED,
    "failed": RefundStatus.NOT_RECEIVED,
    "canceled": RefundStatus.NOT_RECEIVED,
}
# What following Stripe did to a row: booked as given back (Rebond's own, or one made outside Rebond); Rebond's own
# found not received, or booked then reversed (the household is told both); one made outside Rebond that never
# went through (staff only).
BOOKED, BOOKED_OUTSIDE = "booked", "booked outside"
NOT_RECEIVED, REVERSED, FAILED_OUTSIDE = "not received", "reversed", "failed outside"


def unrefunded_cents(payment: Payment) -> int:
    """What of a payment no refund has given back yet."""
    done = payment.refunds.filter(status=RefundStatus.SUCCEEDED).aggregate(total=Sum("amount_cents"))["total"]
    return payment.amount_cents - (done or 0)


def owed_cents(payment: Payment) -> int:
    """What of a payment Rebond gives back is still to ask Stripe for: its amount less every refund that already
    accounts for part of it, in whatever order Stripe told them. A refund that succeeded gave it back; one Stripe
    reported failed or canceled is owed by the team another way (the household and staff are told, and the same
    card would refuse it again; staff record it once given back by hand); one Stripe holds, pending, is under way.
    Rebond's request not yet taken by Stripe is what this asks for, so it is not counted; what the card holder's
    bank took back (a dispute lost) is never asked either. None of these amounts ever shrinks, so neither does what
    is owed grow: a request is never made for money another refund accounts for."""
    covered = payment.refunds.filter(
        Q(status__in=[RefundStatus.SUCCEEDED, RefundStatus.NOT_RECEIVED])
        | Q(status__in=OPEN_REFUND_STATUSES, stripe_refund__isnull=False)
    ).aggregate(total=Sum("amount_cents"))["total"]
    return payment.amount_cents - (covered or 0) - taken_back_cents(payment)


def taken_back_cents(payment: Payment) -> int:
    """What of a payment the card holder's bank took back from Rebond (disputes lost), never to refund again."""
    return payment.ledger_out_cents(LedgerKind.DISPUTE_LOST)


def refund_rest(payment: Payment, actor=None) -> Refund | None:
    """The refund that gives back what is left of a payment the caller holds locked: the one already asked and
    not done yet (retried as it is), or a new one for what is owed; None when refunds already account for all of
    it (a Dashboard refund gave it back, or failed and the team owes it another way)."""
    unfinished = payment.refunds.filter(status__in=OPEN_REFUND_STATUSES).first()
    if unfinished is not None:
        return unfinished
    left = owed_cents(payment)
    if left <= 0:
        return None
    return Refund.objects.create(payment=payment, amount_cents=left, requested_by=actor)


def settle(payment: Payment) -> None:
    """A received payment that refunds have given back in whole is refunded; once nothing of it is owed (given
    back, or owed by the team another way), Rebond's request Stripe has not taken is needless, and withdrawn
    (otherwise a retry would ask Stripe again for money another refund accounts for)."""
    if payment.status == PaymentStatus.SUCCEEDED and unrefunded_cents(payment) <= 0:
        PAYMENTS.move(payment, PaymentStatus.REFUNDED, save_also=["updated"])
    if owed_cents(payment) <= 0:
        for needless in payment.refunds.filter(status__in=OPEN_REFUND_STATUSES, stripe_refund=None):
            REFUNDS.move(needless, RefundStatus.WITHDRAWN)


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
    """A refund done at Stripe (its row succeeded): the ledger line and the payment."""
    LedgerEntry.log(
        claim=payment.claim,
        payment=payment,
        kind=LedgerKind.REFUNDED,
        amount_cents=-refund.amount_cents,
        reference=refund.stripe_refund or "",
    )
    settle(payment)


def _unbook(refund: Refund, payment: Payment) -> None:
    """A refund booked as given back that Stripe reports failed or canceled: the money is Rebond's again."""
    LedgerEntry.log(
        claim=payment.claim,
        payment=payment,
        kind=LedgerKind.REFUND_NOT_RECEIVED,
        amount_cents=refund.amount_cents,
        reference=refund.stripe_refund or "",
    )
    if payment.status == PaymentStatus.REFUNDED:
        PAYMENTS.move(payment, PaymentStatus.SUCCEEDED, save_also=["updated"])


def _flag(refund: Refund, payment: Payment) -> None:
    """Staff are told of a refund that never reached the household: in the claim's history and the error log."""
    reason = refund.failure_reason or texts.UNKNOWN_REASON()
    CLAIMS.note(payment.claim, note=texts.REFUND_NOT_RECEIVED(amount=refund.amount_cents, reason=reason))
    logger.error(
        "Refund %s of claim %s not received (%s): %s cents to give back another way",
        refund.stripe_refund,
        payment.claim_id,
        refund.failure_reason or "unknown",
        refund.amount_cents,
    )


def _ask_rest(payment: Payment, made: Refund) -> None:
    """Rebond's request stands for all that is left of its payment. Once Stripe ended the refund that took it up
    (staff may have made it from the Dashboard with its row id, for less; it may have failed), what of the payment
    is still owed (`owed_cents`) is asked as a new request once this is recorded, and staff read it in the claim's
    history. A refund that took it all up, or failed in whole, leaves nothing to ask."""
    if payment.refunds.filter(status__in=OPEN_REFUND_STATUSES).exists():
        return
    rest = owed_cents(payment)
    if rest <= 0:
        return
    more = Refund.objects.create(payment=payment, amount_cents=rest, requested_by=made.requested_by)
    CLAIMS.note(
        payment.claim,
        note=texts.REFUND_PARTIAL(made=made.amount_cents, asked=made.amount_cents + rest, rest=rest),
    )
    logger.warning(
        "Refund %s of claim %s made for %s of %s cents: %s asked again",
        made.pk,
        payment.claim_id,
        made.amount_cents,
        made.amount_cents + rest,
        rest,
    )
    transaction.on_commit(lambda: execute_refund(refund_id=more.pk))


def follow(payment: Payment, item: dict) -> tuple[Refund | None, str]:
    """Bring Rebond's record of one refund Stripe lists for `payment` (locked by the caller) to how it ended.
    Returns its row and what was done ("" for nothing: not ended yet, or already recorded so)."""
    if not in_euros(item):
        logger.error(
            "Refund %s of claim %s in %r not recorded", item.get("id"), payment.claim_id, item.get("currency")
        )
        return None, ""
    end = STRIPE_ENDS.get(item.get("status"))
    reason = str(item.get("failure_reason") or "")[:64] if end == RefundStatus.NOT_RECEIVED else ""
    row = payment.refunds.filter(stripe_refund=item["id"]).first()
    if row is None:  # Rebond's own, whose answer from Stripe was lost or comes after this event
        own_id = whole_number((item.get("metadata") or {}).get("refund_id"))
        row = payment.refunds.filter(status__in=ASKED, stripe_refund=None, pk=own_id).first()
        if row is None and _given_by_hand_instead(payment, own_id, item, end):
            return None, ""
    made_outside = row is None
    taken_up = False  # Rebond's own request, ended by Stripe's refund
    if made_outside:
        if end is None or Refund.objects.filter(stripe_refund=item["id"]).exists():
            return None, ""  # under way in the Dashboard (recorded once it ends), or another payment's
        row = Refund(
            payment=payment,
            amount_cents=item["amount"],
            stripe_refund=item["id"],
            failure_reason=reason,
            made_in_dashboard=True,
        )
        REFUNDS.set_initial(row, end)
        row.save(force_insert=True)
        logger.info("Refund %s made outside Rebond recorded on claim %s", item["id"], payment.claim_id)
    elif row.status in ASKED:
        taken_up = True
        changes = {"stripe_refund": item["id"], "amount_cents": item["amount"]}
        # Pending at Stripe: its id is kept, the tasks read how it ends, and the rest is asked then.
        if end is None:
            Refund.objects.filter(pk=row.pk).update(**changes)
            return row, ""
        REFUNDS.move(row, end, changes={**changes, "failure_reason": reason})
    elif row.status == RefundStatus.SUCCEEDED and end == RefundStatus.NOT_RECEIVED:
        REFUNDS.move(row, end, changes={"failure_reason": reason})
        _unbook(row, payment)
        _flag(row, payment)
        return row, REVERSED
    else:  # already recorded as it ended (Stripe's failed and canceled are final)
        return row, ""
    if end == RefundStatus.SUCCEEDED:
        _book(row, payment)
        what = BOOKED_OUTSIDE if made_outside else BOOKED
    else:
        _flag(row, payment)
        what = FAILED_OUTSIDE if made_outside else NOT_RECEIVED
    if taken_up:
        _ask_rest(payment, row)
    return row, what


def _given_by_hand_instead(payment: Payment, own_id, item: dict, end: str | None) -> bool:
    """Stripe answers late for Rebond's request that staff gave back by hand once it was left to them (its answer
    was lost). Failed or canceled, it is what staff took it for: its id is kept and nothing more is booked. Gone
    through, the household got the money twice: it is booked as it happened, a refund made outside Rebond (False),
    and staff are told to settle it with the household. Returns whether nothing more is to be done."""
    given = payment.refunds.filter(
        status=RefundStatus.NOT_RECEIVED,
        stripe_refund=None,
        failure_reason=hand_refunds.GIVEN_INSTEAD,
        pk=own_id,
    ).first()
    if given is None:
        return False
    if end == RefundStatus.NOT_RECEIVED:
        Refund.objects.filter(pk=given.pk).update(stripe_refund=item["id"])
        return True
    if end is None:
        return True  # still under way at Stripe: recorded once it ends
    CLAIMS.note(
        payment.claim,
        note=texts.REFUNDED_TWICE(amount=item["amount"]),
    )
    logger.error("Refund %s of claim %s given back by hand and by Stripe", item["id"], payment.claim_id)
    return False


def tell(claim: Claim, done: list[tuple[Refund, str]]) -> None:
    """The household hears of each refund given back, and of each that did not reach it after all."""
    for refund, what in done:
        if what in (BOOKED, BOOKED_OUTSIDE):
            notify_claim(claim, "claim_refunded", refund=refund)
        elif what in (NOT_RECEIVED, REVERSED):
            notify_claim(claim, "claim_refund_not_received", refund=refund)


def execute_refund(*, refund_id: int) -> Refund:
    """Ask Stripe to refund what is left of the row's payment, at most the row's amount (idempotent by the row and
    that amount), and record how Stripe says it ended. A row Stripe already holds (pending there) is read back,
    never asked a second time."""
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.status not in ASKABLE_REFUND_STATUSES:
        return refund  # ended, waiting for a dispute to close, or left to staff
    try:
        if refund.stripe_refund:
            made = stripe_client().Refund.retrieve(refund.stripe_refund)
        else:
            left = owed_cents(refund.payment)
            if left <= 0:  # accounted for since the row was written (staff's refunds in the Dashboard)
                with transaction.atomic():
                    settle(Payment.objects.select_for_update().get(pk=refund.payment_id))
                return Refund.objects.get(pk=refund.pk)
            if (
                refund.amount_cents > left
            ):  # given back in part since (a retry after an outage): only the rest
                Refund.objects.filter(pk=refund.pk).update(amount_cents=left)
                refund.amount_cents = left
            made = stripe_client().Refund.create(
                payment_intent=refund.payment.stripe_payment_intent,
                amount=refund.amount_cents,
                metadata={"claim_id": str(refund.payment.claim_id), "refund_id": str(refund.pk)},
                idempotency_key=f"rebond-refund-{refund.pk}-{refund.amount_cents}",
            )
    except stripe.StripeError as exc:
        logger.warning("Refund %s failed: %s", refund.pk, exc)
        with transaction.atomic():
            refund = REFUNDS.lock(refund.pk)
            if refund.status in ASKABLE_REFUND_STATUSES:
                refund_attempts.not_taken(refund, exc)
        return refund
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("claim").get(pk=refund.payment_id)
        row, what = follow(payment, made.to_dict())
        tell(payment.claim, [(row, what)])
        still = REFUNDS.lock(refund.pk)
        if (
            not what and still.status in ASKABLE_REFUND_STATUSES
        ):  # Stripe holds it pending: read back, bounded
            refund_attempts.count(still, _("toujours en attente chez Stripe"))
    return Refund.objects.get(pk=refund.pk)


def stripe_refunds(intent_id: str) -> list:
    """The refunds Stripe holds for an intent, read from Stripe: an event's copy may be stale (events come out of
    order and more than once) and `charge.refunded` does not list them."""
    try:
        listed = stripe_client().Refund.list(payment_intent=intent_id, limit=100)
        return [item.to_dict() for item in listed.auto_paging_iter()]
    except stripe.StripeError as exc:
        logger.warning("Listing the refunds of %s failed: %s", intent_id, exc)
        raise PaymentProviderError(_("Stripe est injoignable ; l’événement sera rejoué.")) from exc


def follow_stripe_refunds(claim: Claim, payment: Payment, listed: list) -> str:
    """Record how each refund Stripe lists for a payment ended (claim and payment locked by the caller): Rebond's
    own (found by the row id it put in the metadata) or one made in the Dashboard (a new row)."""
    done = [(row, what) for row, what in (follow(payment, item) for item in listed) if what]
    if payment.status == PaymentStatus.REFUNDED and any(what == BOOKED_OUTSIDE for _row, what in done):
        claim = _after_money_given_back(claim)
    tell(claim, done)
    if not done:
        return "refunds already recorded"
    return "refunds recorded: " + ", ".join(f"{row.stripe_refund} {what}" for row, what in done)


def _after_money_given_back(claim: Claim) -> Claim:
    """A claim paid by card none of whose card money is kept any more, by refunds Rebond did not ask (its own end
    the claim first): before the handover the claim ends (the household got its money back, the device goes back to
    the catalogue); after it, staff are told and the claim's history says so. Money taken by mistake on a claim a
    voucher paid in whole (a 3-D Secure finished after the voucher) changes nothing to the claim."""
    if (
        claim.price_cents <= claim.voucher_cents
        or claim.payments.filter(status=PaymentStatus.SUCCEEDED).exists()
    ):
        return claim
    if claim.status == ClaimStatus.CONFIRMED:
        card_money_given_back.send(sender=Claim, claim=claim)
        claim.refresh_from_db()
    elif claim.status == ClaimStatus.HANDED_OVER:
        CLAIMS.note(claim, note=texts.REFUNDED_AFTER_HANDOVER())
        logger.error("Claim %s refunded in full from Stripe after its handover", claim.pk)
    return claim
