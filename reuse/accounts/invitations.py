"""Invitations to join an organisation: emailed link, accepted once, before it expires."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse.accounts.enums import MembershipRole
from reuse.accounts.models import Invitation, Membership, Organisation, User
from reuse.accounts.services import notify
from reuse.errors import Conflict, Forbidden, InvalidInput
from reuse.policy.accounts import can_manage_organisation

INVITATION_VALIDITY = timedelta(days=7)


@transaction.atomic
def invite(
    *, organisation: Organisation, email: str, by: User, role: str = MembershipRole.MEMBER
) -> Invitation:
    if not can_manage_organisation(by, organisation):
        raise Forbidden(_("Seul un administrateur de l’organisation peut inviter."))
    email = (email or "").strip().lower()
    if not email:
        raise InvalidInput(_("Indiquez une adresse e-mail."))
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise Conflict(_("Cette personne fait déjà partie de l’organisation."), code="already_member")
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=by,
        expires_at=timezone.now() + INVITATION_VALIDITY,
    )
    notify(template="invitation", context={"invitation": invitation}, to_email=email)
    return invitation


def open_invitation(token: str) -> Invitation | None:
    return Invitation.objects.open().select_related("organisation").filter(token=token).first()


@transaction.atomic
def accept(*, token: str, user: User) -> Membership:
    """Mark the invitation used (a conditional update: two clicks cannot both succeed), then add the member."""
    invitation = Invitation.objects.filter(token=token).first()
    if invitation is None:
        raise InvalidInput(_("Cette invitation n’existe pas."), code="invitation_invalid")
    if (user.email or "").lower() != invitation.email:
        raise Forbidden(
            _("Cette invitation a été envoyée à une autre adresse e-mail."), code="invitation_other_email"
        )
    updated = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).update(accepted_at=timezone.now(), accepted_by=user)
    if not updated:
        raise Conflict(_("Cette invitation a déjà été utilisée ou a expiré."), code="invitation_used")
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    return membership
