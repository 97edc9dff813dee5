"""The migration that makes serials unique whatever their case (inventory 0011): while check-in compared serials
exactly, a label scanned and then typed in small letters made the machine twice in its lot. Such a pair must stop
the migration with both rows named for staff, never a bare IntegrityError at deploy time."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from inventory.models import Device
from tests.factories.donations import LotFactory
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("inventory", "0010_device_photo_sha256")
AFTER = ("inventory", "0011_serials_unique_whatever_the_case")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_two_devices_of_a_lot_whose_serials_differ_by_case_stop_the_migration_naming_both():
    _migrate([BEFORE])
    try:
        lot = LotFactory()
        first = DeviceFactory(lot=lot, serial="C02XL0GHJGH5")
        second = DeviceFactory(lot=lot)
        Device.objects.filter(pk=second.pk).update(serial="c02xl0ghjgh5")  # as the old check-in stored it
        with pytest.raises(ValueError) as stopped:
            _migrate([AFTER])
        assert f"inventory.Device {first.pk} ('C02XL0GHJGH5') and {second.pk} ('c02xl0ghjgh5')" in str(
            stopped.value
        )
        assert f"lot {lot.pk}" in str(stopped.value)
        Device.objects.filter(pk=second.pk).delete()  # staff kept one
        _migrate([AFTER])
    finally:
        _migrate(_latest())
