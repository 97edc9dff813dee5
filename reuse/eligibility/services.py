"""Eligibility use-cases. The lookups at the top are what the claims side relies on."""

from django.utils import timezone

from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import Organisation, User
from reuse.eligibility.models import EligibilityDecision, Mandate, Programme


def programme_for_department(department: str, on=None) -> Programme | None:
    """The active programme covering a department (active programmes never overlap)."""
    return Programme.objects.for_department(department, on).order_by("pk").first()


def valid_decision_for(*, user: User | None = None, organisation: Organisation | None = None, at=None):
    """The decision that currently makes a household (user) or an association (organisation) eligible."""
    decisions = EligibilityDecision.objects.valid(at or timezone.now()).filter(replaced_by__isnull=True)
    if user is not None:
        decisions = decisions.filter(beneficiary=user)
    elif organisation is not None:
        decisions = decisions.filter(beneficiary_organisation=organisation)
    else:
        return None
    return decisions.order_by("-created").first()


def active_mandate(*, referrer: User, household: User, scope: str) -> Mandate | None:
    """The mandate under which `referrer` may act for `household` in `scope`, if any."""
    return (
        Mandate.objects.active()
        .covering(scope)
        .filter(
            household=household,
            referrer_organisation__kind=OrganisationKind.REFERRER,
            referrer_organisation__memberships__user=referrer,
        )
        .order_by("-created")
        .first()
    )
