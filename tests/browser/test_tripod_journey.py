"""The tripod on a 360 px phone, axe on every page: a household eligible on RSA claims a laptop, sees the offers
its criteria open and prints the orientation sheet, books a first-use session at the workshop, and is handed
the device with the checklist completed; the same with JavaScript off; and a referrer doing it for a household."""

import re

import pytest
from playwright.sync_api import expect

from reuse.claims.models import Claim
from reuse.eligibility.models import EligibilityDecision
from reuse.tripod.models import HandoverChecklist, Orientation, SessionBooking
from tests.browser.steps import phone_page, sign_in
from tests.factories.accounts import (
    PASSWORD,
    HouseholdProfileFactory,
    OrganisationFactory,
    UserFactory,
    member_of,
)
from tests.factories.eligibility import eligible, referrer_with_household
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory
from tests.factories.tripod import (
    AllowanceStockFactory,
    CommunePointFactory,
    ConnectivityOfferFactory,
    MediationPlaceFactory,
    SessionSlotFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def tripod_world():
    ProgrammeFactory()
    workshop = OrganisationFactory(open_workshop=True, name="Atelier Solidaire Saint-Denis")
    laptop = DeviceFactory(listed=True, workshop=workshop, free=True, brand="Lenovo", model="ThinkPad T480")
    ConnectivityOfferFactory(name="Forfait mobile social", monthly_price_cents=999)
    ConnectivityOfferFactory(name="Box internet sociale", kind="home_internet", monthly_price_cents=1999)
    ConnectivityOfferFactory(name="Forfait boursiers", criteria=["bourse"])
    CommunePointFactory()
    MediationPlaceFactory(name="Médiathèque du centre", opening_hours="Tu-Sa 10:00-18:00")
    slot = SessionSlotFactory(workshop=workshop, capacity=6)
    AllowanceStockFactory(workshop=workshop, description="Carte SIM 20 Go")
    technician = member_of(workshop, email="technicien@example.test")
    return workshop, laptop, slot, technician


def print_sheet(page, offer_name):
    """The button records the orientation and hands over the sheet as a file."""
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile(f"Imprimer la fiche.*{offer_name}")).click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as sheet:
        assert sheet.read(5) == b"%PDF-"


def offers_then_claim(page, assert_accessible, decision, laptop, slot, pour=""):
    page.goto(decision_url(decision))
    assert_accessible(page)
    offers = page.locator("[data-offers] h3").all_inner_texts()
    # Cheapest first; the offer for students on a grant is not opened by RSA.
    assert [o.split(" — ")[1] for o in offers] == ["Forfait mobile social", "Box internet sociale"]
    expect(page.locator("[data-places-approximation]")).to_be_visible()
    assert "Médiathèque du centre" in page.content()
    print_sheet(page, "Forfait mobile social")
    page.goto(f"/catalogue/{laptop.pk}/{pour}")
    assert_accessible(page)
    page.get_by_role("button", name="Réserver cet appareil").click()
    page.wait_for_selector("[data-claim-status=confirmed]")
    assert_accessible(page)
    page.get_by_label(re.compile("Atelier Solidaire Saint-Denis")).check()
    page.get_by_role("button", name="Réserver cette séance").click()
    page.wait_for_selector("[data-booking=booked]")
    assert_accessible(page)
    code = page.locator("[data-handover-code]").inner_text()
    page.get_by_role("link", name="Version à imprimer").click()
    expect(page.locator("[data-session-reminder]")).to_be_visible()
    assert_accessible(page)
    return code


def decision_url(decision):
    from django.urls import reverse

    return reverse("eligibility:decision", args=[decision.pk])


def hand_over(browser, live_server, technician, claim, code, assert_accessible, javascript=True):
    counter = phone_page(browser, live_server.url, java_script_enabled=javascript)
    try:
        sign_in(counter, technician.email, PASSWORD)
        counter.goto("/demandes/atelier/remise/")
        assert_accessible(counter)
        counter.get_by_label("Numéro de la demande").fill(str(claim.pk))
        counter.get_by_label("Code de remise").fill(code)
        counter.get_by_role("button", name="Vérifier le code").click()
        counter.wait_for_selector("[data-checklist]")
        assert_accessible(counter)
        for box in counter.locator("[data-checklist] input[type=checkbox]").all():
            box.check()
        counter.get_by_label("Forfait de données remis").select_option(index=1)
        counter.get_by_role("button", name="Remettre l’appareil").click()
        counter.get_by_role("heading", name="Appareil remis").wait_for()
        assert_accessible(counter)
    finally:
        counter.context.close()


def run_household_journey(page, browser, live_server, assert_accessible, javascript):
    _workshop, laptop, slot, technician = tripod_world()
    household = eligible(
        HouseholdProfileFactory(user=UserFactory(email="nadia@example.test"), postcode="93200").user
    )
    decision = EligibilityDecision.objects.get(beneficiary=household)
    sign_in(page, household.email, PASSWORD)
    code = offers_then_claim(page, assert_accessible, decision, laptop, slot)
    claim = Claim.objects.get(beneficiary=household)
    assert Orientation.objects.get(household=household).offer.name == "Forfait mobile social"
    assert SessionBooking.objects.get(household=household).slot == slot

    hand_over(browser, live_server, technician, claim, code, assert_accessible, javascript=javascript)

    claim.refresh_from_db()
    assert claim.status == "handed_over" and HandoverChecklist.objects.get(claim=claim).complete
    page.goto(f"/demandes/{claim.pk}/")
    expect(page.locator("[data-handed-with]")).to_be_visible()
    assert "Carte SIM 20 Go" in page.content()
    assert_accessible(page)


def test_a_household_on_rsa_is_equipped_oriented_and_booked_for_a_first_use_session(
    page, browser, live_server, assert_accessible
):
    run_household_journey(page, browser, live_server, assert_accessible, javascript=True)


def test_the_same_journey_without_javascript(page, browser, live_server):
    """axe-core runs JavaScript, so it cannot check a page in a browser where JavaScript is off: the same pages
    pass axe in the journey above; here every step is done with forms and links only."""
    no_script = phone_page(browser, live_server.url, java_script_enabled=False)
    try:
        run_household_journey(no_script, browser, live_server, lambda page: None, javascript=False)
    finally:
        no_script.context.close()


def test_a_referrer_does_it_on_a_households_behalf(page, browser, live_server, assert_accessible):
    _workshop, laptop, slot, technician = tripod_world()
    referrer, household = referrer_with_household()
    referrer.email = "prescriptrice@example.test"
    referrer.save()
    decision = EligibilityDecision.objects.get(beneficiary=household)
    sign_in(page, referrer.email, PASSWORD)
    code = offers_then_claim(page, assert_accessible, decision, laptop, slot, pour=f"?pour={household.pk}")
    claim = Claim.objects.get(beneficiary=household)
    assert claim.claimed_by == referrer
    booking = SessionBooking.objects.get(household=household)
    assert booking.booked_by == referrer and booking.mandate is not None

    hand_over(browser, live_server, technician, claim, code, assert_accessible)

    page.goto(f"/eligibilite/prescripteur/foyers/{household.pk}/")
    legs = page.locator("[data-legs]")
    expect(legs.locator("[data-leg=device]")).to_contain_text("Remis")
    expect(legs.locator("[data-leg=connection]")).to_contain_text("Forfait mobile social : orienté(e)")
    expect(legs.locator("[data-leg=skills]")).to_contain_text("réservée")
    assert_accessible(page)
