"""The questionnaire's answers kept on the household's account while it is under way: a household on a cheap phone
whose session ends mid-way (phone locked a long while, the browser killed to free memory, the connection lost) takes
it up where it was, not from the first question; going back a step shows its answer; a step sent twice (a double
tap) skips nothing; « Recommencer » and the end of the questionnaire forget the answers; nothing is kept longer than
DRAFT_DAYS, nor more than the answers to the questions (no document, no identity)."""

import datetime
import re

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from reuse.accounts.privacy import close_account, personal_data
from reuse.eligibility.models import EligibilityDecision, QuestionnaireDraft
from reuse.eligibility.services.drafts import DRAFT_DAYS
from reuse.eligibility.tasks import purge_questionnaire_drafts
from tests.eligibility.test_documents import PDF
from tests.factories.accounts import household
from tests.factories.programmes import ProgrammeFactory
from tests.portal.test_session_ended import session_ended

pytestmark = pytest.mark.django_db

QUESTIONNAIRE = "/eligibilite/questionnaire/"
PASSWORD = "un-mot-de-passe-long"


def signed_in(person) -> Client:
    """A browser opened afresh (no cookie kept) in which the household signs in with its password."""
    browser = Client()
    response = browser.post("/compte/connexion/", {"username": person.email, "password": PASSWORD})
    assert response.status_code == 302
    return browser


@pytest.fixture
def person(db):
    ProgrammeFactory(declarations=True)
    user = household()
    user.set_password(PASSWORD)
    user.save()
    return user


def step_of(browser, url=QUESTIONNAIRE):
    return browser.get(url, follow=True).context["step"]


def test_answers_given_survive_a_browser_closed_and_reopened(person):
    phone = signed_in(person)
    phone.post(QUESTIONNAIRE, {"step": "aids"})  # no aid: the quotient familial comes next
    phone.post(QUESTIONNAIRE, {"step": "qf", "quotient_familial_eur": "640"})
    # The browser was killed: its session cookie is gone. Signed in again, the person is where they were.
    again = signed_in(person)
    page = again.get(QUESTIONNAIRE, follow=True)
    assert page.context["step"] == "evidence"
    assert re.search(r"Question 3\b", page.content.decode())
    assert "vous reprenez où vous en étiez" in " ".join(str(m) for m in get_messages(page.wsgi_request))
    # The figure typed before is there, one step back.
    back = again.get(f"{QUESTIONNAIRE}?etape=qf").content.decode()
    assert re.search(r'name="quotient_familial_eur" value="640"', back)
    decision = again.post(QUESTIONNAIRE, {"step": "evidence", "evidence": "declaration"}, follow=True)
    assert decision.context["decision"].quotient_familial_eur == 640
    assert decision.context["decision"].criteria == ["quotient_familial"]


def test_answers_survive_a_session_that_ended_on_the_server(person, client):
    client.force_login(person)
    client.post(QUESTIONNAIRE, {"step": "aids", "aids": ["rsa"]})
    client.session.flush()  # expired, or cleared by the server: the same browser, a new session
    client.cookies.clear()
    client.force_login(person)
    assert step_of(client) == "evidence"


def test_the_step_being_typed_when_the_session_ended_is_given_back_after_signing_in(person):
    phone = signed_in(person)
    phone.post(QUESTIONNAIRE, {"step": "aids"})
    session_ended(
        phone
    )  # while the quotient familial was typed: the session's cookie dropped, the others kept
    sent = phone.post(
        f"{QUESTIONNAIRE}?etape=qf",
        {"step": "qf", "quotient_familial_eur": "512"},
        HTTP_REFERER=f"http://testserver{QUESTIONNAIRE}?etape=qf",
    )
    assert sent.status_code == 302 and sent.url.startswith("/compte/connexion/")
    login = phone.post(sent.url, {"username": person.email, "password": PASSWORD})
    assert login.url == f"{QUESTIONNAIRE}?etape=qf"
    page = phone.get(login.url).content.decode()
    assert re.search(r'name="quotient_familial_eur" value="512"', page)


def test_the_pages_own_back_link_and_the_browsers_back_keep_the_answer(person, client):
    client.force_login(person)
    client.post(QUESTIONNAIRE, {"step": "aids", "aids": ["rsa", "aah"]})
    page = client.get(QUESTIONNAIRE, follow=True)
    # Each question has its own address, so the browser's Back leads to the previous one.
    assert page.redirect_chain == [(f"{QUESTIONNAIRE}?etape=evidence", 302)]
    html = page.content.decode()
    assert f'href="{QUESTIONNAIRE}?etape=aids">Retour' in html
    back = client.get(f"{QUESTIONNAIRE}?etape=aids").content.decode()
    assert re.search(r'value="rsa"[^>]*checked', back) and re.search(r'value="aah"[^>]*checked', back)
    assert "Retour" not in back.split("<main", 1)[-1].split("</form>", 1)[0]
    # Changing the answer there leads on from it: no aid now, so the quotient familial is asked, numbered 2.
    response = client.post(f"{QUESTIONNAIRE}?etape=aids", {"step": "aids"})
    assert response.url == f"{QUESTIONNAIRE}?etape=qf"
    assert re.search(r"Question 2\b", client.get(response.url).content.decode())
    # A question never reached cannot be opened by its address: the current one is shown.
    assert client.get(f"{QUESTIONNAIRE}?etape=document").url == f"{QUESTIONNAIRE}?etape=qf"


def test_an_answer_changed_on_the_way_back_counts_alone(person, client):
    client.force_login(person)
    client.post(QUESTIONNAIRE, {"step": "aids"})
    client.post(QUESTIONNAIRE, {"step": "qf", "quotient_familial_eur": "640"})
    client.post(
        QUESTIONNAIRE, {"step": "aids", "aids": ["rsa"]}
    )  # back to the first question: an aid after all
    decision = client.post(QUESTIONNAIRE, {"step": "evidence", "evidence": "declaration"}, follow=True)
    assert decision.context["decision"].criteria == ["rsa"]
    assert decision.context["decision"].quotient_familial_eur is None


def test_a_step_sent_twice_skips_no_question(person, client):
    client.force_login(person)
    client.post(QUESTIONNAIRE, {"step": "aids"})
    first = client.post(QUESTIONNAIRE, {"step": "qf", "quotient_familial_eur": "640"})
    again = client.post(QUESTIONNAIRE, {"step": "qf", "quotient_familial_eur": "640"})
    assert first.url == again.url == f"{QUESTIONNAIRE}?etape=evidence"
    assert step_of(client) == "evidence"
    assert not EligibilityDecision.objects.exists()


def test_recommencer_forgets_the_answers(person, client):
    client.force_login(person)
    client.post(QUESTIONNAIRE, {"step": "aids", "aids": ["rsa"]})
    page = client.get(QUESTIONNAIRE, follow=True).content.decode()
    assert re.search(r'<form method="post"[^>]*>.*name="recommencer".*?Recommencer', page, re.S)
    response = client.post(QUESTIONNAIRE, {"recommencer": "1"})
    assert response.url == f"{QUESTIONNAIRE}?etape=aids"
    assert not QuestionnaireDraft.objects.exists()
    assert not re.search(r'value="rsa"[^>]*checked', client.get(response.url).content.decode())
    # A link followed (a crawler, a prefetch) forgets nothing: only the button does.
    client.post(QUESTIONNAIRE, {"step": "aids", "aids": ["rsa"]})
    client.get(f"{QUESTIONNAIRE}?recommencer=1", follow=True)
    assert QuestionnaireDraft.objects.filter(household=person).exists()


def test_the_end_of_the_questionnaire_forgets_the_answers(person, client):
    client.force_login(person)
    client.post(QUESTIONNAIRE, {"step": "aids", "aids": ["rsa"]})
    client.post(QUESTIONNAIRE, {"step": "evidence", "evidence": "document"})
    client.post(QUESTIONNAIRE, {"step": "document", "file": SimpleUploadedFile("caf.pdf", PDF)})
    assert EligibilityDecision.objects.count() == 1
    assert not QuestionnaireDraft.objects.exists()
    assert step_of(client) == "aids"


def test_only_the_answers_are_kept_never_a_document_nor_an_identity(person, client):
    client.force_login(person)
    client.post(QUESTIONNAIRE, {"step": "aids", "aids": ["rsa"]})
    client.post(QUESTIONNAIRE, {"step": "evidence", "evidence": "document"})
    client.post(QUESTIONNAIRE, {"step": "document", "file": SimpleUploadedFile("x.pdf", b"hello")})
    draft = QuestionnaireDraft.objects.get(household=person)
    assert draft.answers == {"aids": ["rsa"], "evidence": "document"}
    assert "hello" not in str(draft.answers) and "x.pdf" not in str(draft.answers)


def test_answers_are_kept_a_bounded_time_then_forgotten(person, client):
    start = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client.force_login(person)
        client.post(QUESTIONNAIRE, {"step": "aids", "aids": ["rsa"]})
    with time_machine.travel(start + datetime.timedelta(days=DRAFT_DAYS) - datetime.timedelta(minutes=1)):
        assert step_of(signed_in(person)) == "evidence"
        assert purge_questionnaire_drafts() == 0
    with time_machine.travel(start + datetime.timedelta(days=DRAFT_DAYS, minutes=1)):
        # Gone from the database, not only unused: the nightly purge deletes it.
        assert purge_questionnaire_drafts() == 1
        assert step_of(signed_in(person)) == "aids"


def test_an_old_draft_is_not_read_before_the_purge(person, client):
    start = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client.force_login(person)
        client.post(QUESTIONNAIRE, {"step": "aids", "aids": ["rsa"]})
    with time_machine.travel(start + datetime.timedelta(days=DRAFT_DAYS, hours=1)):
        assert step_of(signed_in(person)) == "aids"
        assert not QuestionnaireDraft.objects.exists()


def test_the_answers_are_in_the_persons_copy_and_go_with_the_account(person, client):
    client.force_login(person)
    client.post(QUESTIONNAIRE, {"step": "aids", "aids": ["rsa"]})
    assert personal_data(person)["eligibility"]["questionnaire_under_way"]["answers"] == {"aids": ["rsa"]}
    close_account(user=person, password=PASSWORD)
    assert not QuestionnaireDraft.objects.exists()


def test_a_person_whose_browser_keeps_no_cookie_between_visits_still_ends_in_one_sitting(person):
    """The answers are not in a cookie of their own: the questionnaire needs only the session that signing in
    opens, and a browser that keeps no cookie once closed still goes through every question at once."""
    phone = signed_in(person)
    cookies_before = set(phone.cookies)
    phone.post(QUESTIONNAIRE, {"step": "aids"})
    phone.post(QUESTIONNAIRE, {"step": "qf", "quotient_familial_eur": "640"})
    done = phone.post(QUESTIONNAIRE, {"step": "evidence", "evidence": "declaration"}, follow=True)
    assert done.context["decision"].status == "eligible"
    assert set(phone.cookies) == cookies_before
