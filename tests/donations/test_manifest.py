"""Manifest import: formats, per-row errors, all-or-nothing, re-import by serial, bad files, limits."""

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from donations import manifest, services
from donations.models import ImportJob, LotItem
from reuse.csvfiles import neutralise
from tests.donations.export_helpers import job_of
from tests.factories.donations import LotFactory
from tests.factories.manifests import csv_bytes, french_rows, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_a_french_cp1252_semicolon_csv_imports_every_row(donor_client, upload):
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes(french_rows(3))))

    assert job.state == "done" and job.progress == 100
    items = list(LotItem.objects.filter(lot=donor_client.lot).order_by("row_number"))
    assert [item.serial for item in items] == ["PF10000001", "PF10000002", "PF10000003"]
    first = items[0]
    assert (first.type, first.brand, first.ram_gb, first.storage_gb, first.year) == (
        "laptop",
        "Lenovo",
        8,
        256,
        2019,
    )
    assert first.condition == "Écran rayé, fonctionne"
    assert first.row_number == 2
    body = donor_client.get(f"/api/v1/jobs/{job.pk}").json()
    assert body["state"] == "done" and body["progress"] == 100 and body["errors"] == []
    assert {"created", "updated"} <= body.keys()


def test_utf8_with_bom_comma_and_english_headers(donor_client, upload):
    header = [
        "Type",
        "Brand",
        "Model",
        "Serial",
        "Asset tag",
        "Year",
        "CPU",
        "RAM",
        "Storage",
        "Condition",
        "Quantity",
    ]
    rows = [
        [
            "Smartphone",
            "Apple",
            "iPhone 11",
            "F2LXK0AAA1",
            "A-1",
            "2020",
            "A13",
            "4",
            "64 GB",
            "Bon état",
            "1",
        ]
    ]
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes(rows, header, ",", "utf-8", bom=True)))

    assert job.state == "done"
    item = LotItem.objects.get(lot=donor_client.lot)
    assert (item.type, item.serial, item.storage_gb, item.condition) == (
        "smartphone",
        "F2LXK0AAA1",
        64,
        "Bon état",
    )


def test_excel_unicode_text_utf16_tab_separated_imports(donor_client, upload):
    # Excel's « Enregistrer sous > Texte Unicode »: UTF-16LE with its BOM, tab separated.
    content = csv_bytes(french_rows(2), delimiter="\t", encoding="utf-16")
    assert content.startswith(b"\xff\xfe")
    job = job_of(upload(donor_client, donor_client.lot, content, "manifeste.txt"))

    assert job.state == "done", job.message_text
    item = LotItem.objects.get(serial="PF10000001")
    assert (item.type, item.brand, item.condition) == ("laptop", "Lenovo", "Écran rayé, fonctionne")


def test_xlsx_imports(donor_client, upload):
    rows = french_rows(2)
    # Serials stored as numbers by spreadsheets come back without ".0" (not 123456789: some boards' BIOS writes
    # that one when the maker set none, and it is read as no serial, reuse/serials.py).
    rows[0][3] = 173587654
    job = job_of(upload(donor_client, donor_client.lot, xlsx_bytes(rows), "manifeste.xlsx"))

    assert job.state == "done", job.message_text
    assert set(LotItem.objects.values_list("serial", flat=True)) == {"173587654", "PF10000002"}


def test_one_bad_row_imports_nothing_and_reports_row_field_and_french_message(donor_client, upload):
    rows = french_rows(4)
    rows[1][0] = "Grille-pain"
    rows[2][5] = "vers 2015"
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes(rows)))

    assert job.state == "failed"
    assert LotItem.objects.count() == 0
    assert job.error_rows == [
        {
            "row": 3,
            "field": "type d’appareil",
            "message": "Type « Grille-pain » inconnu : indiquez ordinateur portable, ordinateur fixe, tablette, "
            "smartphone, écran ou autre.",
        },
        {"row": 4, "field": "année", "message": "Année « vers 2015 » invalide (ex. 2019)."},
    ]
    assert job.valid_rows == 2 and job.may_import_valid_rows
    page = donor_client.get(f"/dons/imports/{job.pk}/")
    assert "Importer les 2 lignes valides" in page.content.decode()


def test_the_donor_may_then_import_the_valid_rows_only(
    donor_client, django_capture_on_commit_callbacks, upload
):
    rows = french_rows(3)
    # Neither a type nor a model to infer one from.
    rows[1][0] = rows[1][2] = ""
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes(rows)))
    with django_capture_on_commit_callbacks(execute=True):
        response = donor_client.post(f"/dons/imports/{job.pk}/lignes-valides/")
    second = ImportJob.objects.exclude(pk=job.pk).get()

    assert response.url == f"/dons/imports/{second.pk}/"
    assert second.state == "done" and second.created_rows == 2
    assert sorted(LotItem.objects.values_list("row_number", flat=True)) == [2, 4]
    assert second.error_rows[0]["row"] == 3


def test_reimporting_a_corrected_file_updates_by_serial(donor_client, upload):
    upload(donor_client, donor_client.lot, csv_bytes(french_rows(3)))
    rows = french_rows(4)
    rows[0][7] = "16 Go"
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes(rows)))

    assert (job.created_rows, job.updated_rows) == (1, 3)
    assert LotItem.objects.count() == 4
    assert LotItem.objects.get(serial="PF10000001").ram_gb == 16


def test_reimporting_from_another_tool_matches_serials_whatever_their_case(donor_client, upload):
    # The first file was typed by hand; the second is the asset tool's export, which writes serials in
    # lower case: the same devices, updated, never a second copy.
    upload(donor_client, donor_client.lot, csv_bytes(french_rows(2)))
    rows = french_rows(2)
    for row in rows:
        row[3] = row[3].lower()
        row[7] = "16 Go"
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes(rows)))

    assert (job.state, job.created_rows, job.updated_rows) == ("done", 0, 2)
    assert sorted(LotItem.objects.values_list("serial", "ram_gb")) == [("PF10000001", 16), ("PF10000002", 16)]


def test_duplicate_serials_in_one_file_are_reported(donor_client, upload):
    rows = french_rows(3)
    rows[2][3] = rows[0][3]
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes(rows)))

    assert job.state == "failed" and LotItem.objects.count() == 0
    assert job.error_rows[0]["row"] == 4
    assert "en double (déjà ligne 2)" in job.error_rows[0]["message"]


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "vide.csv", None),
        (csv_bytes([]), "entetes.csv", "Le fichier ne contient que des en-têtes : aucune ligne d’appareil."),
        (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 not a manifest",
            "manifeste.pdf",
            "Type de fichier non pris en charge",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "ancien.xls",
            "Excel ancien format (.xls) est illisible",
        ),
        (xlsx_bytes(french_rows(50))[:1500], "tronque.xlsx", "incomplet ou endommagé"),
        (_zip_bomb(), "bombe.xlsx", "anormalement compressé"),
        (
            csv_bytes(french_rows(1), encoding="utf-8")
            + "Tablette;Apple;iPad;X1;;;;;;état usé;1\r\n".encode("cp1252"),
            "mixte.csv",
            "mélange plusieurs encodages",
        ),
    ],
)
def test_bad_files_get_a_clear_message_and_write_nothing(donor_client, upload, content, name, message):
    response = upload(donor_client, donor_client.lot, content, name)

    if not content:
        assert response.status_code == 422
        assert response.json()["detail"] == "Le fichier est vide."
        return
    job = job_of(response)
    assert job.state == "failed"
    assert message in job.message_text
    assert LotItem.objects.count() == 0
    page = donor_client.get(f"/dons/imports/{job.pk}/").content.decode()
    assert "rien n’a été importé" in page


def test_a_file_over_20_mb_is_refused_with_413(donor_client, upload, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    big = csv_bytes(french_rows(1)) + b"x" * (manifest.MAX_BYTES + 1)
    response = upload(donor_client, donor_client.lot, big)

    assert response.status_code == 413
    assert response.json() == {
        "detail": "Le fichier dépasse 20 Mo : découpez-le en plusieurs manifestes.",
        "code": "too_large",
    }
    assert ImportJob.objects.count() == 0


def test_more_rows_than_the_limit_is_refused(donor_client, upload, monkeypatch):
    monkeypatch.setattr(manifest, "MAX_ROWS", 5)
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes(french_rows(6))))

    assert job.state == "failed" and "dépasse 5 lignes" in job.message_text
    assert LotItem.objects.count() == 0


def test_the_web_upload_shows_the_progress_page_with_a_refresh_link(
    donor_client, django_capture_on_commit_callbacks
):
    lot = donor_client.lot
    # Not executing on-commit callbacks: the job stays pending, as while the worker is busy.
    response = donor_client.post(
        f"/dons/lots/{lot.pk}/manifeste/", {"file": SimpleUploadedFile("m.csv", csv_bytes(french_rows(2)))}
    )
    job = ImportJob.objects.get()
    page = donor_client.get(response.url).content.decode()

    assert response.url == f"/dons/imports/{job.pk}/"
    assert '<progress id="import-progress" max="100" value="0">' in page
    assert f'href="/dons/imports/{job.pk}/">Actualiser la page' in page
    assert "js/donations-import" in page and f'data-job-url="/api/v1/jobs/{job.pk}"' in page
    # The progress script's words come from the page, in its language; the script has none of its own.
    assert 'data-say-running="Import en cours : {progress} %"' in page
    assert 'data-say-done="Import terminé."' in page
    donor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = donor_client.get(response.url).content.decode()
    assert 'data-say-running="Import in progress: {progress} %"' in english
    script = (Path(settings.BASE_DIR) / "reuse/static/js/donations-import.js").read_text()
    assert not re.search(r"Import|attente|terminé|refusé", script.replace("import-", ""))


def test_jobs_are_visible_only_to_their_owners(client, donor_client, upload):
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes(french_rows(1))))
    other_lot = LotFactory()
    client.force_login(other_lot.created_by)

    assert client.get(f"/api/v1/jobs/{job.pk}").status_code == 404
    assert client.get(f"/dons/imports/{job.pk}/").status_code == 404


def test_formula_cells_are_stored_as_text_and_exported_with_an_apostrophe(donor_client, upload):
    rows = french_rows(1)
    rows[0][9] = '=HYPERLINK("http://evil.example","clic")'
    upload(donor_client, donor_client.lot, csv_bytes(rows))
    item = LotItem.objects.get()

    assert item.condition.startswith("=HYPERLINK")
    assert neutralise(item.condition) == "'" + item.condition
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("ThinkPad") == "ThinkPad"


def test_typed_items_use_the_same_rules(donor_client):
    with pytest.raises(Exception) as exc:
        services.add_items(
            lot=donor_client.lot, items=[{"type": "frigo"}, {"type": "laptop", "serial": "A", "quantity": 2}]
        )
    assert "appareil 1, type d’appareil" in str(exc.value) and "appareil 2, quantité" in str(exc.value)


def test_a_sheet_with_a_title_a_totals_row_and_empty_rows_below_imports_its_devices_only(
    donor_client, upload
):
    # A fleet list as a person keeps it in Excel: a merged title above the table, a blank line, the devices,
    # then the « Total » line Excel's « Ligne des totaux » (or a SUM typed by hand) adds under the table,
    # and formatted but empty rows below it.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Parc informatique réformé — Siège, mars 2026"])
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(["Type", "Marque", "Modèle", "Numéro de série", "Date d'achat", "Quantité"])
    sheet.append(["Portable", "Dell", "Latitude 5490", "4X7K2L2", datetime(2019, 3, 1), 1])
    sheet.append(["Portable", "Dell", "Latitude 5490", "5Y8L3M3", 43525, 1])
    sheet.append(["Écran", "Dell", "P2419H", None, 43525, 3])
    sheet.append(["Total", None, None, None, None, 5])
    for _ in range(5):
        sheet.append([None] * 6)
    buffer = io.BytesIO()
    workbook.save(buffer)

    job = job_of(upload(donor_client, donor_client.lot, buffer.getvalue(), "parc.xlsx"))

    assert (job.state, job.created_rows, job.error_count) == ("done", 3, 0)
    assert sorted(LotItem.objects.values_list("type", "quantity", "year")) == [
        ("laptop", 1, 2019),
        ("laptop", 1, 2019),
        ("monitor", 3, 2019),
    ]
    page = donor_client.get(f"/dons/imports/{job.pk}/").content.decode()
    assert "Ligne de total ignorée (ce n’est pas un appareil) : ligne 7." in page


def test_a_row_saying_total_that_names_a_device_is_a_device(donor_client, upload):
    rows = french_rows(1)
    rows[0][0] = "Total"
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes(rows)))

    # Not skipped: it has a serial, so it is a row with an unknown type the donor maps.
    assert job.needs == "values" and job.summary["unknown"][0]["value"] == "Total"
