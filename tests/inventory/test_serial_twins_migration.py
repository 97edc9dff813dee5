"""inventory 0011 makes a serial unique in its lot (and a drive's on its device) whatever the case. A database
that already holds « c02x » typed by hand beside the « C02X » a tool read in one lot would fail on the database's
bare IntegrityError: the migration stops first, writes nothing, and names both rows for staff to correct one."""

import pytest
from django.apps import apps
from django.db import connection

from inventory.models import Device
from reuse.serials import clean_stored_serials
from tests.factories.donations import LotFactory
from tests.factories.inventory import DeviceFactory
from tests.migrations import migrate_to, migrate_to_latest

BEFORE = ("inventory", "0010_device_photo_sha256")
AFTER = ("inventory", "0011_serials_unique_whatever_the_case")


@pytest.mark.django_db(transaction=True)
def test_two_serials_of_one_lot_set_apart_only_by_case_stop_the_migration_naming_both():
    typed = DeviceFactory(serial="C02X1234", lot=LotFactory())
    read = DeviceFactory(serial="C02X9999", lot=typed.lot, workshop=typed.workshop)
    migrate_to(BEFORE)
    try:
        with connection.cursor() as cursor:  # as a live database held it before the constraint
            cursor.execute("UPDATE inventory_device SET serial = %s WHERE id = %s", ["c02x1234", read.pk])
        with pytest.raises(
            ValueError,
            match=f"inventory.Device {typed.pk} and inventory.Device {read.pk} \\(lot {typed.lot_id}\\): "
            "their serials 'C02X1234' and 'c02x1234' are one serial",
        ):
            migrate_to(AFTER)
        with connection.cursor() as cursor:  # nothing written: staff correct one, and it migrates
            cursor.execute("UPDATE inventory_device SET serial = %s WHERE id = %s", ["C02X9999", read.pk])
        migrate_to(AFTER)
    finally:
        migrate_to_latest()


def _store_as_before(device, serial):
    with (
        connection.cursor() as cursor
    ):  # as a row written before its field made it serial_text: past the field
        cursor.execute("UPDATE inventory_device SET serial = %s WHERE id = %s", [serial, device.pk])


@pytest.mark.django_db
def test_serials_stored_before_the_field_are_cleaned_by_the_data_migration():
    device, unbranded = DeviceFactory(lot=LotFactory()), DeviceFactory(lot=LotFactory())
    _store_as_before(device, " C02X\u200b  1234 ")
    _store_as_before(unbranded, "To Be Filled By O.E.M.")
    clean_stored_serials(apps, "inventory", "Device", "lot")
    assert Device.objects.get(pk=device.pk).serial == "C02X 1234"
    assert Device.objects.get(pk=unbranded.pk).serial == ""


@pytest.mark.django_db
def test_two_serials_that_cleaning_would_make_one_stop_the_data_migration_writing_nothing():
    first = DeviceFactory(lot=LotFactory(), serial="C02X 1234")
    second = DeviceFactory(lot=first.lot, workshop=first.workshop, serial="C02X9")
    _store_as_before(second, "c02x  1234")
    with pytest.raises(
        ValueError, match=f"inventory.Device {first.pk} and inventory.Device {second.pk} \\(lot"
    ):
        clean_stored_serials(apps, "inventory", "Device", "lot")
    assert Device.objects.get(pk=second.pk).serial == "c02x  1234"
