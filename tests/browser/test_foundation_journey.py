import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_donor_signs_in_on_a_phone_and_every_page_passes_axe(page, assert_accessible, demo):

    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_accessible(page)

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"

    page.get_by_role("link", name="Se connecter").click()
    assert_accessible(page)
    page.get_by_label("Adresse e-mail").fill("donateur@example.org")
    page.get_by_label("Mot de passe").fill("demo-pass-2026")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector("[data-role-page=donor]")
    assert_accessible(page)

    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    assert page.locator("html").get_attribute("lang") == "en"
