import re

import pytest
from django.core.management import call_command
from wagtail.models import Page

from cms.models import HomePage, NavigationSettings, SiteSettings
from tests.portal.conftest import SEEDED_PAGES

pytestmark = pytest.mark.django_db


def main_of(response) -> str:
    return re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)


def test_every_seeded_page_renders_with_its_meta_and_canonical_and_is_in_the_sitemap(client, demo, settings):
    sitemap = client.get("/sitemap.xml").content.decode()
    for path, page_type in SEEDED_PAGES.items():
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert html.count("<h1") == 1, path
        assert '<meta name="description" content="' in html and 'content=""' not in html, path
        # Canonical and sitemap addresses use the public address, whatever Host the request came with.
        assert f'<link rel="canonical" href="{settings.PUBLIC_BASE_URL}{path}">' in html, path
        assert f"<loc>{settings.PUBLIC_BASE_URL}{path}</loc>" in sitemap, (path, page_type)


def test_every_page_type_is_seeded(demo):
    seeded = {page.specific_class.__name__ for page in Page.objects.live().filter(depth__gt=1)}
    assert set(SEEDED_PAGES.values()) <= seeded


def test_seed_demo_twice_changes_nothing(demo):
    before = Page.objects.count()
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))
    assert Page.objects.count() == before


def test_home_shows_the_three_entry_points_in_french_and_english(client, demo):
    html = main_of(client.get("/"))
    for title in ("Je veux donner", "J’ai un atelier", "J’ai besoin d’un appareil"):
        assert title in html
    # The household entry point follows the eligibility page chosen in the admin.
    assert 'href="/conditions-eligibilite/"' in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert '<html lang="en">' in response.content.decode()
    html = main_of(response)
    for title in ("I want to donate", "I run a workshop", "I need a device"):
        assert title in html
    assert "Je veux donner" not in html


def test_every_seeded_page_has_an_english_version_on_the_same_address(client, demo):
    french_titles = {
        path: re.search(r"<h1>(.*?)</h1>", main_of(client.get(path))).group(1) for path in SEEDED_PAGES
    }
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for path in SEEDED_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        if path != "/ateliers/departement/93/":
            assert re.search(r"<h1>(.*?)</h1>", main_of(response)).group(1) != french_titles[path], path


def test_navigation_and_footer_come_from_the_settings(client, demo):
    html = client.get("/").content.decode()
    header = re.search(r"<header.*?</header>", html, re.S).group(0)
    footer = re.search(r"<footer.*?</footer>", html, re.S).group(0)
    assert 'href="/comment-ca-marche/"' in header and 'href="/catalogue/"' in header
    assert 'href="/mentions-legales/">Mentions légales' in footer
    assert 'href="/accessibilite/">Déclaration d’accessibilité' in footer
    assert "contact@rebond.example" in footer and "partiellement conforme" in footer

    site = HomePage.objects.get(locale__language_code="fr").get_site()
    navigation = NavigationSettings.for_site(site)
    navigation.header_links = [
        {"type": "link", "value": {"label": "Presse", "label_en": "Press", "page": None, "url": "/presse/"}}
    ]
    navigation.save()
    header = re.search(r"<header.*?</header>", client.get("/").content.decode(), re.S).group(0)
    assert 'href="/presse/">Presse' in header and "/comment-ca-marche/" not in header


def test_announcement_banner_is_managed_in_the_settings(client, demo):
    assert "chèques numériques sont acceptés dans les ateliers" in client.get("/").content.decode()
    settings = SiteSettings.objects.get()
    settings.banner_active = False
    settings.save()
    assert 'class="banner"' not in client.get("/").content.decode()


def test_pages_of_other_apps_share_the_layout(client, demo):
    html = client.get("/compte/connexion/").content.decode()
    assert 'href="/comment-ca-marche/"' in html and 'href="/mentions-legales/"' in html


def test_news_index_lists_articles_newest_first(client, demo):
    html = main_of(client.get("/actualites/"))
    assert html.index("Les chèques numériques sont acceptés") < html.index(
        "Rebond ouvre en Seine-Saint-Denis"
    )


def test_news_images_are_responsive_lazy_webp(client, demo):
    html = main_of(client.get("/actualites/ouverture-seine-saint-denis/"))
    image = re.search(r"<img[^>]*>", html).group(0)
    assert 'loading="lazy"' in image and "srcset=" in image and "sizes=" in image
    assert ".webp" in image and 'alt=""' in image


def test_a_page_without_programme_for_the_department_says_so(client, demo):
    html = main_of(client.get("/conditions-eligibilite/?departement=13"))
    assert 'aria-invalid="true"' in html and 'aria-describedby="departement_error"' in html
    assert "Aucun programme n’est ouvert dans le département 13" in html
    assert "Prix solidaires" not in html


def test_robots_points_to_the_sitemap(client, demo):
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots


def test_site_chrome_is_cached_and_follows_navigation_and_publishing(client, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cms.models import NavigationSettings

    client.get("/catalogue/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/catalogue/")
    assert len(queries) <= 5, [q["sql"][:80] for q in queries]

    navigation = NavigationSettings.objects.get()
    navigation.header_links = [
        {"type": "link", "value": {"label": "Nouveau lien", "label_en": "", "page": None, "url": "/nouveau/"}}
    ]
    navigation.save()
    assert 'href="/nouveau/"' in client.get("/catalogue/").content.decode()

    faq = Page.objects.get(slug="questions-frequentes", locale__language_code="fr").specific
    navigation.header_links = [
        {"type": "link", "value": {"label": "FAQ", "label_en": "", "page": faq.pk, "url": ""}}
    ]
    navigation.save()
    assert 'href="/questions-frequentes/"' in client.get("/catalogue/").content.decode()
    faq.slug = "faq"
    faq.save_revision().publish()
    assert 'href="/faq/"' in client.get("/catalogue/").content.decode()


def test_the_chrome_costs_one_cache_read_a_page_and_follows_the_settings_at_once(client, demo, monkeypatch):
    """Header, footer, banner, site and settings come from one entry read with its version: one round trip to the
    cache (a network hop to Redis in production) per page, not one per tag."""
    from django.core.cache import cache

    from cms import chrome

    client.get("/catalogue/")
    reads, inside = [], []

    def counted(real):
        def read(key, *args, **kwargs):
            # The local-memory cache's get_many calls get for each key: one round trip, not three.
            if not inside:
                reads.append(key)
            inside.append(key)
            try:
                return real(key, *args, **kwargs)
            finally:
                inside.pop()

        return read

    for name in ("get", "get_many"):
        monkeypatch.setattr(cache, name, counted(getattr(cache, name)))
    page = client.get("/comment-ca-marche/").content.decode()
    chrome_reads = [key for key in reads if "cms:chrome" in str(key)]
    assert chrome_reads == [[chrome.VERSION_KEY, "cms:chrome:testserver:80:fr"]], reads
    assert "Nouveau message du jour" not in page

    settings = SiteSettings.objects.get()
    settings.banner_active, settings.banner_text = True, "Nouveau message du jour"
    settings.save()
    assert "Nouveau message du jour" in client.get("/comment-ca-marche/").content.decode()
