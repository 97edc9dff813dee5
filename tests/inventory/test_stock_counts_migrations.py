"""SQLite alters a column by copying its table, and the copy has no trigger: a migration changing a field of
Device there (its class, a constraint) stopped the stock counts, and the stock list said 0 devices."""

import pytest
from django.core.management import call_command
from django.db import connection

from inventory import counts
from inventory.enums import DeviceState
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db(transaction=True)

# The latest migration that alters Device's columns (free text stored visible): SQLite copies the table for it.
BEFORE_A_COPY = "0011"


def _device_triggers():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'inventory_device'"
        )
        return cursor.fetchone()[0]


def test_a_migration_that_copies_the_device_table_leaves_the_counts_kept(workshop):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL alters a table in place and keeps its triggers")
    DeviceFactory(workshop=workshop)
    call_command("migrate", "inventory", BEFORE_A_COPY, verbosity=0)
    call_command("migrate", "inventory", verbosity=0)
    DeviceFactory(workshop=workshop)

    assert _device_triggers() == 3
    assert counts.state_counts([workshop.pk]) == counts.fresh_counts([workshop.pk])
    assert dict(counts.state_counts([workshop.pk]))[DeviceState.RECEIVED] == 2
