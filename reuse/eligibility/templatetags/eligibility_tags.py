from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone

register = template.Library()
PARIS = ZoneInfo("Europe/Paris")


@register.filter
def paris(value):
    """An aware datetime shown in Europe/Paris, whatever the active time zone."""
    if value is None:
        return None
    return timezone.localtime(value, PARIS)
