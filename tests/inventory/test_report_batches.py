"""Bench reports beyond one file: a batch in a zip, the original report kept and shown to the donor, the
medium's make and model by hand and by the API, and the corpus of bad files, each refused writing nothing."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from inventory.donor_reports import certificates
from inventory.models import Device, ErasureRecord, ErasureReport, StorageMediumRecord
from inventory.reports import uploads as reports
from reuse.errors import DomainError
from tests.factories.accounts import member_of
from tests.factories.donations import LotFactory, donor_with_member
from tests.factories.inventory import DeviceFactory
from tests.inventory.bench_samples import BENCH, imported, sample

pytestmark = pytest.mark.django_db


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
