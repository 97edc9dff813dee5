from django import template

from inventory.enums import DeviceType
from reuse.money import format_price

register = template.Library()


@register.filter
def euros(cents):
    """A price in the reader's language (reuse.money), « — » when there is none."""
    return format_price(cents) or "—"


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
