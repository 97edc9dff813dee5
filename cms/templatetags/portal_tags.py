"""Site chrome: the admin-managed navigation, the footer's legal links and the announcement banner."""

from django import template
from django.conf import settings as django_settings

from cms import chrome
from cms.models import SiteSettings
from reuse.money import format_euros, format_whole_euros

register = template.Library()


def _chrome(context) -> dict:
    return chrome.for_request(context.get("request"))


@register.simple_tag(takes_context=True)
def site_settings(context):
    """The site's settings, or unsaved defaults when no site is configured (a freshly flushed database)."""
    return _chrome(context)["settings"] or SiteSettings()


@register.simple_tag(takes_context=True)
def header_links(context):
    return _chrome(context)["header"]


@register.simple_tag(takes_context=True)
def footer_links(context):
    """The admin's footer links, then the legal notices and the accessibility statement from the settings."""
    return _chrome(context)["footer"]


@register.simple_tag(takes_context=True)
def announcement(context):
    return _chrome(context)["banner"]


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The public address of this page: PUBLIC_BASE_URL and the path, whatever Host the request used."""
    request = context.get("request")
    return f"{django_settings.PUBLIC_BASE_URL}{request.path if request is not None else '/'}"


register.filter("link_href", chrome.href)


# Amounts in the reader's language, written by the project's one formatter (0 is « 0,00 € » here: a bound).
register.filter("euros", format_euros)
register.filter("whole_euros", format_whole_euros)


@register.filter
def errors_take_focus(form) -> bool:
    """A refused form's error summary takes the focus (RGAA 11.10: the refusal is read out first and its links
    lead to the fields), unless the form has a scanner field (`data-scan`, the bench): the next scan is typed
    there, whatever the last one said. A field that only opens a page with the focus (the sign-in's e-mail)
    gives it up: on a refused sign-in the person heard nothing of why."""
    fields = form.visible_fields() if hasattr(form, "visible_fields") else []
    attrs = [field.field.widget.attrs for field in fields]
    return not any(a.get("autofocus") and "data-scan" in a for a in attrs)
