"""A mediation place's phone number follows Rebond's one rule (accounts.validators.normalise_phone) whatever
writes it: the admin's form refuses an impossible number in French, the import of the national file keeps the
place and drops a number no one can dial with a warning on its row, and the places stored before are brought to
the same form by a data migration."""

import importlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from reuse.tripod import lamednum
from reuse.tripod.models import MediationPlace
from tests import fixtures
from tests.factories.tripod import MediationPlaceFactory
from tests.tripod.test_places import HEADER, csv_bytes, row

pytestmark = pytest.mark.django_db

PHONES = [*HEADER, "telephone"]


def _admin_form(place, **changes):
    data = {
        "name": place.name,
        "address": place.address,
        "postcode": place.postcode,
        "commune": place.commune,
        "latitude": str(place.latitude),
        "longitude": str(place.longitude),
        "opening_hours": place.opening_hours,
        "phone": place.phone,
    }
    return {**data, **changes}


staff_client = fixtures.staff_client


def test_the_admin_keeps_a_places_phone_in_the_one_form(staff_client):
    place = MediationPlaceFactory()

    staff_client.post(
        reverse("tripod_place:edit", args=[place.pk]), _admin_form(place, phone="+33 (0)1.80.05.98.80")
    )

    place.refresh_from_db()
    assert place.phone == "01 80 05 98 80"


def test_the_admin_refuses_an_impossible_phone_in_french(staff_client):
    place = MediationPlaceFactory(phone="01 80 05 98 80")

    response = staff_client.post(
        reverse("tripod_place:edit", args=[place.pk]), _admin_form(place, phone="12 34")
    )

    assert "Ce numéro de téléphone n’existe pas" in response.content.decode()
    place.refresh_from_db()
    assert place.phone == "01 80 05 98 80"


def test_the_import_keeps_phones_in_the_one_form_and_drops_an_impossible_one_with_a_warning():
    # The national files write E.164 (« +33180059880 ») as the schema asks, and sometimes anything else.
    rows = [row(1, telephone="+33180059880"), row(2, telephone="0262 12 34 56"), row(3, telephone="tél. 12")]
    record = lamednum.import_places(csv_bytes(rows, header=PHONES), filename="lieux.csv", source="command")

    phones = dict(MediationPlace.objects.values_list("external_id", "phone"))
    assert phones == {"mednum-1": "01 80 05 98 80", "mednum-2": "02 62 12 34 56", "mednum-3": ""}
    assert record.errors == []
    assert [(w["row"], w["field"]) for w in record.warnings] == [(4, "telephone")]
    assert "« tél. 12 »" in record.warning_rows[0]["message"]


def test_the_admin_upload_and_the_command_show_the_dropped_phone(staff_client, tmp_path, capsys):
    data = csv_bytes([row(1, telephone="12")], header=PHONES)
    upload = SimpleUploadedFile("lieux.csv", data, content_type="text/csv")

    page = staff_client.post(reverse("tripod_admin:import_places"), {"file": upload}).content.decode()

    assert "importé sans téléphone" in page
    path = tmp_path / "lieux.csv"
    path.write_bytes(data)
    call_command("import_mediation_places", str(path))
    assert "ligne 2, telephone : « 12 »" in capsys.readouterr().err


def test_the_data_migration_brings_stored_phones_to_the_one_form():
    typed = MediationPlaceFactory(phone="+33180059880")
    impossible = MediationPlaceFactory(phone="Accueil : 12")
    empty = MediationPlaceFactory(phone="")
    migration = importlib.import_module("reuse.tripod.migrations.0002_place_phone_in_the_one_form")

    migration.normalise_place_phones(apps, None)

    assert [MediationPlace.objects.get(pk=p.pk).phone for p in (typed, impossible, empty)] == [
        "01 80 05 98 80",
        "",
        "",
    ]
