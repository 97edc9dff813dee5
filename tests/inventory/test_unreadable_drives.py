"""A report naming a drive whose serial the tool could not read is not refused whole.

nwipe writes « Unknown » as the serial of a drive it could not identify (a drive behind a USB bridge, some NVMe
drives) in its system report and its one-disk certificate (src/create_system_multi_disc_pdf.c,
src/create_single_disc_pdf.c), and an empty « S/N= » in its log (src/device.c, src/logging.c); Blancco, eReuse
Workbench and a JSON report may leave a drive's serial out as well. The drives that can be matched are recorded;
the others are named (their place in the report, model and size) with what the technician does next.
"""

import copy
import json

import pytest
from django.utils import translation

from inventory.models import ErasureRecord, ErasureReport, StorageMediumRecord
from inventory.reports import uploads as reports
from tests.inventory.bench_samples import nwipe_writer, sample

pytestmark = pytest.mark.django_db

writer = nwipe_writer()

# A bench run over three loose drives; the second sat in a USB dock nwipe could not read the serial through.
RUN = [
    {"serial": "S3Z1NB0K512345A"},
    {"serial": "Unknown", "model": "WDC WD5000LPLX-00ZNTT0", "size": "500GB,500107862016b"},
    {"serial": "S4ELNX0N654321", "model": "Samsung SSD 970 EVO Plus 1TB", "size": "1TB,1000204886016b"},
]


def _import(workshop, technician, data, name):
    return reports.import_upload(workshop=workshop, actor=technician, filename=name, data=data, level="clear")


def _recorded():
    return {record.media_serial: record.device for record in ErasureRecord.objects.all()}


def test_a_system_report_records_the_drives_it_can_match_and_names_the_unknown_one(
    workshop, technician, fleet
):
    StorageMediumRecord.objects.create(device=fleet["t480"], serial="S3Z1NB0K512345A")
    StorageMediumRecord.objects.create(device=fleet["acer"], serial="S4ELNX0N654321")

    [outcome] = _import(workshop, technician, writer.system_report(RUN), "nwipe_system_report.pdf")

    assert _recorded() == {"S3Z1NB0K512345A": fleet["t480"], "S4ELNX0N654321": fleet["acer"]}
    assert ErasureReport.objects.count() == 1
    # Not a plain success: one drive of the run still has to be recorded.
    assert not outcome.ok
    assert set(outcome.tags) == {fleet["t480"].asset_tag, fleet["acer"].asset_tag}
    assert "2 effacement(s) enregistré(s)" in outcome.message
    assert "support n° 2 (WDC WD5000LPLX-00ZNTT0, 500 Go)" in outcome.message
    assert "numéro de série" in outcome.message
    assert "« Enregistrer un effacement »" in outcome.message


def test_the_drive_set_aside_is_named_in_english_too(workshop, technician, fleet):
    StorageMediumRecord.objects.create(device=fleet["t480"], serial="S3Z1NB0K512345A")
    StorageMediumRecord.objects.create(device=fleet["acer"], serial="S4ELNX0N654321")

    with translation.override("en"):
        [outcome] = _import(workshop, technician, writer.system_report(RUN), "nwipe_system_report.pdf")

    assert "medium no. 2 (WDC WD5000LPLX-00ZNTT0, 500 GB)" in outcome.message, outcome.message
    assert "could not read its serial number" in outcome.message
    assert "« Record an erasure »" in outcome.message


def test_a_system_report_block_without_a_status_is_set_aside_not_the_whole_run(workshop, technician, fleet):
    StorageMediumRecord.objects.create(device=fleet["t480"], serial="S3Z1NB0K512345A")
    StorageMediumRecord.objects.create(device=fleet["elitebook"], serial="WD-WCC4N0123456")
    run = [{"serial": "S3Z1NB0K512345A"}, {"serial": "WD-WCC4N0123456", "status": ""}]

    [outcome] = _import(workshop, technician, writer.system_report(run), "nwipe_system_report.pdf")

    assert _recorded() == {"S3Z1NB0K512345A": fleet["t480"]}
    assert "support n° 2" in outcome.message and "état d’effacement" in outcome.message


def test_a_certificate_of_one_unknown_drive_is_refused_naming_it(workshop, technician, fleet):
    fields = [
        (label, x, y, "Unknown" if label == "Serial:" else value, value_x)
        for label, x, y, value, value_x in writer.FIELDS
    ]
    data = writer.certificate(fields)

    [outcome] = _import(workshop, technician, data, "nwipe_certificate.pdf")

    assert not outcome.ok
    assert "support n° 1 (Samsung SSD 860 EVO 500GB, 500 Go)" in outcome.message, outcome.message
    assert not ErasureRecord.objects.exists()
    assert not ErasureReport.objects.exists()


def test_an_nwipe_log_records_the_drive_with_a_serial_and_names_the_other(workshop, technician, fleet):
    # nwipe logs « S/N= » with nothing after it, and « model/ » in its Drive Status table.
    log = (
        sample("nwipe_optiplex_7060.log")
        .replace(b"S/N=WD-WCC6Y0ABCDEF", b"S/N=")
        .replace(b"WDC WD10EZEX-08W/WD-WCC6Y0ABCDEF", b"WDC WD10EZEX-08W/")
        .replace(b"has serial number WD-WCC6Y0ABCDEF", b"has serial number ")
    )

    [outcome] = _import(workshop, technician, log, "nwipe.log")

    assert _recorded() == {"ZA4ABCD1": fleet["optiplex"]}
    assert "(WDC WD10EZEX-08W, 1000 Go) : l’outil n’a pas pu lire son numéro de série" in outcome.message


def test_a_blancco_erasure_without_a_serial_is_named_not_dropped(workshop, technician, fleet):
    xml = sample("blancco_optiplex_7060.xml").replace(
        b'<entry name="serial" type="string">ZA4ABCD1</entry>', b'<entry name="serial" type="string"></entry>'
    )

    [outcome] = _import(workshop, technician, xml, "blancco.xml")

    assert _recorded() == {"WD-WCC6Y0ABCDEF": fleet["optiplex"]}
    assert not outcome.ok
    assert "support n° 2 (ST500DM009-2F110A, 500 Go)" in outcome.message, outcome.message


def test_a_json_report_item_without_serial_or_result_is_named_the_rest_recorded(workshop, technician, fleet):
    document = json.loads(sample("erasure_report.json"))
    good = document["media"][0]
    no_serial = {**copy.deepcopy(good), "serial": "", "model": "KBG40ZNS256G NVMe KIOXIA 256GB"}
    no_result = {**copy.deepcopy(good), "serial": "S4ELNX0N999999"}
    del no_result["result"]
    document["media"] = [good, no_serial, no_result]

    [outcome] = _import(workshop, technician, json.dumps(document).encode(), "erasures.json")

    assert _recorded() == {"S4ELNX0N123456": fleet["elitebook"]}
    assert "support n° 2 (KBG40ZNS256G NVMe KIOXIA 256GB, 256 Go)" in outcome.message, outcome.message
    assert "support n° 3" in outcome.message and "result" in outcome.message


def test_a_workbench_drive_without_a_serial_is_named_not_dropped(workshop, technician, fleet):
    document = json.loads(sample("ereuse_workbench_snapshot.json"))
    drive = next(c for c in document["components"] if c.get("serialNumber") == "WD-WX11A80W7430")
    twin = {**copy.deepcopy(drive), "serialNumber": None, "model": "ST320LT007-9ZV14"}
    document["components"].append(twin)

    outcomes = _import(workshop, technician, json.dumps(document).encode(), "snapshot.json")

    [erasure] = [outcome for outcome in outcomes if "effacement" in outcome.message]
    assert "WD-WX11A80W7430" in _recorded()
    assert "(ST320LT007-9ZV14" in erasure.message, erasure.message
