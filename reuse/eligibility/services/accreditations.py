"""Referrer organisations accredited by staff: only they attest criteria and hold mandates."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse.accounts import services as accounts
from reuse.accounts.enums import OrganisationKind, OrganisationStatus
from reuse.accounts.models import Organisation, User
from reuse.eligibility.models import (
    ReferrerAccreditation,
)
from reuse.errors import Forbidden, InvalidInput
from reuse.policy.accounts import acting_organisation as choose_organisation
from reuse.policy.mandates import accredited_organisations


@transaction.atomic
def accredit_referrer(*, organisation: Organisation, by: User, note: str = "") -> ReferrerAccreditation:
    if organisation.kind != OrganisationKind.REFERRER:
        raise InvalidInput(_("Seule une structure prescriptrice peut être accréditée."))
    if organisation.status != OrganisationStatus.APPROVED:
        accounts.approve_organisation(organisation=organisation, by=by)
    accreditation, created = ReferrerAccreditation.objects.get_or_create(
        organisation=organisation, defaults={"accredited_by": by, "note": note}
    )
    if not created and accreditation.revoked_at is not None:
        accreditation.revoked_at = None
        accreditation.accredited_by, accreditation.accredited_at = by, timezone.now()
        accreditation.save(update_fields=["revoked_at", "accredited_by", "accredited_at"])
    return accreditation


@transaction.atomic
def revoke_accreditation(*, organisation: Organisation, by: User) -> None:
    ReferrerAccreditation.objects.filter(organisation=organisation, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def acting_organisation(referrer: User, organisation=None) -> Organisation:
    """The accredited referrer organisation `referrer` acts for: `organisation` if given (the one that held a
    mandate), else the one they chose by its id, or their only one (reuse.policy.accounts.acting_organisation: a
    referrer in several structures must say which, never gets the first)."""
    if isinstance(organisation, Organisation):
        if not accredited_organisations(referrer).filter(pk=organisation.pk).exists():
            raise Forbidden(
                _(
                    "%(name)s n’est pas accréditée par l’équipe Rebond : elle ne peut pas enregistrer de mandat."
                )
                % {"name": organisation.name},
                code="not_accredited",
            )
        return organisation
    organisation = choose_organisation(
        referrer, OrganisationKind.REFERRER, organisation, among=accredited_organisations(referrer)
    )
    if organisation is None:
        raise Forbidden(
            _("Votre structure n’est pas encore accréditée : l’équipe Rebond doit la vérifier."),
            code="not_accredited",
        )
    return organisation
