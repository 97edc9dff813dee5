from django import template

from reuse.claims.services import card_received
from reuse.money import format_price
from reuse.policy.claims import claimant_claims

register = template.Library()


# Prices in the reader's language, written by the project's one formatter.
register.filter("euros", format_price)


@register.simple_tag(takes_context=True)
def household_claims(context, household, limit=50):
    """The claims of `household` that the signed-in person may act on (a referrer under a claims mandate).

    A tag rather than a view variable: the referrer's household page belongs to eligibility, which sits
    below claims and never imports it.
    """
    user = context["request"].user
    return card_received.mark_card_confirming(
        claimant_claims(user)
        .filter(beneficiary=household)
        .select_related("device")
        .order_by("-created")[:limit]
    )
