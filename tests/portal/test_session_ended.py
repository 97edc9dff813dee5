"""A form sent after the session ended or after signing in or out in another tab: the person reads, in their
language, what happened and gets a way back to the page they were on, never Django's English-styled 403 nor a
405 after signing in again."""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client

from reuse.eligibility import sign_in_codes
from tests.factories.accounts import household
from tests.factories.eligibility import accredited_referrer, eligible, household_opened_by
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db

SIGNUP = "http://testserver/eligibilite/inscription/"


def stale_form_post(language="fr", referer=SIGNUP):
    """A form whose CSRF token no longer matches (the cookie went, or a sign-in in another tab rotated it)."""
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)
    return client.post("/eligibilite/inscription/", {"first_name": "Fatou"}, HTTP_REFERER=referer)


def test_a_stale_form_says_what_happened_in_french_with_a_way_back():
    response = stale_form_post()
    html = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="fr">' in html
    assert "rien n’a été enregistré" in html
    assert 'href="/eligibilite/inscription/"' in html


def test_a_stale_form_speaks_english_to_an_english_reader():
    html = stale_form_post("en").content.decode()
    assert '<html lang="en">' in html
    assert "nothing was saved" in html


def test_the_way_back_never_leads_to_another_site():
    html = stale_form_post(referer="https://evil.example/phish").content.decode()
    assert "evil.example" not in html
    assert 'href="/"' in html


def test_a_claim_sent_after_the_session_ended_comes_back_to_the_device_after_signing_in(client):
    ProgrammeFactory()
    device = DeviceFactory(listed=True, price_cents=0)
    page = f"/catalogue/{device.pk}/"
    response = client.post(f"{page}demander/", {}, HTTP_REFERER=f"http://testserver{page}")
    assert response.status_code == 302
    assert response.url == f"/compte/connexion/?next={page}"
    assert "Connectez-vous" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    person = eligible(household())
    person.set_password("un-mot-de-passe-long")
    person.save()
    signed_in = client.post(response.url, {"username": person.email, "password": "un-mot-de-passe-long"})
    assert signed_in.status_code == 302 and signed_in.url == page
    assert client.get(signed_in.url).status_code == 200


def test_without_a_page_to_go_back_to_the_sign_in_leads_home(client):
    response = client.post("/demandes/1/payer/atelier/")
    assert response.url == "/compte/connexion/"


def test_a_get_that_needs_signing_in_keeps_its_own_address(client):
    assert client.get("/demandes/").url == "/compte/connexion/?next=/demandes/"


def printed_code() -> str:
    """The sign-in code a referrer printed for a household without email."""
    ProgrammeFactory(every_check=True)
    referrer, _organisation = accredited_referrer()
    person = household_opened_by(referrer, household_size=1)
    return sign_in_codes.issue_sign_in_code(referrer=referrer, household=person).code


def test_a_household_signed_in_by_code_comes_back_to_its_page_too(client):
    code = printed_code()
    login_page = client.get("/compte/connexion/?next=/demandes/").content.decode()
    assert 'href="/eligibilite/connexion-code/?next=/demandes/"' in login_page
    signed_in = client.post("/eligibilite/connexion-code/?next=/demandes/", {"code": code})
    assert signed_in.status_code == 302 and signed_in.url == "/demandes/"


def test_the_code_sign_in_never_sends_to_another_site(client):
    code = printed_code()
    signed_in = client.post("/eligibilite/connexion-code/?next=https://evil.example/", {"code": code})
    assert signed_in.url == "/eligibilite/"


WAITLIST = "/demandes/liste-attente/"


def sent_after_the_session_ended(client, page: str, data: dict) -> str:
    """The form of `page` sent once the session has ended: where the browser is sent to sign in."""
    response = client.post(page, data, HTTP_REFERER=f"http://testserver{page}")
    assert response.status_code == 302
    return response.url


def session_ended(client):
    """The session's cookie reached its age: the browser drops it, its other cookies stay."""
    del client.cookies[settings.SESSION_COOKIE_NAME]


def a_household():
    person = eligible(household())
    person.set_password("un-mot-de-passe-long")
    person.save()
    return person


def signed_in_again(client, login_url: str, person=None) -> str:
    person = person or a_household()
    signed_in = client.post(login_url, {"username": person.email, "password": "un-mot-de-passe-long"})
    assert signed_in.status_code == 302
    return signed_in.url


def test_what_was_typed_before_the_session_ended_is_given_back_once_signed_in(client):
    ProgrammeFactory()
    person = a_household()
    signed_in_again(client, "/compte/connexion/", person)
    session_ended(client)  # while the page stayed open
    login_url = sent_after_the_session_ended(
        client, WAITLIST, {"device_type": "tablet", "max_price": "45", "no_computer": "on"}
    )
    page = client.get(signed_in_again(client, login_url, person)).content.decode()
    assert '<option value="tablet" selected>' in page
    assert 'value="45"' in page
    assert 'name="no_computer" id="id_no_computer" checked' in page
    assert "Ce que vous aviez saisi avant la fin de la session est repris" in page
    # Given back once: the next visit shows an empty form.
    assert '<option value="tablet" selected>' not in client.get(WAITLIST).content.decode()


def test_a_password_typed_before_the_session_ended_is_never_kept(client):
    signed_in_again(client, "/compte/connexion/")
    session_ended(client)
    sent_after_the_session_ended(
        client, "/compte/adresse-e-mail/", {"new_email": "moi@example.test", "password": "secret-tape"}
    )
    kept = client.session["rebond_kept_form"]["data"]
    assert kept == {"new_email": ["moi@example.test"]}


def test_what_one_person_typed_is_never_shown_to_the_next_one_signing_in_on_that_browser(client):
    """A France Services desk: Awa's session ended while she was typing; she leaves, Bruno signs in on the same
    browser and opens the same page. What Awa typed is hers: Bruno gets an empty form."""
    ProgrammeFactory()
    client.get(signed_in_again(client, "/compte/connexion/"))  # Awa signed in on this browser...
    session_ended(client)  # ...and her session ended
    login_url = sent_after_the_session_ended(
        client, WAITLIST, {"device_type": "tablet", "max_price": "45", "no_computer": "on"}
    )
    page = client.get(signed_in_again(client, login_url)).content.decode()  # Bruno, another account
    assert '<option value="tablet" selected>' not in page
    assert "Ce que vous aviez saisi avant la fin de la session est repris" not in page
