"""inventory 0011 makes a serial unique in its lot (and a drive's on its device) whatever the case. A database
that already holds « c02x » typed by hand beside the « C02X » a tool read in one lot would fail on the database's
bare IntegrityError: the migration stops first, writes nothing, and names both rows for staff to correct one."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories.donations import LotFactory
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("inventory", "0010_device_photo_sha256")
AFTER = ("inventory", "0011_serials_unique_whatever_the_case")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def test_two_serials_of_one_lot_set_apart_only_by_case_stop_the_migration_naming_both():
    typed = DeviceFactory(serial="C02X1234", lot=LotFactory())
    read = DeviceFactory(serial="C02X9999", lot=typed.lot, workshop=typed.workshop)
    _migrate(BEFORE)
    try:
        with connection.cursor() as cursor:  # as a live database held it before the constraint
            cursor.execute("UPDATE inventory_device SET serial = %s WHERE id = %s", ["c02x1234", read.pk])
        with pytest.raises(
            ValueError,
            match=f"inventory.Device {typed.pk} and inventory.Device {read.pk} \\(lot {typed.lot_id}\\): "
            "their serials 'C02X1234' and 'c02x1234' are one serial",
        ):
            _migrate(AFTER)
        with connection.cursor() as cursor:  # nothing written: staff correct one, and it migrates
            cursor.execute("UPDATE inventory_device SET serial = %s WHERE id = %s", ["C02X9999", read.pk])
        _migrate(AFTER)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
