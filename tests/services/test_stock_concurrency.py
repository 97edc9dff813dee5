"""PostgreSQL: a workshop's files sent twice at the same moment (a double click, two benches uploading the same
folder): the same erasure report is kept once, the same snapshot records each medium once, the same stock
spreadsheet creates each device once; the second request gets a clear answer, never a server error."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings

from donations.enums import LotStatus
from inventory.models import Device, ErasureRecord, ErasureReport, StorageMediumRecord
from inventory.reports import uploads as reports
from inventory.reports.apply import apply_erasure_report
from inventory.reports.entries import Entry, Report
from inventory.services.intake import check_in
from inventory.stock_import import import_stock_csv
from tests import fixtures
from tests.factories.donations import LotFactory, LotItemFactory
from tests.factories.inventory import DeviceFactory
from tests.factories.manifests import workbook_bytes
from tests.inventory.bench_samples import sample
from tests.services.test_claims_concurrency import _race
from tests.services.test_claims_expiry_race import _HoldFirstLock, _run_together

pytestmark = pytest.mark.django_db(transaction=True)

workshop = fixtures.workshop
technician = fixtures.technician


def _upload(workshop, technician, name, **kwargs):
    data = sample(name)
    return lambda: [
        outcome.as_dict()
        for outcome in reports.import_upload(
            workshop=workshop, actor=technician, filename=name, data=data, **kwargs
        )
    ]


def _stored_copies(name: str) -> int:
    prefix = hashlib.sha256(sample(name)).hexdigest()[:16]
    return len(list((Path(settings.PRIVATE_MEDIA_ROOT) / "erasure-reports").rglob(f"{prefix}-*")))


def test_one_erasure_report_sent_twice_at_once_is_kept_once(workshop, technician):
    device = DeviceFactory(workshop=workshop, serial="H2B7Q03", type="desktop", media_count=2)
    copies = _stored_copies("nwipe_optiplex_7060.log")
    outcomes = _race([_upload(workshop, technician, "nwipe_optiplex_7060.log", level="clear")] * 2)

    assert not any(isinstance(o, str) for o in outcomes), outcomes
    results = sorted((o[0]["ok"], str(o[0]["message"])) for o in outcomes)
    assert [ok for ok, _message in results] == [False, True]
    assert results[0][1].startswith("Ce rapport a déjà été importé le ")
    assert ErasureReport.objects.count() == 1
    assert ErasureRecord.objects.filter(device=device).count() == 2
    assert _stored_copies("nwipe_optiplex_7060.log") == copies + 1  # the refused request's copy is removed


class _HoldAfterFirstMedium(_HoldFirstLock):
    """The first snapshot writes its medium, then keeps its transaction open until the second one waits."""

    def holds_after(self, sql: str) -> bool:
        return sql.startswith('INSERT INTO "inventory_storagemediumrecord"')


def two_snapshots_at_once(workshop, technician, first, second):
    """smartctl's JSON of the T480's drive imported from the pages of `first` and `second` at once, the second
    reaching the lock while the first holds its medium written; returns each one's outcome."""
    hold = _HoldAfterFirstMedium()
    results, errors = _run_together(
        {
            "first": hold.first(_upload(workshop, technician, "smartctl_thinkpad_t480.json", device=first)),
            "second": hold.then(_upload(workshop, technician, "smartctl_thinkpad_t480.json", device=second)),
        }
    )
    assert not errors, errors
    assert hold.peer_waited, "the second snapshot never waited on the first one"
    return results


def test_one_snapshot_sent_twice_at_once_records_each_medium_once(workshop, technician):
    device = DeviceFactory(workshop=workshop, serial="PF1ABCDE", cpu="", ram_gb=None)
    results = two_snapshots_at_once(workshop, technician, device, device)

    assert [o[0]["ok"] for o in results.values()] == [True, True], results
    assert list(StorageMediumRecord.objects.filter(device=device).values_list("serial", flat=True)) == [
        "S3Z1NB0K512345A"
    ]
    device.refresh_from_db()
    assert device.media_count == 1


def test_one_stock_spreadsheet_imported_twice_at_once_creates_each_device_once(workshop, technician):
    rows = [["Numéro de série", "Type", "Marque"]] + [[f"DOUBLE-{n}", "laptop", "Dell"] for n in range(30)]
    content = workbook_bytes(rows)
    outcomes = _race(
        [lambda: import_stock_csv(workshop=workshop, actor=technician, data=content) for _ in range(2)]
    )

    assert not any(isinstance(o, str) for o in outcomes), outcomes
    assert sorted((o["created"], o["updated"]) for o in outcomes) == [(0, 30), (30, 0)]
    assert Device.objects.filter(workshop=workshop, serial__startswith="DOUBLE-").count() == 30


def test_one_label_scanned_twice_at_once_checks_the_device_in_once(workshop, technician):
    """A scanner that reads a label twice, or two technicians scanning the same device: one device, and the
    second scan gets it back as already received."""
    lot = LotFactory(assigned=True, workshop=workshop, status=LotStatus.COLLECTED)
    LotItemFactory(described=True, lot=lot, serial="SCAN-1", type="laptop")
    outcomes = _race(
        [lambda: check_in(workshop=workshop, actor=technician, lot=lot, serial="SCAN-1") for _ in range(3)]
    )

    assert not any(isinstance(o, str) for o in outcomes), outcomes
    assert sorted(o.created for o in outcomes) == [False, False, True]
    assert len({o.device.pk for o in outcomes}) == 1
    assert Device.objects.filter(serial="SCAN-1").count() == 1


def test_one_walk_in_serial_typed_twice_at_once_checks_the_device_in_once(workshop, technician):
    outcomes = _race(
        [
            lambda: check_in(workshop=workshop, actor=technician, type="laptop", serial="DIRECT-1")
            for _ in range(3)
        ]
    )

    assert not any(isinstance(o, str) for o in outcomes), outcomes
    assert sorted(o.created for o in outcomes) == [False, False, True]
    assert Device.objects.filter(serial="DIRECT-1").count() == 1


class _HoldFirstDevice(_HoldFirstLock):
    """The first report runs until it holds a device, and keeps it until the other report waits on it."""

    TABLES = ('"inventory_device"',)


def test_two_reports_naming_two_devices_in_opposite_orders_wait_for_each_other_without_deadlock(
    workshop, technician
):
    """One station's report lists the drives of A then B, another's those of B then A: each locked its first
    device and waited for the other's, a deadlock PostgreSQL ended by killing one request (a server error)."""
    first, second = (DeviceFactory(workshop=workshop) for _ in range(2))
    for device, serial in ((first, "DISK-A"), (second, "DISK-B")):
        StorageMediumRecord.objects.create(device=device, serial=serial)

    def report(serials, name):
        entries = [Entry(serial=s, succeeded=True, verified=True, level="purge") for s in serials]
        data = name.encode()
        return lambda: apply_erasure_report(
            workshop=workshop,
            actor=technician,
            report=Report(kind="nwipe", tool="nwipe", tool_version="0.37", entries=entries),
            data=data,
            filename=f"{name}.log",
        )

    hold = _HoldFirstDevice()
    results, errors = _run_together(
        {
            "A then B": hold.first(report(["DISK-A", "DISK-B"], "station-1")),
            "B then A": hold.then(report(["DISK-B", "DISK-A"], "station-2")),
        }
    )

    assert not errors, errors
    assert hold.peer_waited, "the second report never waited on the first one"
    assert ErasureRecord.objects.filter(device__in=[first, second]).count() == 4


class _HoldAfterFirstErasure(_HoldFirstLock):
    """The first report writes its erasure, then keeps its transaction open until the second one waits."""

    def holds_after(self, sql: str) -> bool:
        return sql.startswith('INSERT INTO "inventory_erasurerecord"')


def test_one_drive_imported_on_two_devices_at_once_is_recorded_on_one(workshop, technician):
    """Two technicians import the same drive's certificate at the same moment, each from the page of a device
    whose media are not known yet: each checked that no other device had the drive, found none, and recorded
    it, so the drive was erased on both devices and the donor's certificate named it twice."""
    first, second = (DeviceFactory(workshop=workshop, serial="") for _ in range(2))

    def report(device, name):
        entry = Entry(serial="DISK-SHARED", succeeded=True, verified=True, level="purge")
        return lambda: apply_erasure_report(
            workshop=workshop,
            actor=technician,
            report=Report(kind="nwipe", tool="nwipe", tool_version="0.37", entries=[entry]),
            data=name.encode(),
            filename=f"{name}.log",
            device=device,
        )

    hold = _HoldAfterFirstErasure()
    results, errors = _run_together(
        {"first": hold.first(report(first, "bench-1")), "second": hold.then(report(second, "bench-2"))}
    )

    assert list(ErasureRecord.objects.values_list("device", flat=True)) == [first.pk]
    assert list(results) == ["first"], (results, errors)
    assert [error.code for error in errors.values()] == ["medium_elsewhere"], errors
    assert errors["second"].message.startswith(
        f"Le support DISK-SHARED est déjà celui de l’appareil {first.asset_tag} de votre stock"
    )
    assert hold.peer_waited, "the second report never waited on the first one"
    assert ErasureReport.objects.count() == 1
    assert not StorageMediumRecord.objects.filter(device=second).exists()
