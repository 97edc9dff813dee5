"""Issue 19's journeys on a 360 px phone, each page checked by axe: a warranty swap opened with the handover code,
a referrer's 3-month follow-up for a household without email, a small business paying with an equipment cheque,
and the waitlist ordered by territory."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from inventory.enums import DeviceState
from inventory.models import Device
from reuse.accounts.demo import demo_organisation, demo_user
from reuse.accounts.models import Organisation
from reuse.aftercare.models import FollowUp, Ticket
from reuse.claims import handover as counter
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim, Voucher, WaitlistEntry
from reuse.claims.services import waitlist
from reuse.structures.models import ChequeProgramme, StructureProfile
from tests.aftercare.helpers import handed_over
from tests.browser.steps import phone_page, sign_in
from tests.factories.accounts import PASSWORD, HouseholdProfileFactory, UserFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "navy").save(out, "PNG")
    return out.getvalue()


def test_a_household_opens_a_ticket_with_its_handover_code_and_gets_a_swap(
    page, browser, live_server, assert_accessible, demo
):
    household = eligible(
        HouseholdProfileFactory(user=UserFactory(email="ines@example.test"), postcode="93200").user
    )
    atelier = demo_organisation("workshop")
    claim, _tech = handed_over(household=household, workshop=atelier, free=True)
    spare = DeviceFactory(listed=True, workshop=atelier, free=True, model="Latitude 5490 (échange)")

    page.goto("/")
    page.get_by_role("link", name="Un problème avec votre appareil ?").click()
    assert_accessible(page)
    page.get_by_label("Numéro du reçu de remise").fill(str(claim.pk))
    page.get_by_label("Code de remise").fill(claim.handover_code_display.lower())
    page.get_by_label("Qu’est-ce qui ne va pas ?").fill(
        "L’ordinateur s’éteint tout seul au bout de dix minutes."
    )
    page.get_by_label("Une photo (facultatif)").set_input_files(
        files=[{"name": "photo.png", "mimeType": "image/png", "buffer": png()}]
    )
    page.get_by_role("button", name="Envoyer à l’atelier").click()
    page.wait_for_selector("[data-ticket-status=open]")
    assert_accessible(page)
    ticket = Ticket.objects.get(claim=claim)
    assert ticket.photo

    workshop = phone_page(browser, live_server.url)
    sign_in(workshop, "atelier@example.org")
    workshop.goto("/garantie/atelier/")
    assert_accessible(workshop)
    workshop.get_by_role("link", name=f"Ticket n° {ticket.pk}").click()
    assert_accessible(workshop)
    workshop.get_by_text("Échanger contre un autre appareil").click()
    workshop.get_by_label("Appareil donné à la place").select_option(str(spare.pk))
    workshop.locator("form[action$='/swap/']").get_by_label(
        "Retour en stock (à remettre en état et effacer)"
    ).check()
    workshop.get_by_role("button", name="Échanger").click()
    workshop.wait_for_selector("[data-ticket-status=swapped]")
    assert_accessible(workshop)
    assert "data-replacement-code" not in workshop.content()  # the workshop never reads the claimant's code

    page.reload()
    page.wait_for_selector("[data-ticket-status=swapped]")
    code = page.locator("[data-replacement-code]").inner_text()
    assert_accessible(page)
    ticket.refresh_from_db()
    replacement = ticket.replacement_claim
    assert code == replacement.handover_code_display and replacement.status == ClaimStatus.CONFIRMED
    counter.hand_over(actor=demo_user("atelier@example.org"), claim_id=replacement.pk, code=code)
    assert Device.objects.get(pk=spare.pk).state == DeviceState.HANDED_OVER
    assert Device.objects.get(pk=claim.device_id).state == DeviceState.IN_REPAIR
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.RETURNED
    workshop.context.close()


def test_a_referrer_fills_in_the_three_month_follow_up_for_a_household_without_email(
    page, assert_accessible, demo
):
    follow_up = FollowUp.objects.get(claim__beneficiary__email__isnull=True, answered_at__isnull=True)
    sign_in(page, "prescripteur@example.org")
    page.get_by_role("link", name="Questionnaires à 3 mois des foyers accompagnés").click()
    assert_accessible(page)
    page.get_by_role("link", name="Mamadou Traoré : Smartphone").click()
    assert_accessible(page)
    page.get_by_label("Oui, de temps en temps").check()
    page.get_by_label("Garder le lien avec la famille et les proches").check()
    page.get_by_label("Santé (rendez-vous, remboursements)").check()
    page.locator("input[name=has_problem][value=no]").check()
    page.locator("input[name=wants_help][value=yes]").check()
    page.get_by_role("button", name="Envoyer les réponses").click()
    page.wait_for_selector("[data-follow-up-done]")
    expect(page.locator("[data-help]")).to_be_visible()
    expect(page.locator("[data-help]")).to_contain_text("Atelier du Rebond Saint-Denis")
    assert_accessible(page)
    follow_up.refresh_from_db()
    assert follow_up.channel == "referrer" and follow_up.usage == "sometimes" and follow_up.wants_help
    assert follow_up.purposes == ["family", "health"] and follow_up.ticket is None


def test_a_small_business_registers_redeems_an_equipment_cheque_and_gets_a_device(
    page, browser, live_server, assert_accessible, demo
):
    page.goto("/")
    page.get_by_role("link", name="Petites structures : chèques équipement").click()
    assert_accessible(page)
    page.get_by_role("link", name="Inscrire ma structure").click()
    assert_accessible(page)
    page.get_by_label("Nom de la structure").fill("Atelier Couture Diop")
    page.get_by_label("SIRET").fill("404 833 048 00022")
    page.get_by_label("Travailleur indépendant, micro-entrepreneur").check()
    page.get_by_label("Combien de personnes y travaillent (vous compris) ?").fill("1")
    page.get_by_label("Votre activité").fill("Retouches et couture")
    page.locator("#id_address").fill("14 rue Gabriel Péri")
    page.get_by_label("Code postal").fill("93200")
    page.get_by_label("Commune").fill("Saint-Denis")
    page.get_by_label("Votre prénom").fill("Aminata")
    page.get_by_label("Votre nom").fill("Diop")
    page.get_by_label("Votre adresse e-mail").fill("aminata@example.test")
    page.get_by_label("Choisissez un mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="M’inscrire").click()
    page.wait_for_selector("[data-structure-registered]")
    assert_accessible(page)

    profile = StructureProfile.objects.get(organisation__siret="40483304800022")
    staff = phone_page(browser, live_server.url)
    sign_in(staff, "hub@example.org")
    staff.goto(f"/admin/structures/profile/verify/{profile.pk}/")
    staff.get_by_role("button", name="Oui, la structure est vérifiée").click()
    staff.wait_for_load_state()
    staff.context.close()
    profile.refresh_from_db()
    assert profile.is_verified

    device = DeviceFactory(
        listed=True, workshop=demo_organisation("workshop"), price_cents=4500, model="EliteBook 840 G5"
    )
    code = (
        ChequeProgramme.objects.get()
        .batches.get()
        .cheques.filter(voucher__redeemed_at__isnull=True)
        .first()
        .voucher.code
    )
    # Through the catalogue, like an association: the cheque's code goes with the request.
    page.goto(f"/catalogue/{device.pk}/")
    assert_accessible(page)
    page.get_by_label("Code de chèque numérique (facultatif)").fill(code)
    page.get_by_role("button", name="Réserver pour l’association").click()
    page.wait_for_selector("[data-claim-status=confirmed]")
    claim = Claim.objects.get(device=device)
    assert_accessible(page)
    claim.refresh_from_db()
    assert claim.voucher_cents == 4500 and Voucher.objects.get(code=code).claim_id == claim.pk
    handover = page.locator("[data-handover-code]").inner_text()
    counter.hand_over(actor=demo_user("atelier@example.org"), claim_id=claim.pk, code=handover)
    assert Device.objects.get(pk=device.pk).state == DeviceState.HANDED_OVER


def test_the_waitlist_orders_two_otherwise_equal_households_by_territory(
    page, browser, live_server, assert_accessible, demo
):
    town = eligible(
        HouseholdProfileFactory(user=UserFactory(email="cergy@example.test"), postcode="95000").user
    )
    village = eligible(
        HouseholdProfileFactory(user=UserFactory(email="vetheuil@example.test"), postcode="95510").user
    )

    sign_in(page, town.email, PASSWORD)
    page.goto("/demandes/liste-attente/")
    page.get_by_label("Type d’appareil").select_option("laptop")
    # Ticking the box earns nothing: the territory comes from the address or a referrer.
    page.get_by_label("J’habite dans un quartier prioritaire (QPV) ou une zone rurale (ZRR)").check()
    page.get_by_role("button", name="M’inscrire sur la liste").click()
    page.wait_for_selector("[data-waitlist-position]")
    expect(page.locator("[data-waitlist-position]")).to_contain_text("position 1")

    rural = phone_page(browser, live_server.url)
    sign_in(rural, village.email, PASSWORD)
    rural.goto("/demandes/liste-attente/")
    rural.get_by_label("Type d’appareil").select_option("laptop")
    rural.get_by_role("button", name="M’inscrire sur la liste").click()
    rural.wait_for_selector("[data-waitlist-position]")
    expect(rural.locator("[data-waitlist-position]")).to_contain_text("position 1")
    assert_accessible(rural)
    rural.get_by_role(
        "link", name="Les points des territoires fragiles (QPV, zones rurales, outre-mer) et leurs sources"
    ).first.click()
    expect(rural.locator("[data-weight-rural]").first).to_have_text("30")
    assert "France Ruralités Revitalisation" in rural.content()
    assert_accessible(rural)

    page.reload()
    expect(page.locator("[data-waitlist-position]")).to_contain_text("position 2")
    workshop = Organisation.objects.filter(kind="workshop").first()
    workshop_95 = DeviceFactory(
        listed=True, free=True, workshop__department="95", workshop__postcode="95000"
    ).workshop
    assert workshop_95 != workshop
    offered = waitlist.offer_device(Device.objects.filter(workshop=workshop_95).get().pk)
    assert offered.beneficiary == village
    assert WaitlistEntry.objects.get(beneficiary=town).status == "waiting"
    rural.context.close()
    assert timezone.now() - timedelta(minutes=30) < offered.created
