"""Associations: their sign-up, staff verification, and the decision that lets them claim within a yearly cap."""

from dataclasses import replace

from django.db import transaction
from django.utils.translation import gettext as _

from reuse.accounts import services as accounts
from reuse.accounts.enums import OrganisationKind, OrganisationStatus
from reuse.accounts.models import Organisation, User
from reuse.accounts.signups import create_account
from reuse.eligibility.enums import (
    DecisionStatus,
    Evidence,
)
from reuse.eligibility.models import (
    AssociationProfile,
    EligibilityDecision,
)
from reuse.eligibility.reasons import reason
from reuse.eligibility.services.decisions import create_decision, expiry_for
from reuse.errors import Forbidden, InvalidInput
from reuse.programmes.services import programme_for_department


@transaction.atomic
def register_association(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    details: accounts.OrganisationDetails,
    purpose: str,
    public: str,
) -> Organisation:
    """An association signs up: its first administrator's account and the organisation, whose contact address
    is that account's."""
    if not purpose.strip() or not public.strip():
        raise InvalidInput(_("Décrivez l’objet de l’association et le public accompagné."))
    user = create_account(email=email, password=password, first_name=first_name, last_name=last_name)
    organisation = accounts.register_organisation(
        kind=OrganisationKind.ASSOCIATION, details=replace(details, email=user.email), admin=user
    )
    AssociationProfile.objects.create(
        organisation=organisation, purpose=purpose.strip(), public=public.strip()
    )
    return organisation


@transaction.atomic
def decide_for_association(*, organisation: Organisation, author: User) -> EligibilityDecision:
    programme = programme_for_department(organisation.department)
    if programme is None:
        raise Forbidden(
            _("Aucun programme ne couvre le département %(dep)s.") % {"dep": organisation.department},
            code="no_programme",
        )
    profile = AssociationProfile.objects.filter(organisation=organisation).first()
    reasons = []
    if organisation.status != OrganisationStatus.APPROVED:
        reasons.append(reason("association_not_approved"))
    if profile is None or not profile.is_verified:
        reasons.append(reason("association_not_verified"))
    if not programme.associations_eligible:
        reasons.append(reason("programme_not_for_associations", p=programme.name))
    status = DecisionStatus.INELIGIBLE if reasons else DecisionStatus.ELIGIBLE
    if not reasons:
        reasons.append(
            reason("association_eligible", p=programme.name, cap=programme.association_cap_per_year)
        )
    return create_decision(
        beneficiary_organisation=organisation,
        programme=programme,
        status=status,
        criteria=[],
        evidence=Evidence.DOCUMENT,
        reasons=reasons,
        author=author,
        author_organisation=None,
        expires_at=expiry_for(programme, place=organisation) if status == DecisionStatus.ELIGIBLE else None,
    )


@transaction.atomic
def verify_association(*, organisation: Organisation, by: User) -> EligibilityDecision:
    accounts.approve_organisation(organisation=organisation, by=by)
    AssociationProfile.objects.filter(organisation=organisation).verify(by)
    return decide_for_association(organisation=organisation, author=by)
