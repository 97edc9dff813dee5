"""Site chrome: the admin-managed navigation, the footer's legal links and the announcement banner."""

from django import template
from django.conf import settings as django_settings
from django.utils.translation import get_language

from cms import chrome
from cms.models import NavigationSettings, SiteSettings
from reuse.money import format_euros, format_whole_euros

register = template.Library()


def _href(value) -> str:
    page = value.get("page")
    if page is not None:
        page = page.specific.localized if page.live else None
        return page.url if page is not None else ""
    return value.get("url") or value.get("link_url") or ""


def _links(stream) -> list[dict]:
    english = (get_language() or "fr").startswith("en")
    links = []
    for block in stream:
        value = block.value
        href = _href(value)
        if not href:
            continue
        label = (value.get("label_en") if english else "") or value.get("label")
        links.append({"label": label, "href": href})
    return links


def _site(request):
    """The request's site: from the chrome cache (versioned like the links), not one query per page."""
    if request is None:
        return None
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site = chrome.site_for(request)
    return request._wagtail_site


def _settings(context, model):
    """`model` for the request's site (cached on the request and in the chrome cache), or None without a site."""
    request = context.get("request")
    site = _site(request)
    if site is None:
        return None
    attr = model.get_cache_attr_name()
    if not hasattr(request, attr):
        instance = chrome.cached(f"settings:{model.__name__}", site.pk, "-", lambda: model.for_site(site))
        instance._request = request
        setattr(request, attr, instance)
    return getattr(request, attr)


@register.simple_tag(takes_context=True)
def site_settings(context):
    """The site's settings, or unsaved defaults when no site is configured (a freshly flushed database)."""
    return _settings(context, SiteSettings) or SiteSettings()


def _site_id(context):
    site = _site(context.get("request"))
    return site.pk if site is not None else None


@register.simple_tag(takes_context=True)
def header_links(context):
    site_id = _site_id(context)
    if site_id is None:
        return []
    return chrome.cached("header", site_id, get_language() or "fr", lambda: _header_links(context))


def _header_links(context):
    navigation = _settings(context, NavigationSettings)
    return _links(navigation.header_links) if navigation else []


@register.simple_tag(takes_context=True)
def footer_links(context):
    """The admin's footer links, then the legal notices and the accessibility statement from the settings."""
    site_id = _site_id(context)
    if site_id is None:
        return []
    return chrome.cached("footer", site_id, get_language() or "fr", lambda: _footer_links(context))


def _footer_links(context):
    navigation, settings = _settings(context, NavigationSettings), _settings(context, SiteSettings)
    if navigation is None or settings is None:
        return []
    links = _links(navigation.footer_links)
    known = {link["href"] for link in links}
    for page in (settings.legal_notices_page, settings.accessibility_page):
        if page is not None and page.live:
            localized = page.specific.localized
            if localized.url not in known:
                links.append({"label": localized.title, "href": localized.url})
    return links


@register.simple_tag(takes_context=True)
def announcement(context):
    settings = _settings(context, SiteSettings)
    if settings is None:
        return None
    text = settings.banner_for(get_language() or "fr")
    return {"text": text, "link": settings.banner_link} if text else None


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The public address of this page: PUBLIC_BASE_URL and the path, whatever Host the request used."""
    request = context.get("request")
    return f"{django_settings.PUBLIC_BASE_URL}{request.path if request is not None else '/'}"


@register.filter
def link_href(value):
    return _href(value)


# Amounts in the reader's language, written by the project's one formatter (0 is « 0,00 € » here: a bound).
register.filter("euros", format_euros)
register.filter("whole_euros", format_whole_euros)
