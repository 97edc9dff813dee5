"""The lifecycle of a seat at a mediation session (reuse/lifecycle.py).

A seat is booked, then given back (cancelled) while the session has not taken place, or marked once it has started:
the household came or did not; the host workshop may correct that mark (and who marked it), never a cancelled seat.
"""

from reuse.lifecycle import Lifecycle
from reuse.tripod.enums import BookingStatus as S
from reuse.tripod.models import SessionBooking

BOOKINGS = Lifecycle(
    model=SessionBooking,
    states=S,
    table={
        S.BOOKED: {S.CANCELLED, S.ATTENDED, S.ABSENT},
        S.ATTENDED: {S.ATTENDED, S.ABSENT},
        S.ABSENT: {S.ABSENT, S.ATTENDED},
        S.CANCELLED: set(),
    },
)
