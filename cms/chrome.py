"""The site chrome (header and footer links) is the same for every page of a site and language: it is
computed once and cached, so that a page costs its own queries and not the navigation's (two queries per
link to find each page's translation).

The cache entry carries a version that any publish, unpublish, move or delete of a page, and any save of the
navigation or site settings, bumps. Entries also expire after CHROME_TTL seconds, which bounds staleness when
several web processes each keep a local cache (set CACHE_URL to share one in production).
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from cms.models import NavigationSettings, SiteSettings
from cms.sanitize import safe_link
from reuse.claims import catalogue_cache

VERSION_KEY = "cms:chrome:version"
CHROME_TTL = 300


def version() -> int:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, 1, None)
        current = cache.get(VERSION_KEY, 1)
    return current


def bump(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)
    # The catalogue's cached pages carry the chrome: they go with it, at once like the chrome's own entries.
    catalogue_cache.bump_now()


def for_request(request) -> dict:
    """The chrome of the request's site and language: its Site, its SiteSettings, the header and footer links and
    the banner, in one cache round trip (the version and the entry read together; an entry made under another
    version is made again) and once per request."""
    if request is None:
        return _NO_CHROME
    chrome = getattr(request, "_rebond_chrome", None)
    if chrome is not None:
        return chrome
    host, port = request.get_host().split(":")[0].lower(), request.get_port()
    language = get_language() or "fr"
    key = f"cms:chrome:{host}:{port}:{language}"
    found = cache.get_many([VERSION_KEY, key])
    current = found.get(VERSION_KEY)
    if current is None:
        current = version()
    entry = found.get(key)
    if entry is None or entry[0] != current:
        entry = (current, _compute(request, language))
        cache.set(key, entry, CHROME_TTL)
    chrome = entry[1]
    if chrome["settings"] is not None:
        chrome["settings"]._request = request
    if chrome["site"] is not None and not hasattr(request, "_wagtail_site"):
        request._wagtail_site = chrome[
            "site"
        ]  # Site.find_for_request reads it: Wagtail's own tags save a query
    request._rebond_chrome = chrome
    return chrome


_NO_CHROME = {"site": None, "settings": None, "header": [], "footer": [], "banner": None}


def _compute(request, language: str) -> dict:
    site = Site.find_for_request(request)
    if site is None:
        return _NO_CHROME
    settings, navigation = SiteSettings.for_site(site), NavigationSettings.for_site(site)
    footer = links(navigation.footer_links)
    known = {link["href"] for link in footer}
    for page in (settings.legal_notices_page, settings.accessibility_page):
        if page is not None and page.live:
            localized = page.specific.localized
            if localized.url not in known:
                footer.append({"label": localized.title, "href": localized.url})
    text = settings.banner_for(language)
    return {
        "site": site,
        "settings": settings,
        "header": links(navigation.header_links),
        "footer": footer,
        "banner": {"text": text, "link": safe_link(settings.banner_link)} if text else None,
    }


def href(value) -> str:
    """Where a navigation block points: its page's translation in the active language, else its address."""
    page = value.get("page")
    if page is not None:
        page = page.specific.localized if page.live else None
        return page.url if page is not None else ""
    return safe_link(value.get("url") or value.get("link_url") or "")


def links(stream) -> list[dict]:
    english = (get_language() or "fr").startswith("en")
    found = []
    for block in stream:
        value = block.value
        target = href(value)
        if not target:
            continue
        label = (value.get("label_en") if english else "") or value.get("label")
        found.append({"label": label, "href": target})
    return found


def bump_on_change(created=False, **kwargs) -> None:
    """Settings rows are created on first read with their defaults, which the cached chrome already shows."""
    if not created:
        bump()


def connect() -> None:
    page_published.connect(bump, dispatch_uid="cms.chrome.published")
    page_unpublished.connect(bump, dispatch_uid="cms.chrome.unpublished")
    page_slug_changed.connect(bump, dispatch_uid="cms.chrome.slug")
    post_page_move.connect(bump, dispatch_uid="cms.chrome.moved")
    post_delete.connect(bump, sender=Page, dispatch_uid="cms.chrome.deleted")
    post_save.connect(bump, sender=Site, dispatch_uid="cms.chrome.site_saved")
    post_delete.connect(bump, sender=Site, dispatch_uid="cms.chrome.site_deleted")
    for model in (NavigationSettings, SiteSettings):
        post_save.connect(bump_on_change, sender=model, dispatch_uid=f"cms.chrome.{model.__name__}")
