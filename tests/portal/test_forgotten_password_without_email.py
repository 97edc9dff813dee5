"""A household that forgot its password and has only a phone: no email address, or no longer the password of its
mailbox. The « Mot de passe oublié » page and the « Regardez vos e-mails » page that follows it say the other
ways in, in the main part of the page (where a screen reader and a person who does not scroll to the footer
find them): the sign-in code a social worker prints, and the operator's phone number when staff gave one."""

import re

import pytest
from wagtail.models import Site

from cms.models import SiteSettings

pytestmark = pytest.mark.django_db


def main_part(response) -> str:
    return re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)


@pytest.fixture
def operator_phone():
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_phone = "01 80 05 98 80"
    settings.save()
    return settings.contact_phone


@pytest.mark.parametrize("url", ["/compte/mot-de-passe/oubli/", "/compte/mot-de-passe/oubli/envoye/"])
def test_the_forgotten_password_pages_say_what_to_do_without_email(client, operator_phone, url):
    main = main_part(client.get(url))
    assert 'href="/eligibilite/connexion-code/"' in main  # the sign-in code a social worker prints
    assert "Pas d’adresse e-mail" in main
    assert 'href="tel:0180059880"' in main and operator_phone in main


def test_without_a_phone_number_given_the_page_still_names_the_code(client):
    main = main_part(client.get("/compte/mot-de-passe/oubli/"))
    assert 'href="/eligibilite/connexion-code/"' in main and 'href="tel:' not in main
