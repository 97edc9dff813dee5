"""Households racing for the last seats of a first-use session, on SQLite in a file as `make demo` runs it
(WAL, immediate transactions): the same book_session path as PostgreSQL (the slot row locked while seats are
counted), each thread with its own connection as each request of a threaded server has."""

from reuse.tripod import services
from reuse.tripod.enums import ACTIVE_BOOKING_STATUSES
from reuse.tripod.models import SessionBooking
from tests.factories.eligibility import eligible
from tests.factories.programmes import ProgrammeFactory
from tests.factories.tripod import SessionSlotFactory
from tests.sqlite_race import SQLITE_RACE, file_database, race  # noqa: F401 (the fixture)

pytestmark = SQLITE_RACE

RACERS = 8
SEATS = 3


def test_eight_households_racing_for_three_seats_get_three_bookings_and_five_clear_answers(
    file_database,  # noqa: F811
):
    ProgrammeFactory()
    slot = SessionSlotFactory(capacity=SEATS)
    households = [eligible() for _ in range(RACERS)]
    file_database()
    outcomes = race(
        RACERS,
        lambda index: services.book_session(
            actor=households[index], household=households[index], slot_id=slot.pk
        ),
    )
    assert [o for o in outcomes if isinstance(o, str) and o.startswith("error")] == []
    assert sum(isinstance(o, SessionBooking) for o in outcomes) == SEATS
    assert sorted(o for o in outcomes if not isinstance(o, SessionBooking)) == ["slot_full"] * (
        RACERS - SEATS
    )
    assert SessionBooking.objects.filter(slot=slot, status__in=ACTIVE_BOOKING_STATUSES).count() == SEATS
