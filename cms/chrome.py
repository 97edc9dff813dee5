"""The site chrome (header and footer links) is the same for every page of a site and language: it is
computed once and cached, so that a page costs its own queries and not the navigation's (two queries per
link to find each page's translation).

The cache entry carries a version that any publish, unpublish, move or delete of a page, and any save of the
navigation or site settings, bumps. Entries also expire after CHROME_TTL seconds, which bounds staleness when
several web processes each keep a local cache (set CACHE_URL to share one in production).
"""

from django.core.cache import cache

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


def cached(name: str, site_id: int, language: str, compute):
    key = f"cms:chrome:{name}:{site_id}:{language}:{version()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CHROME_TTL)
    return value


_NO_SITE = "none"


def site_for(request):
    """Site.find_for_request without its query on every page: the answer per host and port is cached."""
    from wagtail.models import Site

    host, port = request.get_host().split(":")[0].lower(), request.get_port()
    key = f"cms:chrome:site:{host}:{port}:{version()}"
    site = cache.get(key)
    if site is None:
        site = Site.find_for_request(request) or _NO_SITE
        cache.set(key, site, CHROME_TTL)
    return None if site == _NO_SITE else site


def bump_on_change(created=False, **kwargs) -> None:
    """Settings rows are created on first read with their defaults, which the cached chrome already shows."""
    if not created:
        bump()


def connect() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    from cms.models import NavigationSettings, SiteSettings

    page_published.connect(bump, dispatch_uid="cms.chrome.published")
    page_unpublished.connect(bump, dispatch_uid="cms.chrome.unpublished")
    page_slug_changed.connect(bump, dispatch_uid="cms.chrome.slug")
    post_page_move.connect(bump, dispatch_uid="cms.chrome.moved")
    post_delete.connect(bump, sender=Page, dispatch_uid="cms.chrome.deleted")
    from wagtail.models import Site

    post_save.connect(bump, sender=Site, dispatch_uid="cms.chrome.site_saved")
    post_delete.connect(bump, sender=Site, dispatch_uid="cms.chrome.site_deleted")
    for model in (NavigationSettings, SiteSettings):
        post_save.connect(bump_on_change, sender=model, dispatch_uid=f"cms.chrome.{model.__name__}")
