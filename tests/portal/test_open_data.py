import csv
import io

import pytest

from cms.opendata import FIELDS, SERVICE, international_phone
from tests.factories.accounts import OrganisationFactory
from tests.factories.inventory import WorkshopProfileFactory

pytestmark = pytest.mark.django_db

REQUIRED = {"id", "pivot", "nom", "commune", "code_postal", "adresse", "date_maj", "services"}


@pytest.fixture
def workshops(db):
    approved = WorkshopProfileFactory(
        on_map=True,
        organisation=OrganisationFactory(
            workshop=True,
            name="Atelier Solidaire Montreuil",
            address="5 rue de Paris",
            postcode="93100",
            city="Montreuil",
            phone="01 48 00 00 00",
            email="atelier@montreuil.example",
        ),
        opening_hours="Tu-Sa 10:00-18:00",
        latitude="48.86100",
        longitude="2.44300",
    ).organisation
    pending = OrganisationFactory(workshop=True, pending=True, name="Atelier en attente")
    donor = OrganisationFactory(donor=True, name="Entreprise donatrice")
    return approved, pending, donor


def test_json_exports_approved_workshops_in_the_mediation_schema(client, workshops):
    approved, _pending, _donor = workshops
    response = client.get("/api/v1/open-data/lieux.json")
    assert response.status_code == 200
    rows = response.json()
    assert [row["nom"] for row in rows] == ["Atelier Solidaire Montreuil"]
    row = rows[0]
    assert REQUIRED <= set(row) and all(row[field] for field in REQUIRED)
    assert row == {
        "id": f"rebond-atelier-{approved.pk}",
        "pivot": approved.siret,
        "nom": "Atelier Solidaire Montreuil",
        "commune": "Montreuil",
        "code_postal": "93100",
        "adresse": "5 rue de Paris",
        "latitude": 48.861,
        "longitude": 2.443,
        "services": "Acquisition de matériel informatique à prix solidaire",
        "horaires": "Tu-Sa 10:00-18:00",
        "telephone": "+33148000000",
        "courriels": "atelier@montreuil.example",
        "frais_a_charge": "Gratuit sous condition|Payant",
        "source": "Rebond",
        "date_maj": approved.approved_at.date().isoformat()
        if approved.approved_at
        else approved.created.date().isoformat(),
        "modalites_accompagnement": "",
        "seances_prise_en_main": "",
    }


def test_csv_has_the_same_rows_and_needs_no_authentication(client, workshops):
    response = client.get("/api/v1/open-data/lieux.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8")))
    assert reader.fieldnames == FIELDS
    rows = list(reader)
    assert len(rows) == 1
    assert rows[0]["services"] == SERVICE
    assert rows[0]["nom"] == "Atelier Solidaire Montreuil"
    assert rows[0] == {
        key: "" if value is None else str(value)
        for key, value in client.get("/api/v1/open-data/lieux.json").json()[0].items()
    }


def test_a_workshop_without_profile_is_exported_without_coordinates(client, db):
    OrganisationFactory(workshop=True, name="Atelier sans profil", phone="")
    row = client.get("/api/v1/open-data/lieux.json").json()[0]
    assert row["latitude"] is None and row["horaires"] == "" and row["telephone"] == ""


def test_phone_numbers_are_international():
    assert international_phone("01 23 45 67 89") == "+33123456789"
    assert international_phone("+33 6 12 34 56 78") == "+33612345678"
    assert international_phone("12") == ""


def test_free_text_opening_hours_never_reach_the_open_data(client, workshops):
    from inventory.models import WorkshopProfile

    approved, _pending, _donor = workshops
    # Typed before hours were checked: stored as it was, but never published as such.
    WorkshopProfile.objects.filter(organisation=approved).update(opening_hours="le matin, sauf jeudi")
    assert client.get("/api/v1/open-data/lieux.json").json()[0]["horaires"] == ""
    assert "le matin" not in client.get("/api/v1/open-data/lieux.csv").content.decode()


def test_a_workshop_publishing_first_use_sessions_exports_them(client, workshops):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories.tripod import SessionSlotFactory

    approved, _pending, _donor = workshops
    start = timezone.now().replace(microsecond=0) + timedelta(days=4)
    SessionSlotFactory(workshop=approved, starts_at=start)
    SessionSlotFactory(workshop=approved, starts_at=start - timedelta(days=10))  # past: not exported
    row = client.get("/api/v1/open-data/lieux.json").json()[0]
    assert row["services"] == f"{SERVICE}|Maîtrise des outils numériques du quotidien"
    assert row["modalites_accompagnement"] == "Dans un atelier"
    assert row["seances_prise_en_main"] == timezone.localtime(start).isoformat(timespec="minutes")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_the_open_data_csv_publishes_formula_looking_cells_as_text(client, workshops, start):
    """Anyone with a workshop account types its name and address: a spreadsheet opening the public CSV must
    not run them. The JSON keeps the values as stored (it is not a spreadsheet). A name, an address and a city are
    stored without control characters (reuse.fields.NameField: a tab or a carriage return becomes a space), so
    the published cells are compared with what was stored; the CSV writer neutralises what still starts a
    formula."""
    approved, _pending, _donor = workshops
    typed = {
        "name": f'{start}HYPERLINK("http://evil.example","Atelier")',
        "address": f"{start}2+3",
        "city": f"{start}cmd|' /C calc'!A0",
    }
    type(approved).objects.filter(pk=approved.pk).update(**typed)
    stored = type(approved).objects.values(*typed).get(pk=approved.pk)
    rows = list(
        csv.DictReader(io.StringIO(client.get("/api/v1/open-data/lieux.csv").content.decode("utf-8")))
    )
    assert len(rows) == 1
    for column, field in (("nom", "name"), ("adresse", "address"), ("commune", "city")):
        value = stored[field]
        assert rows[0][column] == ("'" + value if value.startswith(FORMULA_STARTS) else value)
        assert not rows[0][column].startswith(FORMULA_STARTS)
    # A plain number runs nothing: the international phone number stays as the schema wants it.
    assert rows[0]["telephone"] == "+33148000000"
    assert client.get("/api/v1/open-data/lieux.json").json()[0]["nom"] == stored["name"]
