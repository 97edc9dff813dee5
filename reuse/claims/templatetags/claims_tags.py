from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def euros(cents):
    """Integer cents shown the French way: 12,50 € (or « gratuit »)."""
    if cents is None:
        return ""
    cents = int(cents)
    if cents == 0:
        return _("gratuit")
    whole, rest = divmod(cents, 100)
    return f"{whole},{rest:02d} €" if rest else f"{whole} €"
