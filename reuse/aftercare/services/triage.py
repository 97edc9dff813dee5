"""The workshop's answer to a ticket: advice, repair, a swap for another device, or a refund."""

from django.db import transaction
from django.utils.translation import gettext as _

from inventory.enums import DeviceState
from inventory.models import Device
from inventory.transitions import apply_transition
from reuse.accounts.models import User
from reuse.aftercare import texts
from reuse.aftercare.enums import OPEN_TICKET_STATUSES, ReturnedTo, TicketStatus
from reuse.aftercare.models import Ticket
from reuse.aftercare.services.tickets import lock_workshop_ticket, record_step
from reuse.aftercare.services.warranty import refresh_warranty_end, swap_chain, warranty_until
from reuse.claims import payments
from reuse.claims import texts as claim_texts
from reuse.claims.enums import ClaimStatus, LedgerKind, PaymentMethod, PaymentStatus, RefundStatus
from reuse.claims.models import Claim, LedgerEntry, Refund
from reuse.claims.services.reservations import reserve
from reuse.claims.transitions import PAYMENTS, REFUNDS, move_claim
from reuse.errors import Conflict, IllegalTransition, InvalidInput, NotFound

CLAIMANT_FIELDS = (
    "beneficiary",
    "organisation",
    "claimed_by",
    "referrer_organisation",
    "programme",
    "decision",
    "department",
)


def note_required(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Écrivez ce que vous dites au foyer, en mots simples."), code="note")
    return note


@transaction.atomic
def give_advice(*, actor: User, ticket_id: int, note: str) -> Ticket:
    note = note_required(note)
    ticket = lock_workshop_ticket(actor, ticket_id)
    record_step(ticket, actor, to=TicketStatus.ADVISED, note=note, claim_text=texts.ADVISED(ticket=ticket.pk))
    return ticket


@transaction.atomic
def start_repair(*, actor: User, ticket_id: int, note: str = "") -> Ticket:
    """The household leaves the device with the workshop: it goes back through `in_repair`."""
    ticket = lock_workshop_ticket(actor, ticket_id)
    note = note.strip() or texts.SAY_TAKEN_FOR_REPAIR()
    # The ticket moves first: the device's guard lets a handed-over device back in only for an open ticket.
    record_step(
        ticket,
        actor,
        to=TicketStatus.IN_REPAIR,
        note=note,
        claim_text=texts.TAKEN_FOR_REPAIR(ticket=ticket.pk),
    )
    apply_transition(
        device_id=ticket.device_id,
        to=DeviceState.IN_REPAIR,
        actor=actor,
        note=texts.DEVICE_IN_REPAIR(ticket=ticket.pk),
        expected_from={DeviceState.HANDED_OVER},
    )
    return ticket


@transaction.atomic
def finish_repair(*, actor: User, ticket_id: int, note: str = "") -> Ticket:
    """The repaired device is given back to the household: in repair → handed over again."""
    ticket = lock_workshop_ticket(actor, ticket_id)
    if ticket.status != TicketStatus.IN_REPAIR:
        raise IllegalTransition(_("Ce ticket n’est pas en réparation."))
    # L217-13: six more months of warranty from this repair on; the household is told its new end.
    until = warranty_until(ticket.claim, repairing=True)
    note = [note.strip() or texts.SAY_REPAIRED(), texts.SAY_WARRANTY_UNTIL(day=until.isoformat())]
    apply_transition(
        device_id=ticket.device_id,
        to=DeviceState.HANDED_OVER,
        actor=actor,
        note=texts.DEVICE_REPAIRED(ticket=ticket.pk),
        expected_from={DeviceState.IN_REPAIR},
        changes={"outcome_department": ticket.claim.department},
    )
    record_step(
        ticket,
        actor,
        to=TicketStatus.REPAIRED,
        note=note,
        claim_text=texts.REPAIRED(ticket=ticket.pk),
    )
    ticket.warranty_until = refresh_warranty_end(ticket.claim)  # on every page that shows the end
    return ticket


def lock_open_ticket(actor: User, ticket_id: int) -> Ticket:
    """The workshop's ticket, locked, while it is open: a closed one takes back no device."""
    ticket = lock_workshop_ticket(actor, ticket_id)
    if ticket.status not in OPEN_TICKET_STATUSES:
        raise IllegalTransition(_("Ce ticket est clos."))
    return ticket


def take_back(ticket: Ticket, actor: User, returned_to: str, channel: str, reference: str):
    """The faulty device comes back from the household: to the stock (in repair, to be made good and wiped
    again before it is listed), or out for good (parts, recycling with its channel)."""
    if returned_to not in ReturnedTo.values:
        raise InvalidInput(_("Choisissez où va l’appareil rendu."), code="returned_to")
    device = Device.objects.get(pk=ticket.device_id)
    changes = {}
    if returned_to == ReturnedTo.RECYCLED:
        changes = {"recycle_channel": channel.strip(), "recycle_reference": reference.strip()}
    if device.state != returned_to:
        apply_transition(
            device_id=device.pk,
            to=returned_to,
            actor=actor,
            note=texts.RETURNED(ticket=ticket.pk),
            expected_from={DeviceState.HANDED_OVER, DeviceState.IN_REPAIR},
            changes=changes,
        )
    claim = Claim.objects.select_for_update().get(pk=ticket.claim_id)
    move_claim(claim, to=ClaimStatus.RETURNED, actor=actor, note=texts.RETURNED(ticket=ticket.pk))
    ticket.claim = claim


def swap_candidates(ticket: Ticket):
    """What the workshop may give instead: its own devices of the same type, online or ready to be."""
    return (
        Device.objects.filter(
            workshop_id=ticket.device.workshop_id,
            type=ticket.device.type,
            state__in=[DeviceState.LISTED, DeviceState.READY],
        )
        .exclude(pk=ticket.device_id)
        .order_by("-grade", "pk")
    )


@transaction.atomic
def swap(
    *,
    actor: User,
    ticket_id: int,
    replacement_id: int,
    returned_to: str,
    note: str = "",
    recycle_channel: str = "",
    recycle_reference: str = "",
) -> Ticket:
    """Another device is reserved for the household, nothing to pay and outside its cap (it replaces the one it
    received); the faulty one comes back to the stock or goes to parts or recycling."""
    ticket = lock_open_ticket(actor, ticket_id)
    replacement = swap_candidates(ticket).filter(pk=replacement_id).first()
    if replacement is None:
        raise NotFound(_("Choisissez un appareil de votre atelier, du même type, en ligne ou prêt."))
    original = ticket.claim
    take_back(ticket, actor, returned_to, recycle_channel, recycle_reference)
    if replacement.state == DeviceState.READY:
        apply_transition(
            device_id=replacement.pk,
            to=DeviceState.LISTED,
            actor=actor,
            note=texts.DEVICE_SWAP(ticket=ticket.pk),
        )
    claim = reserve(
        Claim(
            device=replacement,
            # The replacement is the same claimant's, under the same decision and programme, in the same place.
            **{field: getattr(original, field) for field in CLAIMANT_FIELDS},
            price_cents=0,
            expires_at=None,
        ),
        actor=actor,
        taken=Conflict(
            _("Cet appareil vient d’être réservé par quelqu’un d’autre : choisissez-en un autre.")
        ),
        device_note=lambda claim: claim_texts.DEVICE_SWAP(ticket=ticket.pk, claim=claim.pk),
        journal_note=claim_texts.REPLACES(claim=original.pk, ticket=ticket.pk),
    )
    move_claim(claim, to=ClaimStatus.CONFIRMED, actor=actor, note=claim_texts.SWAPPED_FREE())
    note = note.strip() or texts.SAY_SWAPPED()
    record_step(
        ticket,
        actor,
        to=TicketStatus.SWAPPED,
        note=note,
        claim_text=texts.SWAPPED(ticket=ticket.pk, claim=claim.pk),
        replacement_claim=claim,
    )
    return ticket


def paid_claims(claim: Claim) -> list[Claim]:
    """The claim and those it replaces, newest first, locked: a replacement given under warranty is free, so
    what the household paid sits on the claim of the device it first received (a chain when swapped twice)."""
    return swap_chain(claim, lock=True)


def refund(
    *,
    actor: User,
    ticket_id: int,
    returned_to: str,
    note: str = "",
    recycle_channel: str = "",
    recycle_reference: str = "",
) -> Ticket:
    """The household gives the device back and is paid back what it paid: a card payment through Stripe's
    refund (the payments' refund path), money paid at the counter handed back and written in the ledger. What a
    voucher paid stays with its funder. After a swap, what was paid for the device it replaced is paid back."""

    with transaction.atomic():
        ticket = lock_open_ticket(actor, ticket_id)
        take_back(ticket, actor, returned_to, recycle_channel, recycle_reference)
        claims = paid_claims(ticket.claim)
        card_refunds = []
        for claim in claims:
            card_refunds += payments.open_refunds(claim=claim, actor=actor)
            for payment in claim.payments.select_for_update().filter(
                method=PaymentMethod.WORKSHOP, status=PaymentStatus.SUCCEEDED
            ):
                # Handed back at the counter: the refund is done as it is written (no bank to wait for).
                refund_row = Refund.objects.create(
                    payment=payment, amount_cents=payment.amount_cents, requested_by=actor
                )
                REFUNDS.move(refund_row, RefundStatus.SUCCEEDED, actor=actor)
                PAYMENTS.move(payment, PaymentStatus.REFUNDED, actor=actor)
                LedgerEntry.log(
                    claim=claim,
                    payment=payment,
                    kind=LedgerKind.REFUNDED,
                    amount_cents=-payment.amount_cents,
                    reference=f"atelier, ticket {ticket.pk}",
                )
        paid = sum(
            p.amount_cents
            for claim in claims
            for p in claim.payments.all()
            if p.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED)
        )
        note = note.strip() or (texts.SAY_REFUNDED(amount=paid) if paid else texts.SAY_NOTHING_PAID())
        record_step(
            ticket,
            actor,
            to=TicketStatus.REFUNDED,
            note=note,
            claim_text=texts.REFUNDED(ticket=ticket.pk),
        )
    for refund_row in card_refunds:
        payments.execute_refund(refund_id=refund_row.pk)
    ticket.refresh_from_db()
    return ticket
