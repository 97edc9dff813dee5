"""Donors' exports: type values the donor maps, units and unusual values, dates, files that are not
spreadsheets."""

import json
from datetime import datetime

import pytest
from django.utils import translation

from donations.models import ImportJob, LotItem, TypeChoice
from tests.donations.export_helpers import items, job_of, sample
from tests.factories.manifests import csv_bytes, french_rows, workbook_bytes

pytestmark = pytest.mark.django_db

# --- values ---------------------------------------------------------------------------------------------


def test_unknown_type_values_are_mapped_by_the_donor_and_kept(donor_client, upload, answer):
    rows = french_rows(3)
    rows[0][0] = rows[1][0] = "Poste nomade"
    rows[0][2] = rows[1][2] = "Modèle 42"
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes(rows)))

    assert job.state == "failed" and job.needs == "values"
    assert job.summary["unknown"] == [
        {"key": "poste nomade", "value": "Poste nomade", "count": 2, "rows": [2, 3]}
    ]
    assert LotItem.objects.count() == 0
    second = answer(donor_client, job, {"types": {"Poste nomade": "laptop"}})

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


def test_a_size_forced_in_gb_gives_warnings_that_the_donor_confirms(donor_client, upload, answer):
    job = job_of(upload(donor_client, donor_client.lot, sample("intune_devices.csv"), "intune.csv"))
    assert items(donor_client.lot)["7KD2LM3"].storage_gb == 256

    # The donor (wrongly) says "Total storage" is in GB: the values become unusual, never stored silently.
    second = answer(donor_client, job, {"units": {"Total storage": "gb"}})

    assert second.state == "failed" and second.needs == "warnings"
    assert second.warning_count == 9
    assert second.warning_rows[0] == {
        "row": 2,
        "field": "stockage",
        "message": "Stockage de 244\u202f198 Go inhabituel(le) pour ce type d’appareil (attendu : 16 à 16\u202f000 Go).",
    }
    # Stored as a code: a reader in English reads English figures, not the French ones of whoever imported it.
    with translation.override("en"):
        english = ImportJob.objects.get(pk=second.pk).warning_rows[0]["message"]
    assert english == "Storage of 244,198 GB is unusual for this type of device (expected: 16 to 16,000 GB)."
    assert items(donor_client.lot)["7KD2LM3"].storage_gb == 256
    page = donor_client.get(f"/dons/imports/{second.pk}/").content.decode()
    assert "9 valeurs inhabituelles à vérifier." in page

    third = answer(donor_client, second, {"units": {"Total storage": "gb"}, "confirm_warnings": True})
    assert third.state == "done" and third.updated_rows == 9
    assert items(donor_client.lot)["7KD2LM3"].storage_gb == 244198


def test_zero_gb_of_ram_is_a_warning_not_a_silent_value(donor_client, upload):
    rows = french_rows(2)
    rows[1][7] = "0"
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes(rows)))

    assert job.needs == "warnings" and LotItem.objects.count() == 0
    assert "Mémoire de 0 Go inhabituel(le)" in job.warning_rows[0]["message"]
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

    assert job.state == "done", (job.error_rows, job.warning_rows)
    item = LotItem.objects.get()
    assert (item.ram_gb, item.storage_gb) == expected


# --- dates (a "Date d'achat" column; dates under "Année d'achat") -------------------------------------


@pytest.mark.parametrize(
    "value", ["01/03/2021", "1/3/2021", "2021-03-01", "2021-03-01 00:00:00", "44256", "01.03.21"]
)
def test_a_purchase_date_column_is_read_as_the_year(donor_client, upload, value):
    header = ["Type", "Numéro de série", "Date d'achat"]
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes([["Portable", "S1", value]], header)))

    assert job.state == "done", job.error_rows
    assert LotItem.objects.get().year == 2021


def test_dates_under_a_year_column_are_read_as_the_year(donor_client, upload):
    header = ["Type", "Numéro de série", "Année d'achat"]
    rows = [["Portable", "S1", "15/09/2019"], ["Portable", "S2", "2020"]]
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes(rows, header)))

    assert job.state == "done", job.error_rows
    assert dict(LotItem.objects.values_list("serial", "year")) == {"S1": 2019, "S2": 2020}


def test_xlsx_date_cells_are_read_and_never_echoed_as_iso_timestamps(donor_client, upload):
    content = workbook_bytes(
        [
            ["Type", "Numéro de série", "Date d'achat", "Modèle"],
            ["Portable", "S1", datetime(2021, 3, 1), "Latitude"],
            ["Portable", "S2", datetime(2021, 3, 1), datetime(2021, 3, 1)],
            ["Portable", "S3", datetime(2099, 3, 1), "Latitude"],
        ]
    )
    job = job_of(upload(donor_client, donor_client.lot, content, "m.xlsx"))

    assert job.state == "failed"
    assert job.error_rows == [
        {
            "row": 4,
            "field": "date d’achat",
            "message": "Date d’achat « 01/03/2099 » illisible (ex. 01/03/2021).",
        }
    ]
    assert "T00:00:00" not in json.dumps(job.summary) and "T00:00:00" not in json.dumps(job.error_rows)


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
    assert job.message_text == (
        f"Type de fichier non pris en charge : ce fichier ressemble à {looks_like}, pas à un tableur ; "
        "envoyez un fichier CSV, XLSX, ODS ou XLS."
    )
    assert LotItem.objects.count() == 0
