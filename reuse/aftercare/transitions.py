"""The warranty ticket lifecycle: its table of allowed moves, declared once (reuse/lifecycle.py)."""

from django.utils import timezone

from reuse.aftercare.enums import TicketStatus as S
from reuse.aftercare.models import Ticket, TicketEvent
from reuse.lifecycle import Lifecycle, Note

ALLOWED = {
    S.OPEN: {S.ADVISED, S.IN_REPAIR, S.SWAPPED, S.REFUNDED},
    S.IN_REPAIR: {S.REPAIRED, S.SWAPPED, S.REFUNDED},
    S.ADVISED: set(),
    S.REPAIRED: set(),
    S.SWAPPED: set(),
    S.REFUNDED: set(),
}


def _closed(ticket):
    return {"closed_at": timezone.now()}


TICKETS = Lifecycle(
    model=Ticket,
    states=S,
    table=ALLOWED,
    journal=TicketEvent,
    on_enter={state: _closed for state in (S.ADVISED, S.REPAIRED, S.SWAPPED, S.REFUNDED)},
)


def move_ticket(ticket: Ticket, *, to: str, actor, note: Note = "", **changes) -> Ticket:
    """Apply a move to a ticket the caller has locked (select_for_update) and write the history row."""
    return TICKETS.move(ticket, to, actor=actor, note=note, changes=changes)
