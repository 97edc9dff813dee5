"""The warranty ticket lifecycle: the table of allowed moves and the one function that applies them."""

from django.utils import timezone

from reuse.aftercare.enums import OPEN_TICKET_STATUSES
from reuse.aftercare.enums import TicketStatus as S
from reuse.aftercare.models import Ticket, TicketEvent
from reuse.journal import check_transition

ALLOWED = {
    S.OPEN: {S.ADVISED, S.IN_REPAIR, S.SWAPPED, S.REFUNDED},
    S.IN_REPAIR: {S.REPAIRED, S.SWAPPED, S.REFUNDED},
    S.ADVISED: set(),
    S.REPAIRED: set(),
    S.SWAPPED: set(),
    S.REFUNDED: set(),
}


def move_ticket(ticket: Ticket, *, to: str, actor, note: str = "", **changes) -> Ticket:
    """Apply a move to a ticket the caller has locked (select_for_update) and write the history row."""
    check_transition(ALLOWED, ticket.status, to, S)
    previous = ticket.status
    ticket.status = to
    fields = {"status"}
    if to not in OPEN_TICKET_STATUSES:
        ticket.closed_at = timezone.now()
        fields.add("closed_at")
    for name, value in changes.items():
        setattr(ticket, name, value)
        fields.add(name)
    ticket.save(update_fields=sorted(fields))
    TicketEvent.log(ticket=ticket, actor=actor, from_status=previous, to_status=to, note=note)
    return ticket
