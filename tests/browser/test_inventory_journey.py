"""A technician, on a phone-sized screen, checks in a donated lot in bench mode by scanning tags, prints labels,
wipes, grades and lists a laptop, which the real worker offers to the household waiting for one; axe-core finds
no WCAG 2.1 A/AA violation on any page."""

import pytest
from playwright.sync_api import expect

from donations.enums import LotStatus
from inventory.models import Device, ErasureRecord
from reuse.accounts.demo import demo_organisation
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim
from reuse.claims.services import waitlist
from tests.browser.steps import sign_in_to_home
from tests.factories.accounts import HouseholdProfileFactory, UserFactory
from tests.factories.donations import LotFactory, LotItemFactory
from tests.factories.eligibility import eligible
from tests.services.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_technician_checks_in_wipes_grades_and_lists_a_laptop(
    page, assert_accessible, sent_by_worker, demo
):
    workshop = demo_organisation("workshop")
    # A household of the workshop's department waits for a laptop: listing one must reach her, via the worker.
    waiting = eligible(
        HouseholdProfileFactory(user=UserFactory(email="mariam@example.test"), postcode="93200").user
    )
    waitlist.join_waitlist(
        actor=waiting,
        device_type="laptop",
        max_price_cents=None,
        lives_in_qpv_zrr=True,
        no_computer=True,
        children_at_school=True,
    )
    lot = LotFactory(assigned=True, workshop=workshop, status=LotStatus.RECEIVED, title="Lot Assurances 2026")
    LotItemFactory(described=True, lot=lot, serial="PF1ABCDE", brand="Lenovo", model="ThinkPad T480")
    LotItemFactory(
        described=True, lot=lot, serial="PF2FGHIJ", brand="Lenovo", model="ThinkPad T480", mdm_released=False
    )

    sign_in_to_home(page, "atelier@example.org", "workshop")
    assert_accessible(page)

    page.get_by_role("link", name="Mode établi").first.click()
    # The click navigates: wait for the bench page to take the focus instead of reading it mid-load.
    expect(page.locator("#id_code")).to_be_focused()
    assert_accessible(page)
    page.get_by_label("Action").select_option("checkin")
    page.get_by_label("Lot reçu").select_option(label="Lot Assurances 2026")
    scan = page.get_by_label("Scanner ou saisir une étiquette")
    scan.fill("PF1ABCDE")
    scan.press("Enter")
    page.wait_for_selector("text=Reçu : étiquette")
    # The action and lot stay chosen and the focus is back in the scan field: the next scan is one keystroke.
    expect(page.locator("#id_code")).to_be_focused()
    page.keyboard.type("PF2FGHIJ")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Non levé : libéré de la gestion de flotte")
    assert_accessible(page)
    assert Device.objects.filter(lot=lot).count() == 2
    tag = Device.objects.get(serial="PF1ABCDE").asset_tag

    labels = page.request.get("/atelier/etiquettes.pdf?queue=1&sheet=a4-3x7")
    assert labels.headers["content-type"] == "application/pdf" and labels.body().startswith(b"%PDF")

    page.get_by_role("link", name=tag).first.click()
    page.wait_for_selector(f"h1:has-text('{tag}')")
    assert_accessible(page)
    page.get_by_role("button", name="Prêt").click()
    page.wait_for_selector("text=État : Prêt")

    page.locator("#erasure_media_serial").fill("S3Z9NB0K123")
    page.locator("#erasure_media_type").select_option("nvme")
    page.locator("#erasure_method").select_option("purge")
    page.locator("#erasure_tool").fill("nwipe")
    page.locator("#erasure_tool_version").fill("0.34")
    page.locator("#erasure_verified").check()
    page.get_by_role("button", name="Enregistrer l’effacement").click()
    page.wait_for_selector("text=Effacement vérifié enregistré")
    assert_accessible(page)
    assert ErasureRecord.objects.get(device__asset_tag=tag).verified

    page.locator("#price_grade").select_option("B")
    page.locator("#price_price_euros").fill("25")
    page.get_by_role("button", name="Mettre en ligne").click()
    page.wait_for_selector("text=Appareil mis en ligne.")
    assert_accessible(page)
    device = Device.objects.get(asset_tag=tag)
    assert (device.grade, device.price_cents) == ("B", 2500)

    # The worker offers the new laptop to the household at the top of the waitlist, and emails her.
    offer = wait_for(lambda: Claim.objects.filter(device=device).first(), timeout=30)
    assert offer is not None, "the worker made no offer from the waitlist"
    assert (offer.beneficiary, offer.status) == (waiting, ClaimStatus.RESERVED)
    sent_by_worker("claim_reserved", "mariam@example.test")

    page.get_by_role("link", name="Stock", exact=True).click()
    page.get_by_label("État", exact=True).select_option("reserved")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_selector(f"text={tag}")
    assert_accessible(page)


def test_registration_check_in_and_import_pages_pass_axe(page, assert_accessible, demo):
    page.goto("/atelier/inscription/")
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer l’inscription").click()
    page.wait_for_selector("#form-errors")
    assert_accessible(page)

    workshop = demo_organisation("workshop")
    lot = LotFactory(assigned=True, workshop=workshop, status=LotStatus.ACCEPTED, title="Lot Mairie")
    LotItemFactory(described=True, lot=lot, serial="IP8-001", type="smartphone", activation_lock_off=False)
    sign_in_to_home(page, "atelier@example.org", "workshop")
    page.get_by_role("link", name="Lot Mairie").click()
    page.wait_for_selector("text=Non levé : Localiser")
    assert_accessible(page)
    page.get_by_label("Numéro de série").fill("IP8-001")
    page.get_by_role("button", name="Recevoir").click()
    page.wait_for_selector("text=Appareil reçu : étiquette")
    assert_accessible(page)
    assert Device.objects.get(serial="IP8-001").type == "smartphone"

    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("Fichier CSV").set_input_files(
        files=[
            {
                "name": "stock.csv",
                "mimeType": "text/csv",
                "buffer": b"serial;type\nW-1;laptop\nW-2;grille-pain\n",
            }
        ]
    )
    page.get_by_role("button", name="Importer").click()
    page.wait_for_selector("text=rien n’a été importé")
    assert_accessible(page)
    assert not Device.objects.filter(serial="W-1").exists()
