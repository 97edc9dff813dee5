"""Redirects and links back built from what the browser sent (`next=`, the Referer) never send anyone to another
site: an address of this site whose path starts with two slashes (or a slash and a backslash, or a tab between
them) is, to a browser, another host (`//evil.example`)."""

import pytest
from django.test import Client, RequestFactory

from reuse.eligibility import sign_in_codes
from reuse.views import on_this_site
from tests import fixtures
from tests.factories.eligibility import accredited_referrer, household_opened_by

pytestmark = pytest.mark.django_db

programme = fixtures.checked_programme

AWAY = [
    "http://testserver//evil.example",
    "http://testserver//evil.example/path?x=1",
    "//testserver//evil.example",
    "http://testserver/\\evil.example",
    "http://testserver/\t/evil.example",
    "https:evil.example",
    "//evil.example",
    "/\\evil.example",
    "http://evil.example/",
]


@pytest.mark.parametrize("url", AWAY)
def test_an_address_that_leads_to_another_host_is_not_of_this_site(url):
    assert on_this_site(RequestFactory().get("/"), url) is None


@pytest.mark.parametrize(
    "url, path",
    [("http://testserver/eligibilite/?a=1", "/eligibilite/?a=1"), ("/dons/", "/dons/")],
)
def test_an_address_of_this_site_gives_its_path(url, path):
    assert on_this_site(RequestFactory().get("/"), url) == path


def test_the_sign_in_code_page_does_not_send_the_household_away(client, programme):
    """A referrer (or anyone) hands a household a sign-in link whose `next` leads elsewhere: the household, once
    signed in with its printed code, lands on its own dashboard."""
    referrer, _organisation = accredited_referrer()
    household = household_opened_by(referrer, household_size=1)
    code = sign_in_codes.issue_sign_in_code(referrer=referrer, household=household).code
    response = client.post(
        "/eligibilite/connexion-code/?next=http://testserver//evil.example", {"code": code}
    )
    assert response.status_code == 302
    assert response["Location"] == "/eligibilite/"


def test_the_expired_form_page_offers_no_way_back_to_another_host():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/compte/connexion/", {"username": "a@example.org"}, HTTP_REFERER="http://testserver//evil.example"
    )
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


def test_the_printed_code_sheet_gives_the_public_address_whatever_host_was_asked(client, programme, settings):
    """A request reaching the site under another name it answers to (a wildcard subdomain, the bare IP) prints
    the public address on the paper the household keeps, never that name."""
    settings.ALLOWED_HOSTS = ["testserver", ".rebond.example"]
    settings.PUBLIC_BASE_URL = "https://rebond.example"
    referrer, _organisation = accredited_referrer()
    household = household_opened_by(referrer, household_size=1)
    client.force_login(referrer)
    response = client.post(
        f"/eligibilite/prescripteur/foyers/{household.pk}/code/", HTTP_HOST="evil.rebond.example"
    )
    page = response.content.decode()
    assert "https://rebond.example/eligibilite/connexion-code/" in page
    assert "evil.rebond.example" not in page
