"""Invitations to join an organisation: emailed link, accepted once, before it expires.

An invitation is an email from Rebond's address to any address, carrying the organisation's and the inviter's
names, which whoever signs an organisation up chooses. It is written in the invitee's language when they already
have an account, else in the inviter's. So that nobody uses it to relay their own messages, only an
organisation staff have verified (approved) invites, and at most INVITATIONS_PER_DAY a day; staff invite freely.
"""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse.accounts.counters import count_up
from reuse.accounts.enums import MembershipRole, OrganisationStatus
from reuse.accounts.models import Invitation, Membership, Organisation, User
from reuse.accounts.services import add_member, notify
from reuse.errors import Conflict, Forbidden, InvalidInput
from reuse.policy.accounts import can_manage_organisation, is_staff

INVITATION_VALIDITY = timedelta(days=7)
INVITATIONS_PER_DAY = 30


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
    if not is_staff(by):
        if organisation.status != OrganisationStatus.APPROVED:
            raise Forbidden(
                _("Vous pourrez inviter quand votre organisation aura été vérifiée par l’équipe Rebond."),
                code="organisation_not_approved",
            )
        if count_up(f"invitations:{organisation.pk}", 24 * 3600) > INVITATIONS_PER_DAY:
            raise Forbidden(
                _("Trop d’invitations envoyées aujourd’hui pour cette organisation. Réessayez demain."),
                code="too_many_invitations",
            )
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=by,
        expires_at=timezone.now() + INVITATION_VALIDITY,
    )
    # The invitee may have no account yet, so no language of their own: their colleague who invites them knows
    # them, and reads Rebond in the language they chose (the one of the pages they invite from).
    notify(
        template="invitation",
        context={"invitation": invitation},
        to_email=email,
        language_if_unknown=by.language,
    )
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
    return add_member(organisation=invitation.organisation, user=user, role=invitation.role, by=user)
