"""The embedded default (SQLite in a file, as `make demo` runs it) under households racing for one device.

The test database of the default pass lives in memory; this test copies it, with its rows, into a file and
points the connections of the racing threads at that file, with the OPTIONS the settings give every SQLite
database (WAL, immediate transactions, busy timeout). Each thread has its own connection, as each request of
a threaded server has.
"""

from django.db import connection, connections

from inventory.enums import DeviceState
from inventory.models import Device
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim
from reuse.claims.services import reservations
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory
from tests.sqlite_race import SQLITE_RACE, file_database, race  # noqa: F401 (the fixture)

pytestmark = SQLITE_RACE

RACERS = 20


def test_the_demo_profile_opens_sqlite_in_wal_with_immediate_transactions(tmp_path):
    from reuse.settings import dev

    options = dev.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5
    database = tmp_path / "demo.sqlite3"
    wrapper = type(connections["default"])(
        {**connection.settings_dict, "NAME": str(database), "OPTIONS": options}
    )
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        wrapper.close()


def test_twenty_households_racing_for_one_device_get_one_reservation_and_nineteen_clear_answers(
    file_database,  # noqa: F811
):
    ProgrammeFactory()
    device = DeviceFactory(listed=True)
    households = [eligible() for _ in range(RACERS)]
    file_database()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    outcomes = race(
        RACERS, lambda index: reservations.create_claim(actor=households[index], device_id=device.pk)
    )
    errors = [o for o in outcomes if isinstance(o, str) and o.startswith("error")]
    assert errors == []
    assert sum(isinstance(o, Claim) for o in outcomes) == 1
    assert sorted(o for o in outcomes if not isinstance(o, Claim)) == ["unavailable"] * (RACERS - 1)
    assert Claim.objects.filter(device=device, status=ClaimStatus.RESERVED).count() == 1
    assert Device.objects.get(pk=device.pk).state == DeviceState.RESERVED
