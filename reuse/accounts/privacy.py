"""A person's rights over their data (RGPD articles 15, 17 and 20): a copy of it, and closing their account.

Each app answers for what it holds about the person through the signals of reuse.accounts.signals, so that
accounts never imports them. Closing an account keeps what the law requires, tied to an account without identity
(payments, refunds and handovers: accounting records, kept 10 years by the Code de commerce, art. L123-22; the
journals of who did what under a mandate), and erases the rest at once: name, email, password, birth date,
postcode, the files of eligibility documents and ticket photos, staff's words in the journals of its claims and
tickets, the emails written to it or naming it to someone else. The row of the person stays, inactive and
anonymous, because those records point at it. tests/security/test_personal_data_map.py holds every relation to a
person to one of three answers: in the copy, erased here, or kept for a stated reason.

Only a household account closes this way: a member of an organisation leaves it instead, and staff accounts are
closed by staff.
"""

import logging

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import APIToken, ModelLogEntry

from reuse.accounts.auth import opened_with_code
from reuse.accounts.models import HouseholdProfile, IdempotentRequest, Notification, User
from reuse.accounts.signals import account_closing, account_closure_refusals, personal_data_requested
from reuse.errors import Conflict, Forbidden
from reuse.policy.accounts import may_close_own_account

logger = logging.getLogger(__name__)


def _day(value):
    return value.isoformat() if value else None


def personal_data(user: User) -> dict:
    """Everything the platform holds about `user`, as a JSON-ready dict (the copy they download)."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "language": user.language,
            "pending_email": user.pending_email or None,
            "date_joined": _day(user.date_joined),
            "last_login": _day(user.last_login),
            "organisations": [
                {"name": m.organisation.name, "kind": m.organisation.kind, "role": m.role}
                for m in user.memberships.select_related("organisation")
            ],
        },
    }
    profile = HouseholdProfile.objects.filter(user=user).first()
    if profile is not None:
        data["household"] = {
            "postcode": profile.postcode,
            "department": profile.department,
            "household_size": profile.household_size,
            "birth_date": _day(profile.birth_date),
        }
    if not opened_with_code(user):
        # The emails speak of every part of the account: a session opened with a printed code, which its referrer
        # read too, covers only its mandate's scopes (reuse.policy.mandates), so it gets none of them.
        data["notifications"] = [
            {
                "to": notification.to_email,
                "subject": notification.subject,
                "text": notification.body_text,
                "state": notification.get_state_display(),
                "written": _day(notification.created),
                "sent": _day(notification.sent_at),
            }
            for notification in Notification.objects.filter(recipient=user).order_by("created", "pk")
        ]
    for _receiver, section in personal_data_requested.send(sender=User, user=user):
        if section:
            name, content = section
            data[name] = content
    return data


def closure_refusals(user: User) -> list[str]:
    """Why `user` cannot close their account now (nothing: they can)."""
    if not may_close_own_account(user):
        return [
            _(
                "Seul un compte de foyer se ferme ici. Pour quitter une organisation ou fermer un compte "
                "professionnel, écrivez à l’équipe Rebond."
            )
        ]
    answers = account_closure_refusals.send(sender=User, user=user)
    return [str(message) for _receiver, message in answers if message]


def lock_open_account(user: User) -> User:
    """Lock a person's row, the first row closing their account locks, and refuse if the account is closed (or
    deactivated). Whatever is written for a household (a claim, a waiting place, a document, a mandate, a warranty
    ticket) goes through here before locking anything else: one sent while the account closes waits for the
    closing, then finds it done, instead of slipping in after its checks and erasures."""
    locked = User.objects.select_for_update().filter(pk=user.pk).first()
    if locked is None or not locked.is_active:
        raise Forbidden(
            _("Ce compte a été fermé : plus rien ne peut être fait en son nom."), code="account_closed"
        )
    return locked


@transaction.atomic
def close_account(*, user: User, password: str) -> None:
    """The person closes their own account, typing their password again; or nothing changes."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.has_usable_password() or not user.check_password(password or ""):
        raise Forbidden(_("Mot de passe incorrect : votre compte n’a pas été fermé."), code="wrong_password")
    _anonymise(user)


@transaction.atomic
def close_account_on_request(*, user_id: int) -> None:
    """Staff close a household's account on its request, checked in person or by letter (a household without a
    password of its own, who signs in with a printed code, cannot do it online: its referrer holds the code too)."""
    _anonymise(User.objects.select_for_update().get(pk=user_id))


def _anonymise(user: User) -> None:
    refusals = closure_refusals(user)
    if refusals:
        raise Conflict(" ".join(refusals), code="account_busy")
    account_closing.send(sender=User, user=user)
    email = user.email
    HouseholdProfile.objects.filter(user=user).update(postcode="", birth_date=None)
    APIToken.objects.filter(user=user).delete()
    IdempotentRequest.objects.filter(
        user=user
    ).delete()  # API answers kept for a retry: they may name the person
    # The admin's history of edits to this account names it (its label, the changed fields): the rows stay.
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(label=f"#{user.pk}", data={})
    Notification.objects.filter(recipient=user).delete()
    Notification.objects.filter(about=user).delete()  # what its referrer or association was told about it
    if email:
        Notification.objects.filter(to_email__iexact=email).delete()
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=email).delete()
    user.first_name = ""
    user.last_name = ""
    user.email = None
    user.pending_email = ""
    user.is_active = False
    # A new password hash also ends every other session of the person at its next request.
    user.set_unusable_password()
    user.save()
    logger.info("Account %s closed", user.pk)
