"""A donor uploads a spreadsheet whose headers no tool wrote: the import asks which column is which, the donor
answers on a page that needs no JavaScript, the fleet is imported, and the next file is read without asking."""

from pathlib import Path

import pytest

from donations.models import ColumnChoice, LotItem
from tests.browser.steps import sign_in
from tests.factories.donations import LotFactory, donor_with_member

pytestmark = pytest.mark.django_db(transaction=True)
EXPORT = Path(__file__).resolve().parents[1] / "data" / "exports" / "plain_sheet_unknown_headers.csv"
PASSWORD = "journey-pass-2026"


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def test_a_donor_maps_the_columns_of_an_unknown_sheet_once(page, assert_accessible):
    donor, user = donor_with_member()
    user.set_password(PASSWORD)
    user.save()
    lot = LotFactory(donor=donor, created_by=user, title="Parc de la mairie")

    sign_in(page, user.email, PASSWORD)
    page.goto(f"/dons/lots/{lot.pk}/")
    page.get_by_role("link", name="Importer un manifeste (CSV, XLSX, ODS ou XLS)").click()
    page.get_by_label("Manifeste (CSV, XLSX, ODS ou XLS)").set_input_files(
        {"name": "parc-mairie.csv", "mimeType": "text/csv", "buffer": EXPORT.read_bytes()}
    )
    page.get_by_role("button", name="Importer").click()

    # The worker reads the headers and stops before writing anything; the page says why and what to do.
    page.wait_for_selector("[data-needs=columns]", timeout=60_000)
    assert "Nous n’avons pas reconnu toutes les colonnes avec certitude." in page.content()
    assert LotItem.objects.filter(lot=lot).count() == 0
    assert_accessible(page)
    fits_the_phone(page)

    page.get_by_role("link", name="Indiquer les colonnes").click()
    page.wait_for_selector("form.mapping")
    assert "ThinkPad E14 · ThinkPad E14 · ProDesk 600 G5" in page.content()
    assert_accessible(page)
    fits_the_phone(page)
    for header, column in [
        ("Matériel", "Type d’appareil"),
        ("Fabr.", "Marque"),
        ("Réf. constructeur", "Modèle"),
        ("S/N", "Numéro de série"),
        ("Acquis le", "Date d’achat"),
        ("Mémoire", "Mémoire vive"),
        ("Disque", "Stockage"),
        ("Remarque", "État déclaré"),
    ]:
        page.get_by_label(f"Contenu de « {header} »").select_option(label=column)
    page.get_by_role("button", name="Enregistrer et importer").click()

    page.wait_for_selector("text=4 appareil(s) ajouté(s)", timeout=60_000)
    assert "Colonnes lues : « Matériel » → Type d’appareil" in page.content()
    assert_accessible(page)
    fits_the_phone(page)
    assert set(LotItem.objects.filter(lot=lot).values_list("type", flat=True)) == {
        "laptop",
        "desktop",
        "monitor",
    }
    assert ColumnChoice.objects.filter(organisation=donor).count() == 8

    # The same sheet for another lot goes straight through: the answers were kept for the organisation.
    second = LotFactory(donor=donor, created_by=user, title="Parc de l’école")
    page.goto(f"/dons/lots/{second.pk}/manifeste/")
    page.get_by_label("Manifeste (CSV, XLSX, ODS ou XLS)").set_input_files(
        {"name": "parc-ecole.csv", "mimeType": "text/csv", "buffer": EXPORT.read_bytes()}
    )
    page.get_by_role("button", name="Importer").click()
    page.wait_for_selector("text=4 appareil(s) ajouté(s)", timeout=60_000)
