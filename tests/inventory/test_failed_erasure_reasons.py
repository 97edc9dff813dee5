"""A report whose drives did not all erase: the erased ones are recorded, and the technician reads which drive
failed and why, in French, in the import's answer (never counted as done: the record is not verified).

The failing variants are written as each tool writes them:
- nwipe 0.35 (github.com/martijnvanbrummelen/nwipe, tag v0.35): src/method.c logs "[FAILURE] /dev/sdb Verification
  errors, not empty" and "3 verification errors on '/dev/sdb'."; src/logging.c's nwipe_log_summary flags the drive
  with "!" in its "Error Summary" row and writes "-FAILED-" (errors), "UABORTED" (the operator stopped the run,
  Ctrl-C or F10) or "INSANITY" in its "Drive Status" row.
- nwipe's certificate (src/create_pdf.c, 0.35 to 0.38): "Status: ABORTED", "Rounds(completed/requested): 0/1".
- Blancco Drive Eraser's report: an erasure whose « state » is not « Successful » (tests/data/bench sample).
"""

from datetime import timedelta

import pytest

from inventory.models import ErasureRecord, StorageMediumRecord
from inventory.reports import uploads as reports
from inventory.services.devices import price_and_list
from reuse.errors import IllegalTransition
from tests.factories.donations import LotFactory
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory
from tests.inventory.bench_samples import DONATED, declared_before_samples, imported, nwipe_writer, sample

pytestmark = pytest.mark.django_db

LOG = sample("nwipe_optiplex_7060.log").decode()


def _sdb_failed_verification(text: str) -> str:
    """The OptiPlex run, its second drive (sdb) finding data left at its verification, as nwipe 0.35 logs it."""
    return (
        text.replace(
            "[2026/02/24 15:11:03]  notice: [SUCCESS] Verified that /dev/sdb is empty.\n",
            "[2026/02/24 15:11:03]  notice: [FAILURE] /dev/sdb Verification errors, not empty\n",
        )
        .replace(
            "[2026/02/24 15:11:03]  notice: [SUCCESS] Blanked device /dev/sdb\n",
            "[2026/02/24 15:11:03]  notice: [SUCCESS] Blanked device /dev/sdb\n"
            "[2026/02/24 15:11:03]   error: 3 verification errors on '/dev/sdb'.\n",
        )
        .replace(
            "       sdb |           0 |                    0 |                    0\n",
            "!      sdb |           0 |                    3 |                    0\n",
        )
        .replace("       sdb | Erased |", "!      sdb |-FAILED-|")
    )


def _upload(workshop, technician, text: str, name="nwipe.log", **kwargs):
    [outcome] = reports.import_upload(
        workshop=workshop, actor=technician, filename=name, data=text.encode(), level="clear", **kwargs
    )
    return outcome


def test_an_nwipe_log_with_one_drive_failing_verification_records_both_and_says_why(
    workshop, technician, fleet
):
    outcome = _upload(workshop, technician, _sdb_failed_verification(LOG))

    records = {r.media_serial: r.verified for r in ErasureRecord.objects.filter(device=fleet["optiplex"])}
    assert records == {"ZA4ABCD1": True, "WD-WCC6Y0ABCDEF": False}
    assert not outcome.ok
    assert (
        "WD-WCC6Y0ABCDEF (nwipe le dit en échec (« -FAILED- »), 3 erreur(s) de vérification"
        in outcome.message
    ), outcome.message
    assert "ZA4ABCD1 (" not in outcome.message


def test_an_nwipe_run_the_operator_stopped_names_the_aborted_drive(workshop, technician, fleet):
    # Ctrl-C (or F10) during the run: nwipe still writes its tables, the unfinished drive "UABORTED".
    text = LOG.replace("       sdb | Erased |", "!      sdb |UABORTED|")

    outcome = _upload(workshop, technician, text)

    assert not ErasureRecord.objects.get(media_serial="WD-WCC6Y0ABCDEF").verified
    assert "WD-WCC6Y0ABCDEF (effacement interrompu par l’opérateur avant la fin" in outcome.message, (
        outcome.message
    )


def test_an_nwipe_run_without_verification_says_so(workshop, technician, fleet):
    outcome = _upload(workshop, technician, LOG.replace("1R+B+VL", "1R+B+NV"))

    assert "ZA4ABCD1 (aucune passe de vérification" in outcome.message, outcome.message


def test_an_aborted_certificate_says_why(workshop, technician, fleet):
    writer = nwipe_writer()
    values = {"Status:": "ABORTED", "Rounds(completed/requested):": "0/1", "*Bytes Erased:": "1234, (0.00%)"}
    rows = [(label, x, y, values.get(label, value), vx) for label, x, y, value, vx in writer.FIELDS]

    [outcome] = reports.import_upload(
        workshop=workshop, actor=technician, filename="c.pdf", data=writer.certificate(rows), level="clear"
    )

    assert not ErasureRecord.objects.get(media_serial="S3Z1NB0K512345A").verified
    assert "S3Z1NB0K512345A (effacement interrompu par l’opérateur avant la fin" in outcome.message, (
        outcome.message
    )


def test_a_blancco_report_names_the_failed_erasure_and_its_state(workshop, technician, fleet):
    [outcome] = imported(workshop, technician, "blancco_optiplex_7060.xml")

    assert "ZA4ABCD1 (Blancco Drive Eraser le dit « Failed »)" in outcome.message, outcome.message
    assert ErasureRecord.objects.get(media_serial="WD-WCC6Y0ABCDEF").verified


def _sdb_left_out(text: str) -> str:
    """The OptiPlex run with only sda ticked: nwipe still logs "Found /dev/sdb" at enumeration (src/device.c), but
    no method, pass nor table row for it (src/logging.c lists the selected drives only)."""
    kept = [
        line
        for line in text.splitlines(keepends=True)
        if ("sdb" not in line or "Found /dev/sdb" in line or "/dev/sdb, sector" in line)
    ]
    return "".join(kept).replace("Total Throughput 289MB/s", "Total Throughput 138MB/s")


def test_a_drive_nwipe_found_but_did_not_wipe_keeps_the_machine_offline(workshop, technician):
    lot = declared_before_samples(LotFactory(workshop=workshop, received=True))
    # Checked in as a one-drive tower: only the log says a second drive is inside.
    tower = DeviceFactory(
        workshop=workshop, lot=lot, serial="H2B7Q03", type="desktop", media_count=1, ready=True
    )

    outcome = _upload(workshop, technician, _sdb_left_out(LOG))

    assert ErasureRecord.objects.get(media_serial="ZA4ABCD1").verified
    assert not outcome.ok
    assert "sans l’effacer : WD-WCC6Y0ABCDEF, WDC WD10EZEX-08W" in outcome.message, outcome.message
    with pytest.raises(IllegalTransition, match="WD-WCC6Y0ABCDEF"):
        price_and_list(device=tower, actor=technician, price_cents=5000, grade="B")


def test_a_usb_stick_nwipe_found_is_not_a_drive_of_the_machine(workshop, technician, fleet):
    # The stick ShredOS booted from, or one plugged in to save the log, is "Found" on the USB bus.
    text = _sdb_left_out(LOG).replace(
        "Found /dev/sdb, ATA, WDC WD10EZEX-08W, 1 TB, S/N=WD-WCC6Y0ABCDEF",
        "Found /dev/sdb, USB, SanDisk Cruzer Blade, 16 GB, S/N=4C530001230510113485",
    )
    fleet["optiplex"].media_count = 1
    fleet["optiplex"].save()

    outcome = _upload(workshop, technician, text)

    assert outcome.ok, outcome.message


def test_a_bench_run_does_not_report_the_benchs_own_disk(workshop, technician, fleet):
    # A ShredOS bench wiping a loose drive of the T480 also "Found" its own system disk, which it did not wipe: the
    # bench is not in the stock, its disk is nobody's medium here.
    StorageMediumRecord.objects.create(device=fleet["t480"], serial="ZA4ABCD1")
    text = _sdb_left_out(LOG).replace("system-serial-number = H2B7Q03", "system-serial-number = BENCH0001")

    outcome = _upload(workshop, technician, text)

    assert outcome.ok, outcome.message
    assert not StorageMediumRecord.objects.filter(serial="WD-WCC6Y0ABCDEF").exists()


def test_a_drive_left_out_because_it_was_erased_before_is_not_reported(workshop, technician):
    # The tower's second drive was wiped in an earlier run (recorded, verified); today's run, on the first drive
    # only, still "Found" it: nothing is left to erase.
    lot = declared_before_samples(LotFactory(workshop=workshop, received=True))
    tower = DeviceFactory(
        workshop=workshop, lot=lot, serial="H2B7Q03", type="desktop", media_count=2, ready=True
    )
    StorageMediumRecord.objects.create(device=tower, serial="WD-WCC6Y0ABCDEF")
    ErasureRecordFactory(
        device=tower,
        media_serial="WD-WCC6Y0ABCDEF",
        method="clear",
        performed_at=DONATED + timedelta(days=30),
    )

    outcome = _upload(workshop, technician, _sdb_left_out(LOG))

    assert outcome.ok, outcome.message
