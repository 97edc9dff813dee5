"""nwipe from 0.30 to 0.37 as ShredOS benches run it: each version's log lines and the PDF certificate (0.35+).

The samples follow nwipe's own sources (github.com/martijnvanbrummelen/nwipe, tags v0.30 to v0.37): src/logging.c
writes the closing table ("! Device | Status | …", titled "Drive Status" from 0.32, with an "Error Summary" table
above it from 0.32), src/device.c the "Found /dev/…, <bus>, <model>, <size>, S/N=…" line, src/method.c the
"[FAILURE] …" and "N verification errors on '/dev/…'." lines, src/create_pdf.c the certificate. nwipe writes no
locale-dependent number: it never calls setlocale, and its PDF library forces the POSIX locale.
"""

import io

import pytest
from pypdf import PdfReader, PdfWriter

from inventory.models import ErasureRecord
from inventory.reports.nwipe import parse_nwipe_log
from inventory.reports.nwipe_pdf import parse_nwipe_pdf
from tests.inventory.bench_samples import imported, nwipe_writer, sample

V030 = sample("nwipe_0.30_elitebook_840.log").decode()
# The same run, its verification passing: nwipe 0.30 logs "[SUCCESS] Verified that /dev/nvme0n1 is empty.".
V030_CLEAN = V030.replace(
    "[2021/03/15 14:12:30]   error: [FAILURE] /dev/nvme0n1 IS NOT empty.\n"
    "[2021/03/15 14:12:30]   error: 12 verification errors on '/dev/nvme0n1'.\n",
    "[2021/03/15 14:12:30]  notice: [SUCCESS] Verified that /dev/nvme0n1 is empty.\n",
)


@pytest.mark.django_db
def test_nwipe_030_verification_errors_are_not_an_erasure_though_the_table_says_erased(
    workshop, technician, fleet
):
    # nwipe 0.30 and 0.31 fail a drive in the closing table only for wipe errors: one whose verification found
    # data left still reads " Erased ". Its own "[FAILURE]" and "verification errors" lines say otherwise.
    [outcome] = imported(workshop, technician, "nwipe_0.30_elitebook_840.log", level="clear")

    assert not outcome.ok and "Sans vérification réussie : S4ELNX0N123456" in outcome.message, outcome.message
    record = ErasureRecord.objects.get(device=fleet["elitebook"])
    assert (record.verified, record.tool_version, record.notes) == (False, "0.30", "Fill With Zeros")


def test_nwipe_030_reads_the_drive_its_table_cuts_to_six_characters():
    # 0.30 writes the last 6 characters of the device name in its table ("vme0n1" for nvme0n1) and the model cut
    # to 17: the drive is the one its "Found" line names, with its whole model.
    [entry] = parse_nwipe_log(V030_CLEAN).entries

    assert (entry.serial, entry.model, entry.kind, entry.capacity_gb) == (
        "S4ELNX0N123456",
        "SAMSUNG MZVLB256HBHQ-000H1",
        "nvme",
        256,
    )
    assert entry.ok


def test_two_nwipe_031_runs_in_one_log_are_each_read_with_their_own_verification():
    # Before 0.32 the closing table has no "Drive Status" title; a log appended by a second run must still be read
    # run by run: the second run wiped its disk without any verification pass ("NV").
    second = (
        V030_CLEAN.replace("nwipe 0.30", "nwipe 0.31")
        .replace("S4ELNX0N123456", "S4ELNX0N999999")
        .replace("1R+NB+VL", "1R+NB+NV")
        .replace("2021/03/15", "2021/03/16")
    )
    by_serial = {entry.serial: entry for entry in parse_nwipe_log(V030_CLEAN + second).entries}

    assert by_serial["S4ELNX0N123456"].ok
    assert by_serial["S4ELNX0N999999"].succeeded and not by_serial["S4ELNX0N999999"].ok


@pytest.mark.parametrize(
    "status",
    ["-FAILED-", "UABORTED", "INSANITY"],
)
def test_a_drive_the_table_does_not_say_erased_is_never_an_erasure(status):
    # src/logging.c: "-FAILED-" (errors), "UABORTED" (the operator stopped the run), "INSANITY" (a bug); the
    # certificate says FAILED, ABORTED or INSANITY.
    text = sample("nwipe_optiplex_7060.log").decode().replace("sdb | Erased |", f"sdb |{status}|")

    by_serial = {entry.serial: entry for entry in parse_nwipe_log(text).entries}

    assert not by_serial["WD-WCC6Y0ABCDEF"].succeeded and not by_serial["WD-WCC6Y0ABCDEF"].ok
    assert by_serial["ZA4ABCD1"].ok


def test_a_verify_only_run_erased_nothing():
    # "Verify Zeros (0x00)" and "Verify Ones (0xFF)" only read the drive (src/method.c): the table says "Erased"
    # when the drive was already blank, but nwipe wrote nothing.
    text = V030_CLEAN.replace("Fill With Zeros", "Verify Zeros (0x00)")

    [entry] = parse_nwipe_log(text).entries

    assert not entry.succeeded and not entry.ok


# --- the PDF certificate ---------------------------------------------------------------------------------------


def _certificate(**values) -> bytes:
    writer = nwipe_writer()
    rows = [(label, x, y, values.get(label, value), vx) for label, x, y, value, vx in writer.FIELDS]
    return writer.certificate(rows)


def test_the_certificate_reads_verify_last_as_nwipe_writes_it():
    # src/create_pdf.c writes "Verify Last", "Verify All" or "Verify None" beside "Verify Pass(Last/All/None):".
    [last] = parse_nwipe_pdf(_certificate()).entries
    [none] = parse_nwipe_pdf(_certificate(**{"Verify Pass(Last/All/None):": "Verify None"})).entries

    assert last.ok
    assert none.succeeded and not none.ok


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(
            {"*Bytes Erased:": "500107853824, (99.99%)"}, id="fewer_bytes_erased_than_the_drive_holds"
        ),
        pytest.param({"Status:": "ABORTED", "Rounds(completed/requested):": "0/1"}, id="aborted"),
        pytest.param({"Status:": "FAILED", "Errors(pass/sync/verify):": "0/0/12"}, id="failed"),
        pytest.param(
            {"Method:": "Verify Zeros (0x00)", "*Bytes Erased:": "Not applicable to method"}, id="verify"
        ),
    ],
)
def test_a_certificate_of_an_incomplete_erasure_is_never_an_erasure(values):
    [entry] = parse_nwipe_pdf(_certificate(**values)).entries

    assert not entry.ok


def test_certificates_printed_into_one_pdf_are_each_read():
    # nwipe writes one PDF per disk; a bench that prints them into one file keeps one "Erasure Status" page each.
    merged = PdfWriter()
    for serial in ("S3Z1NB0K512345A", "S3Z1NB0K599999B"):
        merged.append(PdfReader(io.BytesIO(_certificate(**{"Serial:": serial}))))
    buffer = io.BytesIO()
    merged.write(buffer)

    report = parse_nwipe_pdf(buffer.getvalue())

    assert [(entry.serial, entry.ok) for entry in report.entries] == [
        ("S3Z1NB0K512345A", True),
        ("S3Z1NB0K599999B", True),
    ]
    assert report.host_serial == "PF1ABCDE"


@pytest.mark.django_db
def test_a_log_of_nwipe_before_030_is_refused_saying_why_not_that_the_wipe_is_unfinished(
    workshop, technician, fleet
):
    # nwipe 0.28 and earlier (0.30 was tagged in December 2020; old ShredOS sticks still run them) prefix each
    # line with "nwipe: " (src/logging.c), never log their version, and write no closing table: "Nwipe
    # successfully exited." is all they say of a finished run (src/nwipe.c). Nothing ties a result to a version:
    # refused, saying so.
    [outcome] = imported(workshop, technician, "nwipe_0.28_latitude_5490.log", level="clear")

    assert not outcome.ok
    assert "antérieur à la version 0.30" in outcome.message, outcome.message
    assert "pas terminé" not in outcome.message
    assert not ErasureRecord.objects.exists()
