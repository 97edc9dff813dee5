import pytest

pytestmark = pytest.mark.django_db


def test_home_page_is_a_wagtail_page_in_french_with_landmarks(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert 'href="#contenu"' in html and '<main id="contenu"' in html
    assert "<header" in html and "<nav" in html and "<footer" in html
    assert "Rebond" in html


def test_a_page_names_its_icon_so_that_a_phone_does_not_ask_for_one_more_file(client):
    """Without an icon in the head, each page view asks /favicon.ico: a 404 and a round trip on a slow line."""
    for path in ("/", "/catalogue/", "/compte/connexion/"):
        assert '<link rel="icon" href="data:,">' in client.get(path).content.decode()


def test_language_switch_serves_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()


def test_login_page_and_admin_login(client):
    assert client.get("/compte/connexion/").status_code == 200
    assert client.get("/admin/login/").status_code == 200


def test_non_staff_cannot_enter_the_admin(client):
    from tests.factories.accounts import UserFactory

    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_healthz_and_robots(client, settings):
    # Eager mode (the demo, the default pass) reports the broker as such; the PostgreSQL pass sets a broker URL.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert client.get("/healthz").json() == {
        "database": "ok",
        "broker": "eager",
        "cache": "ok",
        "tasks_waiting_for_broker": 0,
        "status": "ok",
    }
    assert "Disallow: /admin/" in client.get("/robots.txt").content.decode()


def test_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_nul_characters_are_refused_with_a_400_instead_of_reaching_the_database(client):
    from tests.factories.accounts import OrganisationFactory, member_of

    client.force_login(member_of(OrganisationFactory(workshop=True)))
    api = client.get("/api/v1/devices", {"serial": "SN\x00"})
    assert api.status_code == 400 and api.json()["code"] == "invalid"
    body = client.post("/api/v1/lots", '{"title": "a\\u0000b"}', content_type="application/json")
    assert body.status_code == 400
    page = client.get("/catalogue/", {"q": "portable\x00"})
    assert page.status_code == 400 and "caractère nul" in page.content.decode()
