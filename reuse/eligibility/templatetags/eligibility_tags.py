from zoneinfo import ZoneInfo

from django import forms, template
from django.utils import timezone

register = template.Library()
PARIS = ZoneInfo("Europe/Paris")


@register.filter
def is_choice_group(bound_field) -> bool:
    """Radio buttons and checkbox lists are rendered as a fieldset with a legend."""
    return isinstance(bound_field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def paris(value):
    """An aware datetime shown in Europe/Paris, whatever the active time zone."""
    if value is None:
        return None
    return timezone.localtime(value, PARIS)
