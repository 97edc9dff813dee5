"""A probe's JSON whose fields have another shape than the tool writes (cut short, edited by hand, another tool's
output with the same keys) is refused in one line naming the tool, and writes nothing; never a server error. And
eReuse Workbench erasures count only when they ran to their end (devicehub-teal's test snapshots: an
EraseSectors with its "steps" and "endTime"; Workbench 11.0 names the actions "events")."""

import json

import pytest

from inventory.models import ErasureRecord, ErasureReport, StorageMediumRecord
from inventory.reports import uploads as reports
from inventory.reports.erasures import parse_erasure_report
from tests.inventory.bench_samples import sample

pytestmark = pytest.mark.django_db

WORKBENCH = json.loads(sample("ereuse_workbench_snapshot.json"))


def _workbench_with(**changes) -> dict:
    document = json.loads(json.dumps(WORKBENCH))
    drive = next(c for c in document["components"] if c["type"] == "HardDrive")
    erasure = next(a for a in drive["actions"] if a["type"] == "EraseSectors")
    for key, value in changes.items():
        if value is None:
            erasure.pop(key)
        else:
            erasure[key] = value
    return document


@pytest.mark.parametrize(
    "document, tool",
    [
        ({"type": "Snapshot", "device": "6FJ8KL2", "components": []}, "eReuse Workbench"),
        (
            {"type": "Snapshot", "device": {"serialNumber": "6FJ8KL2"}, "components": ["HardDrive"]},
            "eReuse Workbench",
        ),
        ({"serial_number": "S3Z1NB0K512345A", "smartctl": {}, "user_capacity": [500107862016]}, "smartctl"),
        ({"class": "system", "serial": "6FJ8KL2", "configuration": "Notebook"}, "lshw"),
        (
            {
                "class": "system",
                "serial": "6FJ8KL2",
                "children": [{"class": "disk", "serial": "D", "size": "1 TB"}],
            },
            "lshw",
        ),
        ({"type": "Snapshot", "data": {"lshw": '{"class": "sys'}}, "eReuse workbench-script"),
    ],
)
def test_a_probe_file_of_the_wrong_shape_is_refused_naming_the_tool(
    workshop, technician, fleet, document, tool
):
    [outcome] = reports.import_upload(
        workshop=workshop,
        actor=technician,
        filename="probe.json",
        data=json.dumps(document).encode(),
        level="clear",
    )

    assert not outcome.ok
    assert outcome.message.startswith(f"Fichier {tool} mal formé"), outcome.message
    assert not ErasureRecord.objects.exists() and not ErasureReport.objects.exists()
    assert not StorageMediumRecord.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [{"steps": []}, {"endTime": None}, {"severity": "Error"}],
    ids=["no_step", "no_end", "error"],
)
def test_a_workbench_erasure_that_did_not_run_to_its_end_is_never_an_erasure(changes):
    [entry] = parse_erasure_report(json.dumps(_workbench_with(**changes)).encode()).entries

    assert not entry.succeeded and not entry.ok


def test_workbench_11_0_erasures_named_events_are_read():
    document = _workbench_with()
    drive = next(c for c in document["components"] if c["type"] == "HardDrive")
    drive["events"] = drive.pop("actions")
    drive["size"] = "N/A"

    [entry] = parse_erasure_report(json.dumps(document).encode()).entries

    assert (entry.serial, entry.ok, entry.capacity_gb) == ("WD-WX11A80W7430", True, None)
