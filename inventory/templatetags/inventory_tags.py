from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def euros(cents):
    """Integer cents shown as French euros: 1550 → « 15,50 € », 0 → « gratuit »."""
    if cents is None or cents == "":
        return "—"
    if cents == 0:
        return _("gratuit")
    return f"{number_format(cents / 100, 2)} €"
