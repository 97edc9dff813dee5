"""A scanner set to end each scan with Tab instead of Enter, a setting scanners' manuals offer (« suffix: Tab »,
for spreadsheets): at the bench, Tab used to move the focus to the next field, the action list, and the next scan
typed into that list chose an action by its first letters (« P… » : « Passer à … ») without anyone seeing it.
Now the scan field comes after the action, and Tab ending a scan applies it as Enter does."""

import pytest
from playwright.sync_api import expect

from inventory.models import Device
from tests import fixtures
from tests.browser.steps import sign_in
from tests.factories.accounts import PASSWORD
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db(transaction=True)

workshop = fixtures.workshop
technician = fixtures.technician


def test_a_scan_ended_by_tab_is_applied_and_the_next_scan_keeps_the_action(page, workshop, technician):
    first = DeviceFactory(workshop=workshop, serial="PF1ABCDE")
    second = DeviceFactory(workshop=workshop, serial="5CG7341QZW")
    sign_in(page, technician.email, PASSWORD)
    page.goto("/atelier/etabli/")
    page.get_by_label("Action").select_option("labels")
    scan = page.get_by_label("Scanner ou saisir une étiquette")
    scan.focus()

    page.keyboard.type("PF1ABCDE")
    page.keyboard.press("Tab")
    expect(page.locator(".bench-results li")).to_have_count(1)
    page.keyboard.type("5CG7341QZW")
    page.keyboard.press("Tab")

    expect(page.locator(".bench-results li")).to_have_count(2)
    expect(page.locator(".bench-results")).to_contain_text(first.asset_tag)
    expect(page.locator(".bench-results")).to_contain_text(second.asset_tag)
    expect(page.get_by_label("Action")).to_have_value("labels")
    expect(scan).to_be_focused()


def test_tab_from_an_empty_scan_field_still_moves_on(page, workshop, technician):
    sign_in(page, technician.email, PASSWORD)
    page.goto("/atelier/etabli/")
    page.get_by_label("Scanner ou saisir une étiquette").focus()

    page.keyboard.press("Tab")

    expect(page.get_by_role("button", name="Appliquer")).to_be_focused()


def test_at_check_in_a_scan_ended_by_tab_receives_the_device(page, workshop, technician):
    sign_in(page, technician.email, PASSWORD)
    page.goto("/atelier/entree/")
    page.get_by_label("Type").select_option("laptop")
    page.get_by_label("Numéro de série").focus()

    page.keyboard.type("PF1ABCDE")
    page.keyboard.press("Tab")

    expect(page.get_by_text("Appareil reçu : étiquette")).to_be_visible()
    assert Device.objects.get(workshop=workshop).serial == "PF1ABCDE"
