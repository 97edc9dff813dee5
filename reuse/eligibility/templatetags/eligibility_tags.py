from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone

from reuse.eligibility.enums import MandateScope
from reuse.money import format_whole_euros
from reuse.policy.mandates import session_allows

register = template.Library()
PARIS = ZoneInfo("Europe/Paris")
register.filter("whole_euros", format_whole_euros)


@register.filter
def paris(value):
    """An aware datetime shown in Europe/Paris, whatever the active time zone."""
    if value is None:
        return None
    return timezone.localtime(value, PARIS)


@register.simple_tag(takes_context=True)
def questionnaire_open(context) -> bool:
    """Whether a link to the eligibility questionnaire leads somewhere for the reader: not in a session opened with a
    printed code whose mandate covers claims only (the page is a 404 there, reuse.policy.mandates)."""
    user = context.get("user")
    return bool(user is not None and user.is_authenticated and session_allows(user, MandateScope.ELIGIBILITY))
