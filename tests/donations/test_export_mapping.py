"""Donors' exports whose headers the import does not know: the mapping step, kept for the organisation,
through the pages and the API, and the header aliases staff add."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from donations.models import ColumnChoice, HeaderAlias, ImportJob, LotItem
from tests.donations.export_helpers import items, job_of, sample
from tests.factories.accounts import UserFactory
from tests.factories.donations import LotFactory
from tests.factories.manifests import FRENCH_HEADER, csv_bytes, french_rows

pytestmark = pytest.mark.django_db


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
