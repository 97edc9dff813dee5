"""A page that does not exist (an old link, a mistyped address), one that is refused, or a server error: in
the reader's language, in the site's pages when the site can still draw them, with a way forward; never
Django's bare English "Not Found" nor "Server Error (500)"."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from tests.factories.accounts import household

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "words"), [("fr", "Cette page n’existe pas"), ("en", "This page does not exist")]
)
def test_a_missing_page_says_so_in_the_readers_language_with_ways_forward(language, words):
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/cette-page-nexiste-pas/")
    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}">' in html and words in html
    assert 'href="/catalogue/"' in html and 'href="/"' in html


def test_a_missing_claim_leads_a_signed_in_person_to_their_claims(client):
    client.force_login(household())
    html = client.get("/demandes/999999/").content.decode()
    assert 'href="/demandes/"' in html


@pytest.mark.parametrize("template", ["500.html", "400.html"])
def test_the_server_error_pages_stand_alone_in_the_readers_language(template):
    with translation.override("en"):
        html = render_to_string(template)
    assert '<html lang="en">' in html and 'href="/"' in html and "try again" in html
