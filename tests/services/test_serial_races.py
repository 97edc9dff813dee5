"""PostgreSQL, real threads: one drive, one machine, when two benches send at the same moment. Each request read
that no other device had the drive (or the serial), found none, and wrote it: the drive ended on two devices, or
one machine, scanned « c02x… » on one bench and read « C02X… » on the other, was checked in twice."""

import pytest

from inventory.models import Device, StorageMediumRecord
from inventory.services.intake import check_in
from tests import fixtures
from tests.factories.inventory import DeviceFactory
from tests.services.test_claims_concurrency import _race
from tests.services.test_stock_concurrency import two_snapshots_at_once

pytestmark = pytest.mark.django_db(transaction=True)

workshop = fixtures.workshop
technician = fixtures.technician


def test_one_drive_in_the_snapshots_of_two_devices_at_once_is_attached_to_one(workshop, technician):
    # smartctl's JSON of the T480's drive imported from the pages of two devices whose media are not known yet.
    first, second = (DeviceFactory(workshop=workshop, serial="", cpu="", ram_gb=None) for _ in range(2))
    results = two_snapshots_at_once(workshop, technician, first, second)

    assert list(StorageMediumRecord.objects.values_list("device", flat=True)) == [first.pk]
    assert [o[0]["ok"] for o in results.values()] == [True, False], results
    assert "déjà ceux d’un autre appareil" in str(results["second"][0]["message"])


def test_one_serial_scanned_and_typed_in_small_letters_at_once_checks_one_device_in(workshop, technician):
    outcomes = _race(
        [
            lambda serial=serial: check_in(workshop=workshop, actor=technician, type="laptop", serial=serial)
            for serial in ("C02X1234JG5H", "c02x1234jg5h ", " C02X1234JG5H")
        ]
    )

    assert not any(isinstance(o, str) for o in outcomes), outcomes
    assert sorted(o.created for o in outcomes) == [False, False, True]
    assert Device.objects.filter(workshop=workshop).count() == 1
