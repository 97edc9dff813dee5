"""The eligibility questionnaire in a phone's browser with JavaScript off: the browser's Back and the page's
« Retour » show the previous question with its answer, and a browser closed mid-way (its cookies gone) takes the
questionnaire up where it was once the household signs in again. (axe-core, a script, checks these pages with
JavaScript on in test_eligibility_journey.py.)"""

import pytest
from playwright.sync_api import expect

from tests.browser.steps import phone_page, sign_in
from tests.factories.accounts import household
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "un-mot-de-passe-long"
AID = "RSA (revenu de solidarité active)"


def sign_in_here(page, email):
    """The sign-in page the questionnaire sent the person to, filled as a person would."""
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_back_keeps_the_answer_and_a_closed_browser_takes_up_where_it_was(
    browser, live_server, assert_accessible
):
    ProgrammeFactory(declarations=True)
    person = household(postcode="93200", email="questionnaire-back@example.test")
    person.set_password(PASSWORD)
    person.save()
    page = phone_page(browser, live_server.url, java_script_enabled=False)
    sign_in(page, person.email, PASSWORD)
    page.goto("/eligibilite/questionnaire/")
    page.get_by_label(AID).check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name="Comment le prouver ?").wait_for()

    page.go_back()  # the browser's own Back
    page.get_by_role("heading", name="Recevez-vous une aide ?").wait_for()
    expect(page.get_by_label(AID)).to_be_checked()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name="Comment le prouver ?").wait_for()
    assert "Question 2" in page.content()
    page.get_by_role("link", name="Retour à la question précédente").click()  # the page's own
    expect(page.get_by_label(AID)).to_be_checked()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Je le déclare sur l’honneur").check()

    page.context.clear_cookies(name="sessionid")  # the session ended while the phone was locked
    page.get_by_role("button", name="Continuer").click()
    sign_in_here(page, person.email)
    page.get_by_role("heading", name="Comment le prouver ?").wait_for()
    expect(
        page.get_by_label("Je le déclare sur l’honneur")
    ).to_be_checked()  # what was being chosen comes back
    assert "vous reprenez où vous en étiez" in page.content()

    page.context.clear_cookies()  # the browser was killed: every cookie is gone
    page.goto("/eligibilite/questionnaire/")
    sign_in_here(page, person.email)
    page.get_by_role("heading", name="Comment le prouver ?").wait_for()
    assert "Question 2" in page.content()
    page.get_by_label("Je le déclare sur l’honneur").check()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_selector("[data-decision-status=eligible]")
    page.context.close()
