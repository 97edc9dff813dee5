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

import pytest

from inventory.models import ErasureRecord
from inventory.reports import uploads as reports
from tests.inventory.bench_samples import imported, nwipe_writer, sample

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
