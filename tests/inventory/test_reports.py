"""Workshops check devices in from what the bench produced: each sample of tests/data/bench/ imported end to end
(hardware snapshots, erasure reports), matched by serial. Batches, what the donor gets and the bad-file corpus
are in test_report_batches.py."""

import hashlib

import pytest

from inventory.models import Device, ErasureRecord, ErasureReport, StorageMediumRecord
from inventory.reports import uploads as reports
from inventory.reports.common import ReportError
from inventory.reports.nwipe import parse_nwipe_log
from tests.factories.inventory import DeviceFactory
from tests.inventory.bench_samples import imported, json_sample, nwipe_writer, sample, uploaded_json

pytestmark = pytest.mark.django_db


# --- snapshots ---------------------------------------------------------------------------------------------


def test_dmidecode_text_fills_the_specs_of_the_device_with_that_serial(workshop, technician, fleet):
    [outcome] = imported(workshop, technician, "dmidecode_thinkpad_t480.txt")

    assert outcome.ok and outcome.tags == (fleet["t480"].asset_tag,)
    device = Device.objects.get(pk=fleet["t480"].pk)
    assert (device.cpu, device.ram_gb) == ("Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz", 16)
    assert outcome.kind == "dmidecode"


def test_smartctl_json_on_the_device_page_lists_its_drives(workshop, technician, fleet):
    device = fleet["t480"]
    [outcome] = imported(workshop, technician, "smartctl_thinkpad_t480.json", device=device)

    assert outcome.ok, outcome.message
    medium = StorageMediumRecord.objects.get(device=device)
    assert (medium.serial, medium.make, medium.model, medium.kind, medium.capacity_gb) == (
        "S3Z1NB0K512345A",
        "Samsung",
        "Samsung SSD 860 EVO 500GB",
        "ssd",
        500,
    )
    device.refresh_from_db()
    assert (device.storage_gb, device.storage_type, device.media_count) == (500, "ssd", 1)


def test_lshw_json_gives_specs_and_the_nvme_drive(workshop, technician, fleet):
    [outcome] = imported(workshop, technician, "lshw_elitebook_840.json")

    assert outcome.ok, outcome.message
    device = Device.objects.get(pk=fleet["elitebook"].pk)
    assert (device.model, device.ram_gb, device.storage_gb, device.storage_type) == (
        "HP EliteBook 840 G5",
        16,
        256,
        "nvme",
    )
    assert device.media.get().serial == "S4ELNX0N123456"


def test_an_ereuse_workbench_snapshot_gives_screen_battery_and_drive(workshop, technician, fleet):
    outcomes = imported(workshop, technician, "ereuse_workbench_snapshot.json", level="clear")

    assert [o.ok for o in outcomes] == [True, True], [o.message for o in outcomes]
    device = Device.objects.get(pk=fleet["acer"].pk)
    assert (device.brand, device.screen_inches, device.battery_health, device.ram_gb, device.storage_gb) == (
        "Acer",
        10,
        70,
        1,
        160,
    )
    record = ErasureRecord.objects.get(device=device)
    assert (record.media_serial, record.media_make, record.passes, record.verified, record.method) == (
        "WD-WX11A80W7430",
        "Western Digital",
        2,
        True,
        "clear",
    )


def test_a_workbench_script_snapshot_reads_its_dmidecode_and_smartctl(workshop, technician, fleet):
    [outcome] = imported(workshop, technician, "workbench_script_snapshot.json")

    assert outcome.ok and outcome.kind == "eReuse workbench-script"
    device = Device.objects.get(pk=fleet["latitude"].pk)
    assert (device.ram_gb, device.storage_gb) == (8, 240)
    assert device.media.get().make == "Kingston"


def test_a_snapshot_of_another_machine_is_refused_on_a_device_page(workshop, technician, fleet):
    [outcome] = imported(workshop, technician, "dmidecode_thinkpad_t480.txt", device=fleet["elitebook"])

    assert not outcome.ok
    assert outcome.message.startswith("Ce relevé est celui de l’appareil PF1ABCDE, pas de ")
    assert Device.objects.get(pk=fleet["elitebook"].pk).cpu == ""


def test_a_snapshot_of_a_device_not_in_stock_is_refused(workshop, technician):
    [outcome] = imported(workshop, technician, "dmidecode_thinkpad_t480.txt")

    assert not outcome.ok
    assert "Aucun appareil de votre stock ne porte le numéro de série PF1ABCDE" in outcome.message


def test_another_workshops_device_is_never_matched(workshop, technician, other_workshop):
    DeviceFactory(workshop=other_workshop, serial="PF1ABCDE")
    [outcome] = imported(workshop, technician, "dmidecode_thinkpad_t480.txt")

    assert not outcome.ok and "Aucun appareil de votre stock" in outcome.message


# --- erasure reports ---------------------------------------------------------------------------------------


def test_an_nwipe_log_creates_one_record_per_drive_matched_by_the_host_serial(workshop, technician, fleet):
    [outcome] = imported(workshop, technician, "nwipe_optiplex_7060.log", level="clear")

    assert outcome.ok, outcome.message
    records = ErasureRecord.objects.filter(device=fleet["optiplex"]).order_by("media_serial")
    assert [
        (r.media_serial, r.media_make, r.media_model, r.passes, r.verified, r.tool, r.tool_version)
        for r in records
    ] == [
        ("WD-WCC6Y0ABCDEF", "Western Digital", "WDC WD10EZEX-08W", 4, True, "nwipe", "0.35"),
        ("ZA4ABCD1", "Seagate", "ST500DM009-2F110A", 4, True, "nwipe", "0.35"),
    ]
    report = ErasureReport.objects.get()
    assert report.sha256 == hashlib.sha256(sample("nwipe_optiplex_7060.log")).hexdigest()
    assert {r.report_id for r in records} == {report.pk}
    assert records[0].notes == "DoD Short"
    assert records[0].performed_at.strftime("%Y-%m-%d") == "2026-02-24"


def test_the_nist_level_is_asked_when_the_report_does_not_state_it(workshop, technician, fleet):
    # nwipe's overwrite is always Clear (test_erasure_proofs.py); a JSON report without « nist_level » whose method
    # names neither an overwrite nor the drive's own command says nothing (test_json_report_levels.py).
    document = json_sample("erasure_report.json")
    del document["media"][0]["nist_level"]
    document["media"][0]["method"] = "Profil atelier n° 2"
    imported(workshop, technician, "lshw_elitebook_840.json")
    [outcome] = uploaded_json(workshop, technician, document)

    assert not outcome.ok
    assert "n’indique pas le niveau NIST SP 800-88" in outcome.message
    assert not ErasureRecord.objects.exists() and not ErasureReport.objects.exists()


@pytest.mark.parametrize(
    "snapshot, name, options, device, kind, expected",
    [
        # A JSON report states its level, and names the drive only: the snapshot imported first tells whose it is.
        pytest.param(
            "lshw_elitebook_840.json",
            "erasure_report.json",
            {},
            "elitebook",
            "json",
            {
                "method": "purge",
                "tool": "HP Secure Erase",
                "media_type": "nvme",
                "passes": 1,
                "verified": True,
            },
            id="a_json_report_states_its_level_and_is_matched_by_the_medium_serial",
        ),
        pytest.param(
            None,
            "nwipe_certificate_t480.pdf",
            {"level": "clear"},
            "t480",
            "nwipe-pdf",
            {
                "media_serial": "S3Z1NB0K512345A",
                "media_model": "Samsung SSD 860 EVO 500GB",
                "media_type": "ssd",
                "passes": 2,
                "verified": True,
            },
            id="an_nwipe_pdf_certificate_is_read",
        ),
    ],
)
def test_an_erasure_report_is_read_into_the_record_of_its_device(
    workshop, technician, fleet, snapshot, name, options, device, kind, expected
):
    if snapshot:
        imported(workshop, technician, snapshot)
    [outcome] = imported(workshop, technician, name, **options)

    assert outcome.ok, outcome.message
    record = ErasureRecord.objects.get(device=fleet[device])
    assert {field: getattr(record, field) for field in expected} == expected
    assert record.report.kind == kind


def test_a_report_naming_a_drive_of_another_device_is_refused_on_a_device_page(workshop, technician, fleet):
    imported(workshop, technician, "smartctl_thinkpad_t480.json", device=fleet["t480"])
    [outcome] = imported(workshop, technician, "nwipe_optiplex_7060.log", device=fleet["t480"], level="clear")

    assert not outcome.ok
    assert "n’est pas un support connu de l’appareil" in outcome.message
    assert not ErasureRecord.objects.exists()


def test_the_same_report_imported_twice_adds_nothing(workshop, technician, fleet):
    imported(workshop, technician, "nwipe_optiplex_7060.log", level="clear")
    [again] = imported(workshop, technician, "nwipe_optiplex_7060.log", level="clear")

    assert not again.ok and again.message.startswith("Ce rapport a déjà été importé le ")
    assert ErasureRecord.objects.count() == 2


def test_a_file_that_is_neither_is_refused_naming_what_it_looks_like(workshop, technician):
    [outcome] = reports.import_upload(
        workshop=workshop, actor=technician, filename="photo.png", data=b"\x89PNG\r\n\x1a\n" + b"\0" * 40
    )

    assert not outcome.ok and outcome.message.startswith("Fichier non reconnu : il ressemble à une image.")


def test_the_nwipe_log_parser_reads_rounds_blanking_and_verification():
    text = sample("nwipe_optiplex_7060.log").decode()
    unverified = parse_nwipe_log(text.replace("1R+B+VL", "2R+NB+NV"))

    assert {entry.passes for entry in parse_nwipe_log(text).entries} == {4}
    assert {(entry.verified, entry.succeeded) for entry in unverified.entries} == {(False, True)}


# nwipe opens its --logfile in append mode (src/logging.c, fopen(logfile, "a")): a second run on the same bench
# writes a whole new session below the first, from its banner ("info: nwipe 0.35") to its own Drive Status table
# and "Total Throughput …, <method>, <rounds>R+<B|NB>+<NV|VL|VA>" line. /dev/sda of the second run is here a
# disk plugged in after the first run, wiped with no verification pass.
SECOND_SESSION = """[2026/02/25 08:02:11]    info: nwipe 0.35
[2026/02/25 08:02:11]    info: system-serial-number = H2B7Q03
[2026/02/25 08:02:12]  notice: Found /dev/sda, ATA, ST1000DM010-2EP1, 1 TB, S/N=Z9A1NEW2
[2026/02/25 08:02:12]    info: Automatically enumerated 1 devices.
[2026/02/25 08:03:00]  notice: Invoking method 'PRNG Stream' on /dev/sda
[2026/02/25 08:03:00]  notice: Starting pass 1/1, round 1/1, on /dev/sda
[2026/02/25 09:51:40]  notice: 1000204886016 bytes written to /dev/sda
[2026/02/25 09:51:40]  notice: Finished pass 1/1, round 1/1, on /dev/sda

******************************** Error Summary *********************************
!   Device | Pass Errors | Verifications Errors | Fdatasync I\\O Errors
--------------------------------------------------------------------------------
       sda |           0 |                    0 |                    0
********************************************************************************

********************************* Drive Status *********************************
!   Device | Status | Thru-put | HH:MM:SS | Model/Serial Number
--------------------------------------------------------------------------------
       sda | Erased |  153MB/s | 01:48:40 | ST1000DM010-2EP1/Z9A1NEW2
--------------------------------------------------------------------------------
[2026/02/25 09:51:40] Total Throughput 153MB/s, PRNG Stream, 1R+NB+NV
********************************************************************************
"""


def test_an_nwipe_log_with_two_runs_reads_each_run_with_its_own_verification():
    text = sample("nwipe_optiplex_7060.log").decode() + "\n" + SECOND_SESSION
    report = parse_nwipe_log(text)

    by_serial = {entry.serial: entry for entry in report.entries}
    # The first run's disks are kept (the second run's sda is another disk), each with its own run's method.
    assert set(by_serial) == {"ZA4ABCD1", "WD-WCC6Y0ABCDEF", "Z9A1NEW2"}
    assert (by_serial["ZA4ABCD1"].method, by_serial["ZA4ABCD1"].ok) == ("DoD Short", True)
    # Wiped without any verification pass ("NV"): never a valid erasure.
    assert (by_serial["Z9A1NEW2"].method, by_serial["Z9A1NEW2"].succeeded) == ("PRNG Stream", True)
    assert not by_serial["Z9A1NEW2"].ok
    assert report.host_serial == "H2B7Q03"


def test_a_disk_wiped_again_in_a_later_run_keeps_its_latest_result():
    first = sample("nwipe_optiplex_7060.log").decode()
    again = SECOND_SESSION.replace(
        "ST1000DM010-2EP1, 1 TB, S/N=Z9A1NEW2", "ST500DM009-2F110A, 500 GB, S/N=ZA4ABCD1"
    )
    again = again.replace("sda | Erased |", "sda |UABORTED|")

    by_serial = {entry.serial: entry for entry in parse_nwipe_log(first + again).entries}

    assert not by_serial["ZA4ABCD1"].succeeded and not by_serial["ZA4ABCD1"].ok
    assert by_serial["WD-WCC6Y0ABCDEF"].ok


def test_an_nwipe_log_covering_two_machines_is_refused_naming_them():
    text = sample("nwipe_optiplex_7060.log").decode() + SECOND_SESSION.replace("= H2B7Q03", "= 5CG8301XYZ")

    with pytest.raises(ReportError, match="plusieurs machines .*5CG8301XYZ, H2B7Q03"):
        parse_nwipe_log(text)


@pytest.mark.parametrize(
    "log, named, verified",
    [
        pytest.param(
            sample("nwipe_optiplex_7060.log").replace(b"sdb | Erased |", b"sdb |-FAILED-|"),
            "Sans vérification réussie : WD-WCC6Y0ABCDEF",
            {"ZA4ABCD1": True, "WD-WCC6Y0ABCDEF": False},
            id="a_failed_drive_is_recorded_as_failed_and_said_so",
        ),
        pytest.param(
            sample("nwipe_optiplex_7060.log") + b"\n" + SECOND_SESSION.encode(),
            "Z9A1NEW2",
            {"ZA4ABCD1": True, "WD-WCC6Y0ABCDEF": True, "Z9A1NEW2": False},
            id="an_appended_nwipe_log_records_the_unverified_disk_as_failed",
        ),
    ],
)
def test_a_drive_without_a_verified_erasure_is_recorded_as_failed_and_named(
    workshop, technician, fleet, log, named, verified
):
    outcomes = reports.import_upload(
        workshop=workshop, actor=technician, filename="nwipe.log", data=log, level="clear"
    )

    assert not outcomes[0].ok and named in outcomes[0].message
    assert dict(ErasureRecord.objects.values_list("media_serial", "verified")) == verified


def test_a_drive_whose_hidden_sectors_were_not_erased_is_not_verified():
    # nwipe 0.36+ "Erasure Summary" (src/logging.c): "!" and less than 100 % when the bytes erased are fewer
    # than the drive's real size (an HPA/DCO hidden area); the Drive Status still says "Erased".
    text = (
        sample("nwipe_optiplex_7060.log")
        .decode()
        .replace(
            "       sda |      500107862016 |     500107862016 |           100.00%",
            "!      sda |      500107862016 |     500107870208 |            99.99%",
        )
    )
    by_serial = {entry.serial: entry for entry in parse_nwipe_log(text).entries}

    assert by_serial["ZA4ABCD1"].succeeded and not by_serial["ZA4ABCD1"].ok
    assert by_serial["WD-WCC6Y0ABCDEF"].ok


def test_an_nwipe_certificate_warning_that_hidden_sectors_were_not_erased_is_not_verified():
    # nwipe's certificate (src/create_single_disc_pdf.c) keeps "Status: ERASED", adds "See Warning !" beside it
    # and, under "Information:", "Visible sectors erased as requested, however hidden sectors NOT erased".
    from inventory.reports.nwipe_pdf import parse_nwipe_pdf

    writer = nwipe_writer()
    found = [
        row if row[0] != "HPA/DCO:" else (*row[:3], "Hidden sectors found", row[4]) for row in writer.FIELDS
    ]

    def certificate(information):
        warned = [("See Warning !", 450, 290, "", 450), ("Information:", 60, 170, information, 200)]
        return writer.certificate(found + (warned if information else []))

    [clean] = parse_nwipe_pdf(certificate("")).entries
    [hidden] = parse_nwipe_pdf(
        certificate("Visible sectors erased as requested, however hidden sectors NOT erased")
    ).entries

    assert clean.ok
    assert hidden.succeeded and not hidden.ok
