"""What an import says is stored as codes and written out in the reader's language (issue 15).

A donor reading in English saw the French its import was written in (the worker or request ran in French), and one
whose request ran in English froze English for a French colleague. The files are written as Excel saves « CSV
(séparateur : point-virgule) »: Windows-1252, `;` separators, CRLF (Microsoft, "Import or export text (.txt or
.csv) files", https://support.microsoft.com/en-us/office/import-or-export-text-txt-or-csv-files-5250ac4c-663c-47ce-937b-339e391393ba).
"""

import pytest
from django.conf import settings
from django.urls import reverse

from donations.enums import ImportState
from donations.models import ImportJob
from tests.donations.export_helpers import job_of
from tests.factories.donations import LotFactory
from tests.factories.manifests import FRENCH_HEADER, csv_bytes, french_rows

pytestmark = pytest.mark.django_db


def _rows_with_two_errors():
    rows = french_rows(3)
    rows[1][3] = rows[0][3]  # the same serial twice
    rows[2][5] = "deux mille"  # a year nobody can read
    return rows


def _read(client, job, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    api = client.get(f"/api/v1/jobs/{job.pk}").json()
    page = client.get(reverse("donations:job", args=[job.pk])).content.decode()
    return api, page


@pytest.mark.parametrize(
    ("language", "duplicate", "year", "column"),
    [
        (
            "en",
            "Duplicate serial number “PF10000001” (already on row 2).",
            "Invalid year “deux mille” (e.g. 2019).",
            "year",
        ),
        (
            "fr",
            "Numéro de série « PF10000001 » en double (déjà ligne 2).",
            "Année « deux mille » invalide (ex. 2019).",
            "année",
        ),
    ],
)
def test_row_errors_are_read_in_the_readers_language(donor_client, upload, language, duplicate, year, column):
    donor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes(_rows_with_two_errors())))
    assert job.state == ImportState.FAILED

    api, page = _read(donor_client, job, language)

    assert [(error["row"], error["message"]) for error in api["errors"]] == [(3, duplicate), (4, year)]
    assert api["errors"][1]["field"] == column
    assert duplicate in page
    assert year in page


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The file contains only headers: no device rows."),
        ("fr", "Le fichier ne contient que des en-têtes : aucune ligne d’appareil."),
    ],
)
def test_a_failed_file_is_read_in_the_readers_language(donor_client, upload, language, message):
    donor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr" if language == "en" else "en"
    job = job_of(upload(donor_client, donor_client.lot, csv_bytes([], header=FRENCH_HEADER)))

    api, page = _read(donor_client, job, language)

    assert api["message"] == message
    assert message in page


def test_a_job_stored_before_the_codes_is_shown_as_it_was_written(donor_client):
    job = ImportJob.objects.create(
        lot=LotFactory(donor=donor_client.donor, created_by=donor_client.user),
        created_by=donor_client.user,
        state=ImportState.FAILED,
        progress=100,
        errors=[{"row": 4, "field": "année", "message": "Année « 20x9 » invalide (ex. 2019)."}],
        error_count=1,
    )
    ImportJob.objects.filter(pk=job.pk).update(message="Ancien message en français.")

    api, _page = _read(donor_client, job, "en")

    assert api["message"] == "Ancien message en français."
    assert api["errors"] == [{"row": 4, "field": "année", "message": "Année « 20x9 » invalide (ex. 2019)."}]
