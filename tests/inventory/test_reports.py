"""Workshops check devices in from what the bench produced: each sample of tests/data/bench/ imported end to end
(hardware snapshots, erasure reports), matched by serial, the original report kept and shown to the donor."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from donations import certificates
from inventory.models import Device, ErasureRecord, ErasureReport, StorageMediumRecord
from inventory.reports import services as reports
from inventory.reports.erasures import parse_nwipe_log
from reuse.errors import DomainError
from tests.factories.accounts import member_of
from tests.factories.donations import LotFactory, donor_with_member
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db
BENCH = Path(__file__).resolve().parents[1] / "data" / "bench"


def sample(name: str) -> bytes:
    return (BENCH / name).read_bytes()


@pytest.fixture
def fleet(workshop):
    """The devices the samples describe, checked in from one donor's lot."""
    lot = LotFactory(workshop=workshop, received=True)

    def make(serial, **kw):
        return DeviceFactory(workshop=workshop, lot=lot, serial=serial, cpu="", ram_gb=None, **kw)

    return {
        "lot": lot,
        "t480": make("PF1ABCDE", brand="Lenovo", model="ThinkPad T480"),
        "optiplex": make("H2B7Q03", brand="Dell", model="OptiPlex 7060", type="desktop", media_count=2),
        "elitebook": make("5CG8301XYZ", brand="HP", model="", type="laptop"),
        "acer": make("LUSEA0D010038879A01601", brand="", model=""),
        "latitude": make("6FJ8KL2", brand="Dell", model="Latitude 5490"),
    }


def imported(workshop, technician, name, **kwargs):
    return reports.import_upload(
        workshop=workshop, actor=technician, filename=name, data=sample(name), **kwargs
    )


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
    [outcome] = imported(workshop, technician, "nwipe_optiplex_7060.log")

    assert not outcome.ok
    assert "n’indique pas le niveau NIST SP 800-88" in outcome.message
    assert not ErasureRecord.objects.exists() and not ErasureReport.objects.exists()


def test_a_json_report_states_its_level_and_is_matched_by_the_medium_serial(workshop, technician, fleet):
    imported(workshop, technician, "lshw_elitebook_840.json")
    [outcome] = imported(workshop, technician, "erasure_report.json")

    assert outcome.ok, outcome.message
    record = ErasureRecord.objects.get(device=fleet["elitebook"])
    assert (record.method, record.tool, record.media_type, record.passes, record.verified) == (
        "purge",
        "HP Secure Erase",
        "nvme",
        1,
        True,
    )


def test_an_nwipe_pdf_certificate_is_read(workshop, technician, fleet):
    [outcome] = imported(workshop, technician, "nwipe_certificate_t480.pdf", level="clear")

    assert outcome.ok, outcome.message
    record = ErasureRecord.objects.get(device=fleet["t480"])
    assert (record.media_serial, record.media_model, record.media_type, record.passes, record.verified) == (
        "S3Z1NB0K512345A",
        "Samsung SSD 860 EVO 500GB",
        "ssd",
        2,
        True,
    )
    assert record.report.kind == "nwipe-pdf"


def test_a_failed_drive_is_recorded_as_failed_and_said_so(workshop, technician, fleet):
    log = sample("nwipe_optiplex_7060.log").replace(b"sdb | Erased |", b"sdb |-FAILED-|")
    outcomes = reports.import_upload(
        workshop=workshop, actor=technician, filename="n.log", data=log, level="clear"
    )

    assert not outcomes[0].ok and "Sans vérification réussie : WD-WCC6Y0ABCDEF" in outcomes[0].message
    assert dict(ErasureRecord.objects.values_list("media_serial", "verified")) == {
        "ZA4ABCD1": True,
        "WD-WCC6Y0ABCDEF": False,
    }


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


# --- a batch ------------------------------------------------------------------------------------------------


def batch(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_of_reports_for_a_batch_gives_one_result_per_file(workshop, technician, fleet):
    content = batch(
        {
            "PF1ABCDE/dmidecode.txt": sample("dmidecode_thinkpad_t480.txt"),
            # A drive's smartctl output has no machine serial: its folder says whose it is.
            "PF1ABCDE/smartctl.json": sample("smartctl_thinkpad_t480.json"),
            "PF1ABCDE/nwipe.pdf": sample("nwipe_certificate_t480.pdf"),
            "elitebook/lshw.json": sample("lshw_elitebook_840.json"),
            "elitebook/erasure.json": sample("erasure_report.json"),
            "optiplex.log": sample("nwipe_optiplex_7060.log"),
            "notes.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 40,
            "__MACOSX/._optiplex.log": b"\0\5\x16\7",
        }
    )
    outcomes = reports.import_upload(
        workshop=workshop, actor=technician, filename="lot.zip", data=content, level="clear"
    )
    results = {o.filename: (o.ok, o.tags) for o in outcomes}

    assert results == {
        "dmidecode.txt": (True, (fleet["t480"].asset_tag,)),
        "smartctl.json": (True, (fleet["t480"].asset_tag,)),
        "lshw.json": (True, (fleet["elitebook"].asset_tag,)),
        "notes.png": (False, ()),
        "erasure.json": (True, (fleet["elitebook"].asset_tag,)),
        "nwipe.pdf": (True, (fleet["t480"].asset_tag,)),
        "optiplex.log": (True, (fleet["optiplex"].asset_tag,)),
    }
    assert ErasureRecord.objects.count() == 4
    assert ErasureReport.objects.count() == 3


def test_the_reports_page_shows_the_result_table(client, workshop, technician, fleet):
    client.force_login(technician)
    content = batch(
        {"a.log": sample("nwipe_optiplex_7060.log"), "b.txt": b"hello world, this is not a report at all"}
    )
    response = client.post(
        "/atelier/rapports/", {"file": SimpleUploadedFile("bench.zip", content), "level": "clear"}
    )
    page = client.get(response.url).content.decode()

    assert response.status_code == 302
    assert "1 fichier(s) importé(s) sans réserve sur 2." in page
    assert 'data-ok="yes"' in page and 'data-ok="no"' in page
    assert f'href="/atelier/appareils/{fleet["optiplex"].asset_tag}/"' in page


def test_a_zip_bomb_is_refused(workshop, technician):
    content = batch({"big.log": b"\0" * (30 * 1024 * 1024)})
    with pytest.raises(DomainError) as excinfo:
        reports.import_upload(workshop=workshop, actor=technician, filename="bomb.zip", data=content)
    assert "anormalement volumineuse" in excinfo.value.message


# --- what the donor gets ----------------------------------------------------------------------------------


def test_the_donors_certificate_prints_the_report_hash_and_the_donor_downloads_the_report(
    client, workshop, technician, fleet
):
    imported(workshop, technician, "nwipe_optiplex_7060.log", level="clear")
    lot = fleet["lot"]
    donor_user = member_of(lot.donor)
    report = ErasureReport.objects.get()

    certificate = certificates.issue_certificate(lot=lot, user=donor_user)
    assert certificate.content["reports"] == [
        {
            "sha256": report.sha256,
            "filename": "nwipe_optiplex_7060.log",
            "tool": "nwipe 0.35",
            "media": ["WD-WCC6Y0ABCDEF", "ZA4ABCD1"],
        }
    ]
    assert {m["report_sha256"] for m in certificate.content["media"]} == {report.sha256}
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(certificates.render_pdf(certificate))).pages
    )
    assert report.sha256 in text.replace("\n", "")
    assert "Western Digital" in text and "WDC WD10EZEX-08W" in text

    client.force_login(donor_user)
    page = client.get(f"/dons/lots/{lot.pk}/").content.decode()
    assert f'href="/dons/lots/{lot.pk}/rapports/{report.pk}/"' in page and report.sha256 in page
    download = client.get(f"/dons/lots/{lot.pk}/rapports/{report.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == sample("nwipe_optiplex_7060.log")
    assert "attachment" in download["Content-Disposition"]


def test_nobody_else_downloads_the_report(client, workshop, technician, fleet, other_workshop):
    imported(workshop, technician, "nwipe_optiplex_7060.log", level="clear")
    report = ErasureReport.objects.get()
    lot = fleet["lot"]
    other_lot = LotFactory()
    _donor, stranger = donor_with_member()
    client.force_login(stranger)

    assert client.get(f"/dons/lots/{lot.pk}/rapports/{report.pk}/").status_code == 404
    client.force_login(other_lot.created_by)
    assert client.get(f"/dons/lots/{other_lot.pk}/rapports/{report.pk}/").status_code == 404
    client.force_login(member_of(other_workshop))
    assert client.get(f"/atelier/rapports/{report.pk}/fichier/").status_code == 404
    client.force_login(technician)
    assert client.get(f"/atelier/rapports/{report.pk}/fichier/").status_code == 200


def test_the_report_file_is_kept_in_private_storage(settings, workshop, technician, fleet):
    imported(workshop, technician, "nwipe_optiplex_7060.log", level="clear")
    report = ErasureReport.objects.get()

    assert Path(report.file.path).is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))


# --- the medium's make and model, by hand and by the API ------------------------------------------------


def test_the_erasure_form_and_the_api_take_the_mediums_make_and_model(client, workshop, technician):
    device = DeviceFactory(workshop=workshop)
    client.force_login(technician)
    client.post(
        f"/atelier/appareils/{device.asset_tag}/effacement/",
        {
            "media_serial": "S1",
            "media_type": "ssd",
            "media_make": "Crucial",
            "media_model": "MX500",
            "method": "purge",
            "tool": "hdparm",
            "tool_version": "9.65",
            "verified": "on",
        },
    )
    response = client.post(
        f"/api/v1/devices/{device.pk}/erasure",
        {
            "method": "clear",
            "tool": "nwipe",
            "tool_version": "0.35",
            "media_serial": "S2",
            "verified": True,
            "media_make": "Seagate",
            "media_model": "ST500DM009",
            "passes": 3,
        },
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert (response.json()["media_make"], response.json()["passes"]) == ("Seagate", 3)
    assert list(ErasureRecord.objects.order_by("media_serial").values_list("media_make", "media_model")) == [
        ("Crucial", "MX500"),
        ("Seagate", "ST500DM009"),
    ]


def test_the_api_imports_a_report_for_a_device(client, workshop, technician, fleet):
    client.force_login(technician)
    response = client.post(
        f"/api/v1/devices/{fleet['optiplex'].pk}/reports",
        {"file": SimpleUploadedFile("n.log", sample("nwipe_optiplex_7060.log")), "level": "clear"},
    )

    assert response.status_code == 200, response.content
    assert response.json()[0]["ok"] and response.json()[0]["tags"] == [fleet["optiplex"].asset_tag]
    assert ErasureRecord.objects.count() == 2


@pytest.mark.parametrize("path", sorted((BENCH.parent / "bad").iterdir()), ids=lambda path: path.name)
def test_the_bad_file_corpus_is_refused_file_by_file_and_writes_nothing(workshop, technician, fleet, path):
    try:
        outcomes = reports.import_upload(
            workshop=workshop, actor=technician, filename=path.name, data=path.read_bytes(), level="clear"
        )
    except DomainError as exc:
        messages = [exc.message]
    else:
        assert not any(outcome.ok for outcome in outcomes)
        messages = [outcome.message for outcome in outcomes]
    assert all(len(message) < 400 for message in messages), messages
    assert not ErasureRecord.objects.exists() and not ErasureReport.objects.exists()
    assert not StorageMediumRecord.objects.exists()


def test_a_report_for_a_device_that_left_the_stock_writes_nothing_and_keeps_no_file(
    settings, workshop, technician, fleet
):
    Device.objects.filter(pk=fleet["optiplex"].pk).update(state="recycled")
    [outcome] = reports.import_upload(
        workshop=workshop,
        actor=technician,
        filename="n.log",
        data=sample("nwipe_optiplex_7060.log"),
        device=Device.objects.get(pk=fleet["optiplex"].pk),
        level="clear",
    )

    assert not outcome.ok and "« Recyclé » : il ne reçoit plus d’effacement" in outcome.message
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    assert not ErasureReport.objects.exists() and not ErasureRecord.objects.exists()
    assert not private.exists() or not any(path.is_file() for path in private.rglob("*"))
