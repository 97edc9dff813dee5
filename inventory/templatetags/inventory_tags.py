from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from inventory.enums import DeviceType

register = template.Library()


@register.filter
def euros(cents):
    """Integer cents shown as French euros: 1550 → « 15,50 € », 0 → « gratuit »."""
    if cents is None or cents == "":
        return "—"
    if cents == 0:
        return _("gratuit")
    return f"{number_format(cents / 100, 2)} €"


@register.filter
def lookup(mapping, key):
    """mapping[key]: the stock list reads choice labels from dicts built once per page, not per row."""
    return mapping.get(key, key)


@register.filter
def device_type(value):
    """A stored device type ("laptop") in the reader's language; an unknown value is shown as it is."""
    try:
        return DeviceType(value).label
    except ValueError:
        return value
