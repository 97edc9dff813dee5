"""A newcomer on a phone reaches each sign-up form from the home page in two clicks at most, and an association
reserves several devices in one go."""

import re

import pytest

from reuse.accounts.demo import demo_organisation
from reuse.claims.models import Claim
from tests.browser.steps import sign_in_to_home

pytestmark = pytest.mark.django_db(transaction=True)

ENTRY_POINTS = [
    ("Vérifier mon éligibilité", "Créer mon compte", "/eligibilite/inscription/"),
    ("Donner du matériel", "Inscrire mon organisation donatrice", "/dons/inscription/"),
    ("Rejoindre le réseau", "Inscrire mon atelier", "/atelier/inscription/"),
    ("Inscrire mon association", None, "/eligibilite/association/inscription/"),
]


def test_each_entry_point_of_the_home_page_reaches_its_sign_up_form_in_two_clicks(
    page, assert_accessible, demo
):
    for entry, signup, form_path in ENTRY_POINTS:
        page.goto("/")
        clicks = 1
        page.locator("main").get_by_role("link", name=entry, exact=True).click()
        if signup is not None:
            page.locator("main").get_by_role("link", name=signup, exact=True).first.click()
            clicks += 1
        page.wait_for_url(re.compile(re.escape(form_path) + "$"))
        assert clicks <= 2
        assert page.locator("main form[method=post]").count() >= 1, form_path
        assert_accessible(page)


def test_an_association_reserves_several_devices_at_once_on_a_phone(page, assert_accessible, demo):
    association = demo_organisation("association")
    sign_in_to_home(page, "association@example.org", "association")
    assert_accessible(page)
    before = Claim.objects.filter(organisation=association).count()

    # From the list: two labelled checkboxes ticked, one button.
    boxes = page.locator("input[name=devices]")
    assert boxes.count() >= 2
    for index in (0, 1):
        box_id = boxes.nth(index).get_attribute("id")
        # Each box is named by its own label (type, brand, model, grade, price).
        assert page.locator(f"label[for='{box_id}']").inner_text().strip()
        page.locator(f"label[for='{box_id}']").click()
        assert page.locator(f"#{box_id}").is_checked()
    page.get_by_role("button", name="Réserver la sélection").click()
    page.wait_for_selector("text=2 appareil(s) réservé(s).")
    assert Claim.objects.filter(organisation=association).count() == before + 2
    assert_accessible(page)

    # By type and quantity.
    # The label names the smaller limit: what is available, or what the yearly cap still allows.
    page.get_by_label(re.compile(r"^Ordinateur portable \(\d+ (disponible|au plus : plafond annuel)")).fill(
        "2"
    )
    page.get_by_role("button", name="Réserver ces quantités").click()
    page.wait_for_selector("text=2 appareil(s) réservé(s).")
    assert Claim.objects.filter(organisation=association).count() == before + 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
