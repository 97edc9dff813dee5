"""Hardware snapshots as the probes write them on real benches: the machine booted from a USB stick or a live
DVD, and the older eReuse Workbench releases. Each fixture of tests/data/bench/ follows the tool's own output
(lshw's JSON writer, src/core/hw.cc; eReuse Workbench 11.0a snapshots as devicehub's test files keep them)."""

import json

import pytest

from inventory.models import Device, StorageMediumRecord
from inventory.reports.snapshots import parse_snapshot
from tests.inventory.bench_samples import imported, sample, uploaded_json

pytestmark = pytest.mark.django_db


def test_lshw_leaves_out_the_usb_stick_the_bench_booted_from_and_the_dvd_drive(workshop, technician, fleet):
    # lshw hangs a USB stick under its USB node: the disk itself has a SCSI bus address (scsi@2:0.0.0), only
    # its parent says usb@1:1. The stick is the bench's, not a medium of the laptop to erase.
    [outcome] = imported(workshop, technician, "lshw_latitude_usb_boot.json")

    assert outcome.ok, outcome.message
    device = Device.objects.get(pk=fleet["latitude"].pk)
    assert [
        (medium.serial, medium.capacity_gb, medium.kind)
        for medium in StorageMediumRecord.objects.filter(device=device)
    ] == [("Y8RBT2JKT", 1000, "hdd")]
    assert (device.ram_gb, device.storage_gb, device.storage_type, device.media_count) == (8, 1000, "hdd", 1)
    assert device.cpu == "Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz"


def test_workbench_11_alpha_drive_sizes_in_mebibytes_give_the_capacity_on_the_label():
    # Workbench 11.0a wrote a 320 GB drive as 305245 (MiB), where 11.0b9 writes "160042.0 MB" for 160 GB.
    snapshot = parse_snapshot(sample("ereuse_workbench_11a_snapshot.json"))

    assert [(medium.serial, medium.capacity_gb) for medium in snapshot.media] == [
        ("S34RJ9CF812345", 320),
        ("OCZ-Z497M0BE7524G5Y3", 120),
    ]
    assert (snapshot.ram_gb, snapshot.storage_gb) == (8, 440)


def test_a_workbench_data_storage_of_unknown_kind_is_not_called_a_hard_drive():
    # "DataStorage" is Workbench's word for a drive it could not classify (an OCZ Vertex 3 is an SSD).
    snapshot = parse_snapshot(sample("ereuse_workbench_11a_snapshot.json"))

    assert [medium.kind for medium in snapshot.media] == ["hdd", ""]


def test_workbench_decimal_megabytes_still_give_the_label():
    snapshot = parse_snapshot(sample("ereuse_workbench_snapshot.json"))

    assert [medium.capacity_gb for medium in snapshot.media] == [160]


def test_a_drive_announcing_its_own_failure_is_shown_on_the_device_page(client, workshop, technician, fleet):
    # smartctl --json writes the drive's overall verdict as {"smart_status": {"passed": false}} (smartmontools'
    # JSON output, "SMART overall-health self-assessment test result: FAILED!" in text); a later probe of a
    # healthy drive (or the same one passing again) says so.
    device = fleet["t480"]
    failing = json.loads(sample("smartctl_thinkpad_t480.json"))
    failing["smart_status"] = {"passed": False}
    [outcome] = imported_bytes(workshop, technician, json.dumps(failing).encode(), device=device)
    assert outcome.ok, outcome.message
    assert StorageMediumRecord.objects.get(device=device).smart_passed is False

    client.force_login(technician)
    page = client.get(f"/atelier/appareils/{device.asset_tag}/").content.decode()
    assert "SMART : panne annoncée" in page and "S3Z1NB0K512345A annonce lui-même une panne" in page

    imported(workshop, technician, "smartctl_thinkpad_t480.json", device=device)
    assert StorageMediumRecord.objects.get(device=device).smart_passed is True
    assert "panne annoncée" not in client.get(f"/atelier/appareils/{device.asset_tag}/").content.decode()


def imported_bytes(workshop, technician, data, **kwargs):
    from inventory.reports import uploads

    return uploads.import_upload(
        workshop=workshop, actor=technician, filename="smartctl.json", data=data, **kwargs
    )


def test_smartctl_behind_an_unknown_usb_bridge_says_to_name_the_bridge_type(workshop, technician, fleet):
    # A drive in a USB dock or caddy whose bridge smartctl does not know: `smartctl -x --json /dev/sdb` reads
    # nothing of the drive and writes why in "messages" (smartmontools: lib/scsiata.cpp « Unknown USB bridge
    # [0x152d:0x0578 (0x209)] », src/smartctl.cpp's jerr, severity "error"). Asking for the command the technician
    # just ran helps nobody: the bridge needs its type named (`-d sat`, smartmontools' FAQ on USB devices).
    document = {
        "json_format_version": [1, 0],
        "smartctl": {
            "version": [7, 4],
            "argv": ["smartctl", "-x", "--json", "/dev/sdb"],
            "messages": [
                {"string": "/dev/sdb: Unknown USB bridge [0x152d:0x0578 (0x209)]", "severity": "error"}
            ],
            "exit_status": 1,
        },
        "local_time": {"time_t": 1771927200, "asctime": "Tue Feb 24 10:00:00 2026 CET"},
    }

    [outcome] = uploaded_json(workshop, technician, document, device=fleet["t480"])

    assert not outcome.ok
    assert "smartctl -d sat -x --json" in outcome.message, outcome.message
