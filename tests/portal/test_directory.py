import pytest

from inventory.opening_hours import readable
from tests.factories.accounts import OrganisationFactory
from tests.factories.inventory import WorkshopProfileFactory

pytestmark = pytest.mark.django_db


def test_directory_lists_approved_workshops_with_hours_and_services_per_department(client, demo):
    WorkshopProfileFactory(
        on_map=True,
        organisation=OrganisationFactory(
            workshop=True, name="Atelier de Brest", department="29", postcode="29200", city="Brest"
        ),
        opening_hours="Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00",
        may_issue_tax_receipts=True,
    )
    OrganisationFactory(workshop=True, pending=True, name="Atelier pas encore vérifié", department="29")

    everything = client.get("/ateliers/").content.decode()
    assert "Atelier de Brest" in everything and "Atelier du Rebond Saint-Denis" in everything
    assert "Atelier pas encore vérifié" not in everything
    assert 'href="/ateliers/departement/29/"' in everything

    brest = client.get("/ateliers/departement/29/").content.decode()
    assert "Atelier de Brest" in brest and "Atelier du Rebond Saint-Denis" not in brest
    assert "lundi – vendredi : 09:00–12:00, 14:00–17:00" in brest
    assert "samedi : 10:00–12:00" in brest
    assert "Reçus fiscaux pour les dons en nature" in brest
    assert '<a href="/ateliers/departement/29/" aria-current="page">' in brest

    assert client.get("/ateliers/departement/01/").status_code == 404
    assert "http://127.0.0.1:8000/ateliers/departement/29/" in client.get("/sitemap.xml").content.decode()


def test_opening_hours_outside_the_syntax_are_never_shown_as_typed():
    # Text stored before hours were checked is left out rather than shown raw.
    assert readable("24/7") == [] and readable("le matin sauf jeudi") == [] and readable("") == []
    assert readable("Mo,We,Fr 09:00-12:00; PH 10:00-12:00") == [
        "lundi, mercredi, vendredi : 09:00–12:00",
        "jours fériés : 10:00–12:00",
    ]
