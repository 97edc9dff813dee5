"""What Windows does to the bench's files, and the probes' versions.

- PowerShell 5's « > » and Out-File write UTF-16 LE with a byte order mark and CRLF line ends (Microsoft's
  documentation of about_Redirection and Out-File, « -Encoding Unicode » being the default).
- Windows' « Compressed folder » writes names in the OEM code page (850 for French) without the ZIP's UTF-8 flag
  (bit 11, APPNOTE.TXT appendix D), which Python reads as code page 437.
- smartctl --json: smartmontools 7.0 to 7.2 name a SCSI drive's maker and product "vendor" and "product" (and
  write "model_name"), 7.3 and 7.4 "scsi_vendor", "scsi_product" and "scsi_model_name" (scsiprint.cpp); an NVMe
  drive without a total capacity (tnvmcap 0) has only its namespace's "user_capacity" (nvmeprint.cpp).
- lshw -json: older releases write the system node as an object, newer ones a list around it (both samples of
  tests/data/bench/ are real layouts: lshw_latitude_usb_boot.json an object, lshw_elitebook_840.json a list).
"""

import io
import json
import zipfile

import pytest

from inventory.models import ErasureRecord, ErasureReport, StorageMediumRecord
from inventory.reports import uploads as reports
from inventory.reports.snapshots import parse_snapshot
from tests.inventory.bench_samples import sample

pytestmark = pytest.mark.django_db


def powershell(data: bytes) -> bytes:
    """A file as PowerShell 5 saves a command's output: UTF-16 LE, byte order mark, CRLF."""
    return b"\xff\xfe" + data.decode().replace("\n", "\r\n").encode("utf-16-le")


@pytest.mark.parametrize(
    "name, options, device, expected",
    [
        ("smartctl_thinkpad_t480.json", {}, "t480", ("S3Z1NB0K512345A", None)),
        ("nwipe_optiplex_7060.log", {"level": "clear"}, "optiplex", ("ZA4ABCD1", True)),
    ],
)
def test_a_file_saved_by_powershell_in_utf16_is_read(
    workshop, technician, fleet, name, options, device, expected
):
    [outcome] = reports.import_upload(
        workshop=workshop,
        actor=technician,
        filename=name,
        data=powershell(sample(name)),
        device=fleet[device],
        **options,
    )

    assert outcome.ok, outcome.message
    serial, verified = expected
    assert StorageMediumRecord.objects.filter(device=fleet[device], serial=serial).exists()
    if verified is not None:
        assert ErasureRecord.objects.get(device=fleet[device], media_serial=serial).verified is verified


def test_a_zip_made_by_windows_keeps_its_french_names(workshop, technician, fleet):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("A_verifier/PF1ABCDE.txt", sample("dmidecode_thinkpad_t480.txt"))
    # Windows writes "À vérifier" in code page 850, without the UTF-8 flag: same length as the ASCII placeholder.
    assert len("À vérifier".encode("cp850")) == len(b"A_verifier")
    data = buffer.getvalue().replace(b"A_verifier", "À vérifier".encode("cp850"))

    [outcome] = reports.import_upload(workshop=workshop, actor=technician, filename="lot.zip", data=data)

    assert outcome.ok and outcome.filename == "PF1ABCDE.txt", outcome.message
    assert reports.member_name(zipfile.ZipFile(io.BytesIO(data)).infolist()[0]) == "À vérifier/PF1ABCDE.txt"


def _scsi_drive(version: str) -> dict:
    drive = {
        "json_format_version": [1, 0],
        "smartctl": {"version": [int(part) for part in version.split(".")], "exit_status": 0},
        "device": {"name": "/dev/sda", "info_name": "/dev/sda", "type": "scsi", "protocol": "SCSI"},
        "serial_number": "S0K2ABCD0000E1234ABC",
        "user_capacity": {"blocks": 1172123568, "bytes": 600127266816},
        "logical_block_size": 512,
        "rotation_rate": 10000,
        "smart_status": {"passed": True},
    }
    if version < "7.3":
        drive |= {"vendor": "SEAGATE", "product": "ST600MM0006", "model_name": "SEAGATE ST600MM0006"}
    else:
        drive |= {
            "scsi_vendor": "SEAGATE",
            "scsi_product": "ST600MM0006",
            "scsi_model_name": "SEAGATE ST600MM0006",
        }
    return drive


@pytest.mark.parametrize("version", ["7.0", "7.2", "7.3", "7.4"])
def test_smartctl_json_of_each_release_gives_the_same_drive(version):
    snapshot = parse_snapshot(json.dumps(_scsi_drive(version)).encode())

    [medium] = snapshot.media
    assert (medium.serial, medium.make, medium.capacity_gb, medium.kind, medium.smart_passed) == (
        "S0K2ABCD0000E1234ABC",
        "SEAGATE",
        600,
        "hdd",
        True,
    )


def test_smartctl_json_of_an_nvme_drive_without_total_capacity_reads_its_namespace():
    drive = json.loads(sample("smartctl_elitebook_nvme.json"))
    drive.pop("nvme_total_capacity", None)
    drive["user_capacity"] = {"blocks": 500118192, "bytes": 256060514304}

    [medium] = parse_snapshot(json.dumps(drive).encode()).media

    assert (medium.kind, medium.capacity_gb) == ("nvme", 256)


@pytest.mark.parametrize("wrap", [lambda node: node, lambda node: [node]], ids=["object", "list"])
def test_lshw_json_reads_alike_whether_its_root_is_an_object_or_a_list(wrap):
    tree = json.loads(sample("lshw_elitebook_840.json"))
    root = tree[0] if isinstance(tree, list) else tree

    snapshot = parse_snapshot(json.dumps(wrap(root), indent=1).encode())

    assert (snapshot.serial, snapshot.ram_gb, [m.serial for m in snapshot.media]) == (
        "5CG8301XYZ",
        16,
        ["S4ELNX0N123456"],
    )


def test_a_zip_whose_folders_are_written_with_backslashes_keeps_them(workshop, technician, fleet):
    # Windows PowerShell 5.1's Compress-Archive (on .NET Framework before 4.6.1) writes « PF1ABCDE\smartctl.json »:
    # the folder names the device of a drive's smartctl output, which has no machine serial of its own.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("lot 12\\PF1ABCDE\\smartctl.json", sample("smartctl_thinkpad_t480.json"))

    [outcome] = reports.import_upload(
        workshop=workshop, actor=technician, filename="lot.zip", data=buffer.getvalue()
    )

    assert outcome.ok and outcome.filename == "smartctl.json", outcome.message
    assert outcome.tags == (fleet["t480"].asset_tag,)


def test_a_zip_members_name_is_shown_and_kept_as_it_reads(workshop, technician, fleet):
    # A right-to-left override shows « rapport[U+202E]gol.fdp » as « rapportpdf.log » on the donor's lot page; a control
    # character has no place in a name either.
    name = "rapport\u202egol.fdp\x07" + "x" * 400 + ".log"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, sample("nwipe_optiplex_7060.log"))

    [outcome] = reports.import_upload(
        workshop=workshop, actor=technician, filename="lot.zip", data=buffer.getvalue(), level="clear"
    )

    assert outcome.ok, outcome.message
    report = ErasureReport.objects.get()
    for shown in (outcome.filename, report.filename):
        assert shown.isprintable() and shown.startswith("rapportgol.fdpxxx") and shown.endswith(".log")
        assert len(shown) <= 255
