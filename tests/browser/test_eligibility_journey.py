import pytest
from playwright.sync_api import expect

from reuse.accounts.models import User
from reuse.eligibility.models import EligibilityDecision, Mandate
from tests.browser.steps import sign_in_to_home
from tests.documents import PDF

pytestmark = pytest.mark.django_db(transaction=True)


def test_referrer_creates_a_household_without_email_records_a_mandate_and_attests_rsa(
    page, assert_accessible, demo
):
    sign_in_to_home(page, "prescripteur@example.org", "referrer")
    assert_accessible(page)

    page.get_by_role("link", name="Créer le compte d’une personne").click()
    assert_accessible(page)
    page.get_by_label("Prénom").fill("Aïcha")
    page.locator("#id_last_name").fill("Mansouri")
    page.get_by_label("Date de naissance").fill("1970-09-03")
    page.get_by_label("Code postal").fill("93120")
    page.get_by_label("Personnes dans le foyer").fill("2")
    page.get_by_label("Mandat signé à l’écran").check()
    page.get_by_label("Nom écrit par la personne (signature à l’écran)").fill("Aïcha Mansouri")
    page.get_by_label("La personne a lu le mandat et donne son accord.").check()
    page.get_by_role("button", name="Créer le compte et le mandat").click()
    page.get_by_role("heading", name="Aïcha Mansouri").wait_for()
    assert "sans adresse e-mail" in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Imprimer le mandat").first.click()
    # The click only starts the navigation: read the printed page once it is there, not mid-load.
    expect(page.locator("body")).to_contain_text("Aïcha Mansouri (signé à l’écran)")
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name="Attester des droits").click()
    assert_accessible(page)
    page.get_by_label("RSA (revenu de solidarité active)").check()
    page.get_by_label("J’ai vu les justificatifs originaux de ces droits.").check()
    page.get_by_role("button", name="Attester").click()
    page.wait_for_selector("[data-decision-status=eligible]")
    # Addressed to the referrer, about the person (not "Vous avez droit…" as if the referrer were the household).
    assert "Aïcha Mansouri a droit aux appareils solidaires." in page.content()
    assert "Vous avez droit" not in page.content()
    assert_accessible(page)

    household = User.objects.get(last_name="Mansouri")
    decision = EligibilityDecision.objects.get(beneficiary=household)
    assert household.email is None and decision.is_valid
    assert f"{decision.last_valid_day.day} " in page.locator("[data-decision-status]").inner_text()

    # The person gives a new consent: refused without the box ticked, then recorded and ready to print.
    first_mandate = Mandate.objects.get(household=household)
    page.goto(f"/eligibilite/prescripteur/foyers/{household.pk}/mandat/")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer le nouveau mandat").click()
    page.locator("#id_consent_error").wait_for()
    assert page.locator("#id_consent").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.get_by_label("La personne a lu le mandat et donne son accord.").check()
    page.get_by_role("button", name="Enregistrer le nouveau mandat").click()
    page.get_by_text("Le nouveau mandat est enregistré").wait_for()
    assert_accessible(page)
    renewed = Mandate.objects.active().get(household=household)
    assert renewed != first_mandate and renewed.consent_method == "printed"

    page.get_by_role("button", name="Imprimer un code de connexion").click()
    code = page.locator("[data-sign-in-code]").inner_text()
    assert_accessible(page)

    # The household signs in with the printed code and reads what was done on its behalf.
    page.context.clear_cookies()
    page.goto("/eligibilite/connexion-code/")
    assert_accessible(page)
    page.get_by_label("Votre code de connexion").fill(code)
    page.get_by_role("button", name="Entrer").click()
    page.wait_for_selector("[data-role-page=household]")
    assert "Éligibilité attestée" in page.content()
    assert_accessible(page)


def test_household_questionnaire_pages_pass_axe(page, assert_accessible, demo):
    page.goto("/eligibilite/inscription/")
    assert_accessible(page)
    page.get_by_label("Votre prénom").fill("Lina")
    page.locator("#id_last_name").fill("Garcia")
    page.get_by_label("Votre adresse e-mail").fill("lina@example.test")
    page.get_by_label("Choisissez un mot de passe").fill("un-mot-de-passe-solide")
    page.get_by_label("Votre code postal").fill("93200")
    page.get_by_role("button", name="Créer mon compte").click()
    page.get_by_role("heading", name="Recevez-vous une aide ?").wait_for()
    assert_accessible(page)
    page.get_by_label("Complémentaire santé solidaire").check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name="Comment le prouver ?").wait_for()
    assert_accessible(page)
    page.get_by_label("J’envoie une photo ou un PDF", exact=False).check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name="Envoyez votre justificatif").wait_for()
    assert_accessible(page)
    page.get_by_label("Votre justificatif").set_input_files(
        {"name": "attestation.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_selector("[data-decision-status=pending]")
    assert_accessible(page)
