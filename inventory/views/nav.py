"""The workshop's navigation (templates/inventory/_nav.html), rendered once per variant in each process."""

from functools import lru_cache
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from reuse.policy.accounts import roles_of

# The pages the navigation links to, in the order of _nav.html.
NAV_PAGES = (
    "inventory:dashboard",
    "donations:workshop_lots",
    "inventory:bench",
    "inventory:check_in",
    "inventory:stock",
    "inventory:import",
    "inventory:reports",
    "claims:handover",
    "aftercare:workshop",
    "tripod:workshop_sessions",
)


def _path(name: str) -> str:
    # As `{% url name as variable %}` in _nav.html: a page that cannot be reversed is no link, not an error.
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@lru_cache(maxsize=64)
def _nav_paths(language: str, prefix: str) -> frozenset:
    return frozenset(path for path in map(_path, NAV_PAGES) if path)


@lru_cache(maxsize=256)
def _nav_html(language: str, prefix: str, current: str, workshop: bool) -> str:
    context = {"request": SimpleNamespace(path=current), "user_roles": {"workshop"} if workshop else set()}
    return render_to_string("inventory/_nav.html", context)


def workshop_nav(request) -> str:
    """_nav.html as the page would include it: it depends only on the language, the site's URL prefix, which
    of its pages is the current one (if any) and whether the reader is a workshop member. Ten URL reversals
    and a template on every page of the stock and of a device become a dictionary lookup."""
    language, prefix = get_language(), get_script_prefix()
    current = request.path if request.path in _nav_paths(language, prefix) else ""
    html = _nav_html(language, prefix, current, "workshop" in roles_of(request.user))
    return mark_safe(html)  # noqa: S308  (rendered by the template engine, escaped there)
