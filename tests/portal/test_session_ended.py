"""A form sent after the session ended or after signing in or out in another tab: the person reads, in their
language, what happened and gets a way back to the page they were on, never Django's English-styled 403 nor a
405 after signing in again."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from tests.factories.accounts import household
from tests.factories.eligibility import eligible
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
