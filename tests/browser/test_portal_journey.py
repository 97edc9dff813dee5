import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from cms.groups import COORDINATORS
from cms.models import HomePage, NewsIndexPage
from tests.browser.steps import approve_pending_organisation
from tests.factories.accounts import PASSWORD, OrganisationFactory, UserFactory
from tests.factories.inventory import WorkshopProfileFactory
from tests.portal.conftest import SEEDED_PAGES

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_page_type_passes_axe_on_a_phone_in_both_languages(page, assert_accessible, demo):
    for path in SEEDED_PAGES:
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)

    # The FAQ with an answer open, and the eligibility form in its error state.
    page.goto("/questions-frequentes/")
    page.locator("summary").first.click()
    assert_accessible(page)
    page.goto("/conditions-eligibilite/?departement=13")
    assert page.get_by_label("Votre département").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.get_by_label("Votre département").select_option("95")
    page.get_by_role("button", name="Voir les règles").click()
    expect(page.locator("#rules-title")).to_contain_text("département 95")

    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    assert page.locator("html").get_attribute("lang") == "en"
    for path in ("/", "/comment-ca-marche/", "/conditions-eligibilite/", "/questions-frequentes/"):
        page.goto(path)
        assert_accessible(page)
    page.goto("/")
    expect(page.get_by_role("heading", name="I need a device")).to_be_visible()


def test_keyboard_users_skip_to_the_content_and_see_the_focus(page, demo):
    page.goto("/comment-ca-marche/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_a_coordinator_runs_the_site_from_the_admin(page, live_server, assert_accessible, demo):
    coordinator = UserFactory(email="coordination@rebond.example", is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATORS))
    pending = OrganisationFactory(workshop=True, pending=True, name="Répar’Tout Argenteuil", department="95")
    WorkshopProfileFactory(on_map=True, organisation=pending, opening_hours="We 14:00-18:00")
    home = HomePage.objects.get(locale__language_code="fr")
    news = NewsIndexPage.objects.get(locale__language_code="fr")
    csp_errors = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and csp_errors.append(message.text),
    )

    page.goto("/admin/login/")
    page.locator("#id_username").fill(coordinator.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert page.locator("#lots-awaiting-assignment-section").count() == 1

    # Edit the home page's introduction and publish it. Every rich text editor of the page is named.
    page.goto(f"/admin/pages/{home.pk}/edit/")
    page.wait_for_selector("[contenteditable=true][role=textbox]")
    assert page.locator("[contenteditable=true][role=textbox]:not([aria-label])").count() == 0
    assert_accessible(page)
    page.locator("#id_intro").fill("Des ordinateurs reconditionnés pour celles et ceux qui en ont besoin.")
    publish(page)
    # The confirmation slides in at full opacity: no fade that would dip below AA contrast while it runs.
    fading = page.evaluate(
        """() => document.getAnimations().filter(a => a.transitionProperty === 'opacity'
            && a.effect && a.effect.target && a.effect.target.closest('.messages')).length"""
    )
    assert fading == 0
    assert_accessible(page)
    page.goto("/")
    assert (
        page.locator(".lead").inner_text()
        == "Des ordinateurs reconditionnés pour celles et ceux qui en ont besoin."
    )

    # Publish a news article.
    page.goto(f"/admin/pages/add/cms/newspage/{news.pk}/")
    page.locator("#id_title").fill("Un deuxième atelier à Argenteuil")
    page.locator("#id_intro").fill("L’atelier Répar’Tout rejoint le réseau.")
    publish(page)
    page.goto("/actualites/")
    expect(page.get_by_role("link", name="Un deuxième atelier à Argenteuil")).to_be_visible()

    # Approve the workshop, then find it in the directory and in the open data.
    approve_pending_organisation(page, "Répar’Tout Argenteuil")
    page.goto("/ateliers/departement/95/")
    expect(page.get_by_role("heading", name="Répar’Tout Argenteuil")).to_be_visible()
    lieux = page.request.get(f"{live_server.url}/api/v1/open-data/lieux.json").json()
    assert "Répar’Tout Argenteuil" in [lieu["nom"] for lieu in lieux]
    assert csp_errors == [], "\n".join(csp_errors)


def publish(page):
    """Wagtail's footer: the primary action saves a draft; Publish sits in the actions dropdown."""
    page.locator("footer .dropdown-toggle, footer [data-w-dropdown-target=toggle]").first.click()
    page.locator("footer button[name=action-publish]").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
