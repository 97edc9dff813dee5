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


@register.simple_tag(takes_context=True)
def household_claims(context, household, limit=50):
    """The claims of `household` that the signed-in person may act on (a referrer under a claims mandate).

    A tag rather than a view variable: the referrer's household page belongs to eligibility, which sits
    below claims and never imports it.
    """
    from reuse.policy.claims import claimant_claims

    user = context["request"].user
    return list(
        claimant_claims(user)
        .filter(beneficiary=household)
        .select_related("device")
        .order_by("-created")[:limit]
    )
