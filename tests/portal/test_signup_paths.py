"""A newcomer finds the right sign-up from the home page: each entry point leads to its own, in two clicks."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest

from tests.factories.accounts import HouseholdProfileFactory, OrganisationFactory, member_of

pytestmark = pytest.mark.django_db

SIGNUPS = {
    "household": "/eligibilite/inscription/",
    "donor": "/dons/inscription/",
    "workshop": "/atelier/inscription/",
    "association": "/eligibilite/association/inscription/",
}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found, self._href, self._text = [], None, []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.found.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def links_of(response) -> list[tuple[str, str]]:
    parser = Links()
    parser.feed(response.content.decode())
    base = response.wsgi_request.path
    return [(urljoin(base, href), text) for href, text in parser.found if href]


def click(client, href):
    """Follow a link as a browser would: redirects included (a space asks an anonymous visitor to sign in)."""
    response = client.get(href, follow=True)
    assert response.status_code == 200, (href, response.status_code)
    return response


def test_each_home_entry_point_leads_a_newcomer_to_its_own_sign_up_in_two_clicks(client, demo):
    home = client.get("/")
    entry_points = {
        "Vérifier mon éligibilité": "household",
        "Donner du matériel": "donor",
        "Rejoindre le réseau": "workshop",
        "Inscrire mon association": "association",
    }
    for label, role in entry_points.items():
        href = next(href for href, text in links_of(home) if text == label)
        if urlparse(href).path == SIGNUPS[role]:
            continue  # one click: the entry point is the sign-up itself
        landing = click(client, href)
        assert SIGNUPS[role] in [urlparse(h).path for h, _text in links_of(landing)], (label, landing.request)
        form = click(client, SIGNUPS[role])
        assert b'<form method="post"' in form.content, role


def test_every_sign_up_form_is_at_most_two_clicks_from_the_home_page(client, demo):
    reached = {}
    frontier = [("/", 0)]
    seen = {"/"}
    while frontier:
        href, depth = frontier.pop(0)
        response = client.get(href, follow=True)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        path = response.wsgi_request.path
        for role, signup in SIGNUPS.items():
            if path == signup:
                reached.setdefault(role, depth)
        if depth == 2:
            continue
        for link, _text in links_of(response):
            parsed = urlparse(link)
            if parsed.netloc or parsed.path.startswith(("/admin/", "/api/", "/static/", "/media/")):
                continue
            if parsed.path not in seen:
                seen.add(parsed.path)
                frontier.append((parsed.path, depth + 1))
    assert reached.keys() == SIGNUPS.keys(), f"not reached in two clicks: {set(SIGNUPS) - set(reached)}"
    assert all(depth <= 2 for depth in reached.values())


@pytest.mark.parametrize(
    ("space", "role"),
    [
        ("/dons/", "donor"),
        ("/dons/atelier/", "workshop"),
        ("/atelier/", "workshop"),
        ("/eligibilite/", "household"),
        ("/demandes/association/", "association"),
    ],
)
def test_the_sign_in_page_offers_first_the_sign_up_of_the_space_asked_for(client, space, role):
    response = client.get(space, follow=True)
    html = response.content.decode()
    assert response.wsgi_request.path == "/compte/connexion/"
    assert f'data-wanted-signup="{role}"' in html
    first_button = html.index('class="button"')
    assert html.index(SIGNUPS[role], first_button) < html.index('name="password"')
    # And every other sign-up is offered too, by role.
    for signup in SIGNUPS.values():
        assert f'href="{signup}"' in html


def test_the_sign_in_page_says_how_a_referrer_gets_an_account(client):
    html = client.get("/compte/connexion/").content.decode()
    assert 'data-signup="referrer"' in html and "l’équipe Rebond ouvre les comptes de votre structure" in html
    assert 'href="/eligibilite/connexion-code/"' in html


def test_a_person_of_another_role_following_an_entry_point_is_told_whose_space_it_is(client):
    household = HouseholdProfileFactory().user
    client.force_login(household)
    donors = client.get("/dons/")
    assert donors.status_code == 200 and 'href="/dons/inscription/"' in donors.content.decode()
    workshops = client.get("/atelier/")
    assert workshops.status_code == 200 and 'href="/atelier/inscription/"' in workshops.content.decode()
    # Nothing of another organisation is shown there, and the way back is offered.
    assert 'href="/compte/espace/"' in workshops.content.decode()
    donor = member_of(OrganisationFactory(donor=True))
    client.force_login(donor)
    assert client.get("/atelier/").status_code == 200
