from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone

from reuse.money import format_whole_euros

register = template.Library()
PARIS = ZoneInfo("Europe/Paris")
register.filter("whole_euros", format_whole_euros)


@register.filter
def paris(value):
    """An aware datetime shown in Europe/Paris, whatever the active time zone."""
    if value is None:
        return None
    return timezone.localtime(value, PARIS)
