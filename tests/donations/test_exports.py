"""Donors' asset-management exports, uploaded unchanged: each sample of tests/data/exports/ end to end, the
mapping step, value mapping, units, unusual values, dates, files that are not spreadsheets."""

import io
import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from donations.models import ColumnChoice, HeaderAlias, ImportJob, LotItem, TypeChoice
from tests.factories.accounts import UserFactory
from tests.factories.donations import LotFactory
from tests.factories.manifests import FRENCH_HEADER, csv_bytes, french_rows

pytestmark = pytest.mark.django_db
EXPORTS = Path(__file__).resolve().parents[1] / "data" / "exports"


def sample(name: str) -> bytes:
    return (EXPORTS / name).read_bytes()


def job_of(response) -> ImportJob:
    assert response.status_code == 202, response.content
    return ImportJob.objects.get(pk=response.json()["job_id"])


def items(lot) -> dict:
    return {item.serial: item for item in LotItem.objects.filter(lot=lot)}


# Per sample: the tool recognised, the rows, and a few devices as the manifest must store them
# (serial: type, RAM GB, storage GB, year).
SAMPLES = {
    "glpi_computers_fr.csv": (
        "glpi",
        12,
        {
            "4X7K2L2": ("laptop", 8, 256, 2019),
            "CZC9203XYZ": ("desktop", 8, 500, 2020),
            "8CC0211ABC": ("desktop", 16, 256, 2020),
            "J3C8R04": ("desktop", 8, 1000, 2018),
            "5CG1042QRS": ("laptop", 16, 256, 2021),
            # No type in GLPI: inferred from the model.
            "PF2MN4TX": ("laptop", 8, 256, 2020),
            "021547394853": ("tablet", 4, 64, 2020),
        },
    ),
    "glpi_computers_en.csv": (
        "glpi",
        8,
        {"4X7K2L2": ("laptop", 8, 256, 2019), "H2B7Q03": ("desktop", 8, 256, 2018)},
    ),
    "glpi_computers_fr.xlsx": ("glpi", 12, {"MJ0F4K2L": ("desktop", 8, 256, 2019)}),
    "snipeit_custom_report.csv": (
        "snipeit",
        7,
        {
            "8HD9KL3": ("laptop", None, None, 2021),
            "F17ZK3ABN72J": ("smartphone", None, None, 2020),
            "DMPZ81ABCD12": ("tablet", None, None, 2020),
            "CN0D9X4F74261ABCDEFB": ("monitor", None, None, 2019),
        },
    ),
    "intune_devices.csv": (
        "intune",
        9,
        {
            # "Total storage" is in MB: 244,198 MB is a 256 GB drive, not 244,198 GB.
            "7KD2LM3": ("laptop", None, 256, None),
            "5CG1287XQW": ("laptop", None, 512, None),
            "3MF4NP5": ("desktop", None, 500, None),
            "F2LZK0ABN72K": ("smartphone", None, 128, None),
            "R58T10FGHIJ": ("smartphone", None, 128, None),
            "DMPZ81XYZW34": ("tablet", None, 64, None),
            "C02FG3HJQ6L4": ("laptop", None, 256, None),
        },
    ),
    "jamf_advanced_computer_search.csv": (
        "jamf",
        5,
        {
            "C02DK1ABMD6M": ("laptop", 16, 512, 2021),
            "C02GJ4ABQ05F": ("desktop", 16, 512, 2021),
            "C07FK5ABQ6NV": ("desktop", 8, 256, 2021),
        },
    ),
    "lansweeper_assets.xlsx": (
        "lansweeper",
        6,
        {
            "6FJ8KL2": ("laptop", 8, None, 2019),
            "8KL9MN3": ("desktop", 16, None, 2019),
            "C02ZX1ABMD6T": ("laptop", 8, None, 2020),
            "MJ0G5L3M": ("desktop", 8, None, 2019),
            "CN0D9X4F74261ABCDEFC": ("monitor", None, None, 2019),
        },
    ),
    "ocs_inventory_computers.csv": (
        "ocs",
        5,
        {"6GH7JK2": ("desktop", 8, None, None), "PF1XY2ZA": ("laptop", 16, None, None)},
    ),
    "plain_sheet.xlsx": (
        "",
        6,
        {
            "GH5JK72": ("laptop", 16, 512, 2019),
            "CZC8411ABC": ("desktop", 8, 256, 2018),
            # A purchase date typed in a cell formatted as General: an Excel serial number (43536 = 12/03/2019).
            "1129884455667": ("monitor", None, None, 2019),
            "R52N80ABCDE": ("tablet", 4, 64, 2020),
            "F4GZK1ABN72L": ("smartphone", 3, 64, 2020),
        },
    ),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_tools_export_imports_unchanged(donor_client, upload, name):
    tool, count, expected = SAMPLES[name]
    job = job_of(upload(donor_client, donor_client.lot, sample(name), name))

    assert job.state == "done", (job.message, job.needs, job.errors[:3], job.warnings[:3])
    assert job.created_rows == count and job.error_count == 0
    assert job.summary["plan"]["tool"] == tool
    stored = items(donor_client.lot)
    for serial, (kind, ram, storage, year) in expected.items():
        item = stored[serial]
        assert (item.type, item.ram_gb, item.storage_gb, item.year) == (kind, ram, storage, year), serial
    page = donor_client.get(f"/dons/imports/{job.pk}/").content.decode()
    assert f"{count} appareil(s) ajouté(s)" in page
    if tool:
        assert f"Export reconnu : {job.summary['plan']['tool_name']}." in page


def test_the_report_lists_ignored_columns_units_and_inferred_types(donor_client, upload):
    job = job_of(upload(donor_client, donor_client.lot, sample("intune_devices.csv"), "intune.csv"))
    page = donor_client.get(f"/dons/imports/{job.pk}/").content.decode()

    assert "44 colonnes ignorées" in page and "« Free storage »" in page and "« Category »" in page
    assert "Stockage lu(e) en Mo (d’après les valeurs), converti(e) en Go." in page
    assert "Type déduit du système ou du modèle pour 9 lignes" in page
    assert "5 × Ordinateur portable (d’après le modèle)" in page
    assert "2 × Smartphone (d’après le système)" in page


def test_the_os_read_from_the_export_is_kept_on_the_manifest_row(donor_client, upload):
    upload(donor_client, donor_client.lot, sample("intune_devices.csv"), "intune.csv")

    assert items(donor_client.lot)["DMPZ81XYZW34"].os == "iPadOS"


def test_normalised_type_values_are_shown_with_their_counts(donor_client, upload):
    job = job_of(upload(donor_client, donor_client.lot, sample("glpi_computers_fr.csv"), "glpi.csv"))
    normalised = {item["value"]: (item["type"], item["count"]) for item in job.summary["normalised"]}

    assert normalised["Notebook"] == ("laptop", 2)
    assert normalised["Mini Tower"] == ("desktop", 1)
    assert normalised["All in One"] == ("desktop", 1)
    assert normalised["Sub Notebook"] == ("laptop", 1)
    page = donor_client.get(f"/dons/imports/{job.pk}/").content.decode()
    assert '<th scope="row">Mini Tower</th><td>Ordinateur fixe</td><td>1</td>' in page


# --- the mapping step -----------------------------------------------------------------------------


def test_unrecognised_headers_ask_for_the_columns_then_the_answer_is_kept_for_the_organisation(
    donor_client, upload, django_capture_on_commit_callbacks
):
    content = sample("plain_sheet_unknown_headers.csv")
    job = job_of(upload(donor_client, donor_client.lot, content, "parc.csv"))

    assert job.state == "failed" and job.needs == "columns"
    assert LotItem.objects.count() == 0
    page = donor_client.get(f"/dons/imports/{job.pk}/").content.decode()
    assert "Nous n’avons pas reconnu toutes les colonnes avec certitude." in page
    assert f'href="/dons/imports/{job.pk}/correspondance/">Indiquer les colonnes' in page

    form = donor_client.get(f"/dons/imports/{job.pk}/correspondance/")
    html = form.content.decode()
    # The donor sees the first values of each column, without JavaScript.
    assert "ThinkPad E14 · ThinkPad E14 · ProDesk 600 G5" in html
    headers = [column["header"] for column in job.summary["plan"]["columns"]]
    assert headers == [
        "Matériel",
        "Fabr.",
        "Réf. constructeur",
        "S/N",
        "Acquis le",
        "Mémoire",
        "Disque",
        "Remarque",
    ]
    answers = ["type", "brand", "model", "serial", "purchase_date", "ram_gb", "storage_gb", "condition"]
    data = {f"column_{i}": name for i, name in enumerate(answers)}
    with django_capture_on_commit_callbacks(execute=True):
        response = donor_client.post(f"/dons/imports/{job.pk}/correspondance/", data)
    second = ImportJob.objects.exclude(pk=job.pk).get()

    assert response.status_code == 302 and response.url == f"/dons/imports/{second.pk}/"
    assert second.state == "done", (second.message, second.errors)
    stored = items(donor_client.lot)
    assert (stored["PF2QW3ER"].type, stored["PF2QW3ER"].brand, stored["PF2QW3ER"].model) == (
        "laptop",
        "Lenovo",
        "ThinkPad E14",
    )
    assert (stored["CZC0123QWE"].type, stored["CZC0123QWE"].year, stored["CZC0123QWE"].ram_gb) == (
        "desktop",
        2019,
        16,
    )
    assert stored["11223344556677"].type == "monitor"
    assert stored["PF2QW3ER"].condition == "Clavier usé"
    assert ColumnChoice.objects.filter(organisation=donor_client.donor).count() == 8

    # Next time, the same organisation's file goes through without asking.
    other_lot = LotFactory(donor=donor_client.donor, created_by=donor_client.user)
    third = job_of(upload(donor_client, other_lot, content, "parc-2.csv"))
    assert third.state == "done" and third.created_rows == 4
    assert {c["source"] for c in third.summary["plan"]["columns"]} == {"saved"}


def test_the_mapping_page_shows_each_columns_own_examples_whatever_blank_headers_lie_between(
    donor_client, upload
):
    content = csv_bytes([["Portable", "junk", "PF1"], ["Fixe", "junk", "PF2"]], ["Matériel", "", "S/N"])
    job = job_of(upload(donor_client, donor_client.lot, content))
    html = donor_client.get(f"/dons/imports/{job.pk}/correspondance/").content.decode()

    assert job.needs == "columns"
    assert "Exemples : PF1 · PF2" in html and "Exemples : Portable · Fixe" in html
    assert "junk" not in html


def test_the_mapping_page_refuses_one_column_chosen_twice(donor_client, upload):
    job = job_of(upload(donor_client, donor_client.lot, sample("plain_sheet_unknown_headers.csv"), "p.csv"))
    data = {f"column_{i}": "serial" if i in (0, 3) else "-" for i in range(8)}
    response = donor_client.post(f"/dons/imports/{job.pk}/correspondance/", data)

    assert response.status_code == 200
    assert "Cette colonne du manifeste est déjà choisie." in response.content.decode()
    assert ImportJob.objects.count() == 1


def test_another_organisation_cannot_see_or_answer_the_mapping(client, donor_client, upload):
    job = job_of(upload(donor_client, donor_client.lot, sample("plain_sheet_unknown_headers.csv"), "p.csv"))
    stranger = LotFactory()
    client.force_login(stranger.created_by)

    assert client.get(f"/dons/imports/{job.pk}/correspondance/").status_code == 404
    assert client.post(f"/dons/imports/{job.pk}/correspondance/", {}).status_code == 404
    assert (
        client.post(f"/api/v1/jobs/{job.pk}/mapping", {}, content_type="application/json").status_code == 404
    )


def test_the_api_takes_the_mapping_with_the_upload(donor_client, django_capture_on_commit_callbacks):
    mapping = {
        "columns": {
            "Matériel": "type",
            "Fabr.": "brand",
            "Réf. constructeur": "model",
            "S/N": "serial",
            "Acquis le": "purchase_date",
            "Mémoire": "ram_gb",
            "Disque": "storage_gb",
            "Remarque": "",
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = donor_client.post(
            f"/api/v1/lots/{donor_client.lot.pk}/manifest",
            {
                "file": SimpleUploadedFile("parc.csv", sample("plain_sheet_unknown_headers.csv")),
                "mapping": json.dumps(mapping),
            },
        )
    job = job_of(response)
    body = donor_client.get(f"/api/v1/jobs/{job.pk}").json()

    assert body["state"] == "done" and body["needs"] == "" and job.created_rows == 4
    assert body["summary"]["plan"]["columns"][0] == {
        "index": 0,
        "header": "Matériel",
        "key": "materiel",
        "field": "type",
        "source": "choice",
        "unit": "",
    }


def test_a_bad_mapping_is_refused_with_a_clear_message(donor_client):
    response = donor_client.post(
        f"/api/v1/lots/{donor_client.lot.pk}/manifest",
        {
            "file": SimpleUploadedFile("m.csv", csv_bytes(french_rows(1))),
            "mapping": json.dumps({"columns": {"Marque": "couleur"}}),
        },
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "Colonne du manifeste inconnue : « couleur »."
    assert ImportJob.objects.count() == 0


def test_unknown_columns_are_ignored_and_listed(donor_client, upload):
    content = csv_bytes(french_rows(2), FRENCH_HEADER + ["Couleur", "Poids"])
    job = job_of(upload(donor_client, donor_client.lot, content))

    assert job.state == "done" and job.created_rows == 2
    assert job.summary["ignored"] == ["Couleur", "Poids"]
    assert (
        "2 colonnes ignorées : « Couleur », « Poids »."
        in donor_client.get(f"/dons/imports/{job.pk}/").content.decode()
    )


def test_the_header_row_may_come_after_a_title(donor_client, upload):
    content = b"Inventaire du parc 2026;;\r\n;;\r\n" + csv_bytes(french_rows(2))
    job = job_of(upload(donor_client, donor_client.lot, content))

    assert job.state == "done"
    assert sorted(LotItem.objects.values_list("row_number", flat=True)) == [4, 5]


def test_a_header_staff_added_in_the_admin_is_recognised(donor_client, upload):
    HeaderAlias.objects.create(field="serial", alias="Numéro constructeur")
    header = ["Type", "Marque", "Numéro constructeur"]
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes([["Portable", "Dell", "ABC123"]], header)))

    assert job.state == "done"
    assert LotItem.objects.get().serial == "ABC123"
    assert job.summary["plan"]["columns"][2]["source"] == "staff"


def test_staff_manage_header_aliases_in_the_wagtail_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        "/admin/manifest_aliases/new/", {"alias": "Réf. interne PC", "field": "asset_tag", "note": "Sage X3"}
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    alias = HeaderAlias.objects.get()
    assert (alias.key, alias.field) == ("ref interne pc", "asset_tag")
    duplicate = client.post("/admin/manifest_aliases/new/", {"alias": "REF INTERNE PC", "field": "serial"})
    assert (
        duplicate.status_code == 200 and "Cet en-tête est déjà dans la table." in duplicate.content.decode()
    )


# --- values ---------------------------------------------------------------------------------------------


def test_unknown_type_values_are_mapped_by_the_donor_and_kept(
    donor_client, upload, django_capture_on_commit_callbacks
):
    rows = french_rows(3)
    rows[0][0] = rows[1][0] = "Poste nomade"
    rows[0][2] = rows[1][2] = "Modèle 42"
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes(rows)))

    assert job.state == "failed" and job.needs == "values"
    assert job.summary["unknown"] == [
        {"key": "poste nomade", "value": "Poste nomade", "count": 2, "rows": [2, 3]}
    ]
    assert LotItem.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = donor_client.post(
            f"/api/v1/jobs/{job.pk}/mapping",
            {"types": {"Poste nomade": "laptop"}},
            content_type="application/json",
        )
    second = ImportJob.objects.get(pk=response.json()["job_id"])

    assert second.state == "done" and second.created_rows == 3
    assert set(LotItem.objects.values_list("type", flat=True)) == {"laptop"}
    assert TypeChoice.objects.get(organisation=donor_client.donor).value == "Poste nomade"


def test_rows_without_any_type_take_the_type_the_donor_chose(
    donor_client, upload, django_capture_on_commit_callbacks
):
    header = ["Marque", "Numéro de série"]
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes([["Dell", "A1"], ["Dell", "A2"]], header)))

    assert job.needs == "columns"
    with django_capture_on_commit_callbacks(execute=True):
        response = donor_client.post(
            f"/dons/imports/{job.pk}/correspondance/",
            {"column_0": "brand", "column_1": "serial", "default_type": "desktop"},
        )
    second = ImportJob.objects.exclude(pk=job.pk).get()

    assert response.status_code == 302 and second.state == "done"
    assert set(LotItem.objects.values_list("type", flat=True)) == {"desktop"}


# --- units and unusual values ---------------------------------------------------------------------------


def test_a_size_forced_in_gb_gives_warnings_that_the_donor_confirms(
    donor_client, upload, django_capture_on_commit_callbacks
):
    job = job_of(upload(donor_client, donor_client.lot, sample("intune_devices.csv"), "intune.csv"))
    assert items(donor_client.lot)["7KD2LM3"].storage_gb == 256

    # The donor (wrongly) says "Total storage" is in GB: the values become unusual, never stored silently.
    with django_capture_on_commit_callbacks(execute=True):
        response = donor_client.post(
            f"/api/v1/jobs/{job.pk}/mapping",
            {"units": {"Total storage": "gb"}},
            content_type="application/json",
        )
    second = ImportJob.objects.get(pk=response.json()["job_id"])

    assert second.state == "failed" and second.needs == "warnings"
    assert second.warning_count == 9
    assert second.warnings[0] == {
        "row": 2,
        "field": "stockage",
        "message": "Stockage de 244\u202f198 Go inhabituel(le) pour ce type d’appareil (attendu : 16 à 16000 Go).",
    }
    assert items(donor_client.lot)["7KD2LM3"].storage_gb == 256
    page = donor_client.get(f"/dons/imports/{second.pk}/").content.decode()
    assert "9 valeurs inhabituelles à vérifier." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = donor_client.post(
            f"/api/v1/jobs/{second.pk}/mapping",
            {"units": {"Total storage": "gb"}, "confirm_warnings": True},
            content_type="application/json",
        )
    third = ImportJob.objects.get(pk=response.json()["job_id"])
    assert third.state == "done" and third.updated_rows == 9
    assert items(donor_client.lot)["7KD2LM3"].storage_gb == 244198


def test_zero_gb_of_ram_is_a_warning_not_a_silent_value(donor_client, upload):
    rows = french_rows(2)
    rows[1][7] = "0"
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes(rows)))

    assert job.needs == "warnings" and LotItem.objects.count() == 0
    assert "Mémoire de 0 Go inhabituel(le)" in job.warnings[0]["message"]
    form = donor_client.get(f"/dons/imports/{job.pk}/correspondance/").content.decode()
    assert "Je confirme les 1 valeur(s) inhabituelle(s) signalée(s)" in form


@pytest.mark.parametrize(
    ("ram", "storage", "expected"),
    [
        ("8192 Mo", "0,5 To", (8, 500)),
        ("8 GB", "512 GB", (8, 512)),
        ("16384", "476940", (16, 500)),
        ("8589934592", "256060514304", (8, 256)),
    ],
)
def test_units_from_suffixes_and_magnitudes(donor_client, upload, ram, storage, expected):
    rows = french_rows(1)
    rows[0][7], rows[0][8] = ram, storage
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes(rows)))

    assert job.state == "done", (job.errors, job.warnings)
    item = LotItem.objects.get()
    assert (item.ram_gb, item.storage_gb) == expected


# --- dates (a "Date d'achat" column; dates under "Année d'achat") -------------------------------------


@pytest.mark.parametrize(
    "value", ["01/03/2021", "1/3/2021", "2021-03-01", "2021-03-01 00:00:00", "44256", "01.03.21"]
)
def test_a_purchase_date_column_is_read_as_the_year(donor_client, upload, value):
    header = ["Type", "Numéro de série", "Date d'achat"]
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes([["Portable", "S1", value]], header)))

    assert job.state == "done", job.errors
    assert LotItem.objects.get().year == 2021


def test_dates_under_a_year_column_are_read_as_the_year(donor_client, upload):
    header = ["Type", "Numéro de série", "Année d'achat"]
    rows = [["Portable", "S1", "15/09/2019"], ["Portable", "S2", "2020"]]
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes(rows, header)))

    assert job.state == "done", job.errors
    assert dict(LotItem.objects.values_list("serial", "year")) == {"S1": 2019, "S2": 2020}


def xlsx_with(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_date_cells_are_read_and_never_echoed_as_iso_timestamps(donor_client, upload):
    content = xlsx_with(
        [
            ["Type", "Numéro de série", "Date d'achat", "Modèle"],
            ["Portable", "S1", datetime(2021, 3, 1), "Latitude"],
            ["Portable", "S2", datetime(2021, 3, 1), datetime(2021, 3, 1)],
            ["Portable", "S3", datetime(2099, 3, 1), "Latitude"],
        ]
    )
    job = job_of(upload(donor_client, donor_client.lot, content, "m.xlsx"))

    assert job.state == "failed"
    assert job.errors == [
        {
            "row": 4,
            "field": "date d’achat",
            "message": "Date d’achat « 01/03/2099 » illisible (ex. 01/03/2021).",
        }
    ]
    assert "T00:00:00" not in json.dumps(job.summary) and "T00:00:00" not in json.dumps(job.errors)


# --- files that are not spreadsheets ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "looks_like"),
    [
        (json.dumps({"devices": [{"serial": "X" * 50}] * 3000}).encode(), "export.json", "des données JSON"),
        (
            b"[2024/05/10 14:02:11]    info: nwipe 0.35\n[2024/05/10 14:02:11] notice: Found /dev/sda\n",
            "nwipe.log",
            "un journal (log) ou un rapport texte",
        ),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 not a manifest", "manifeste.pdf", "un document PDF"),
        (b'<?xml version="1.0"?><REQUEST><CONTENT/></REQUEST>', "ocs.xml", "un document XML"),
        (b"<!DOCTYPE html><html><body>export</body></html>", "export.html", "une page web (HTML)"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "photo.png", "une image"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_in_one_line_naming_what_it_looks_like(
    donor_client, upload, content, name, looks_like
):
    job = job_of(upload(donor_client, donor_client.lot, content, name))

    assert job.state == "failed" and not job.needs
    assert job.message == (
        f"Type de fichier non pris en charge : ce fichier ressemble à {looks_like}, pas à un tableur ; "
        "envoyez un fichier CSV ou XLSX."
    )
    assert LotItem.objects.count() == 0
