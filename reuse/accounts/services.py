"""Use-cases for accounts and organisations. Keyword-only, atomic, raising typed errors."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import APIToken

from reuse.accounts.emails import language_of, organisation_language, written_for
from reuse.accounts.enums import MembershipRole, NotificationState, OrganisationKind, OrganisationStatus
from reuse.accounts.models import HouseholdProfile, Membership, Notification, Organisation, User
from reuse.accounts.signals import organisation_standing_changed
from reuse.accounts.signups import create_account
from reuse.accounts.tasks import send_notification
from reuse.accounts.transitions import NOTIFICATIONS, ORGANISATIONS
from reuse.accounts.validators import (
    department_from_postcode,
    normalise_identifier,
    normalise_phone,
    normalise_postcode,
    validate_rna,
    validate_siret,
)
from reuse.errors import Conflict, Forbidden, InvalidInput
from reuse.policy.accounts import membership_refused

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OrganisationDetails:
    """Who an organisation is and where: what every sign-up (donor, workshop, association, small structure)
    asks, declared once; register_organisation checks and stores it."""

    name: str
    address: str
    postcode: str
    city: str
    siret: str = ""
    rna: str = ""
    email: str = ""
    phone: str = ""

    @classmethod
    def split(cls, data: Mapping) -> tuple["OrganisationDetails", dict]:
        """A form's cleaned data as the organisation's details and the rest (a profile's fields)."""
        names = {field.name for field in fields(cls)}
        details = cls(**{name: value for name, value in data.items() if name in names})
        return details, {name: value for name, value in data.items() if name not in names}


@transaction.atomic
def checked_phone(value: str) -> str:
    """normalise_phone for a write path without a form (the API): an impossible number is refused in French."""
    try:
        return normalise_phone(value)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], code="phone") from exc


@transaction.atomic
def register_organisation(
    *,
    kind: str,
    details: OrganisationDetails,
    admin: User | None = None,
    status: str = OrganisationStatus.PENDING,
) -> Organisation:
    """Create an organisation (pending staff verification) and make `admin` its first administrator."""
    siret, rna = normalise_identifier(details.siret), normalise_identifier(details.rna)
    errors = {}
    if siret:
        try:
            validate_siret(siret)
        except ValidationError as exc:
            errors["siret"] = exc.messages
    if rna:
        try:
            validate_rna(rna)
        except ValidationError as exc:
            errors["rna"] = exc.messages
    if not siret and not rna and kind != OrganisationKind.HUB:
        errors["siret"] = ["Indiquez un SIRET (ou un numéro RNA pour une association)."]
    if kind in (OrganisationKind.DONOR, OrganisationKind.WORKSHOP, OrganisationKind.REFERRER) and not siret:
        errors.setdefault("siret", ["Un SIRET est nécessaire pour ce type d’organisation."])
    try:
        phone = normalise_phone(details.phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    try:
        department = department_from_postcode(details.postcode)
    except ValidationError as exc:
        errors["postcode"] = exc.messages
        department = ""
    if errors:
        raise InvalidInput(" ".join(m for msgs in errors.values() for m in msgs), code="invalid")
    organisation = Organisation.objects.create(
        kind=kind,
        name=details.name.strip(),
        siret=siret,
        rna=rna,
        address=details.address.strip(),
        postcode=normalise_postcode(details.postcode),
        city=details.city.strip(),
        department=department,
        email=details.email,
        phone=phone,
        status=status,
        approved_at=timezone.now() if status == OrganisationStatus.APPROVED else None,
    )
    if admin is not None:
        add_member(organisation=organisation, user=admin, role=MembershipRole.ADMIN, by=admin)
    return organisation


def _move_organisation(organisation: Organisation, to: str, *, by: User, changes=None) -> bool:
    """Move `organisation` through its lifecycle, or leave it where it already stands (False). Its save tells the
    members' cached standing and the catalogue's pages (post_save receivers); the standing signal follows a move."""
    locked = ORGANISATIONS.lock(organisation.pk)
    moved = locked.status != to
    if moved:
        ORGANISATIONS.move(locked, to, actor=by, changes=changes)
    organisation.refresh_from_db()
    if moved:
        organisation_standing_changed.send(sender=Organisation, organisation=organisation)
    return moved


@transaction.atomic
def approve_organisation(
    *, organisation: Organisation, by: User, lifts_suspension: bool = False
) -> Organisation:
    """Staff approve an organisation that waits for its check (a workshop, an association, a referrer verified).

    A suspension is lifted only by the organisation's own approve action (`lifts_suspension`): a verification
    clicked from a page opened before another staff member suspended the organisation is refused (409 suspended),
    instead of undoing the suspension and telling the organisation it was approved."""
    ORGANISATIONS.lock(organisation.pk)
    organisation.refresh_from_db(fields=["status"])
    if organisation.status == OrganisationStatus.SUSPENDED and not lifts_suspension:
        raise Conflict(
            _("%(name)s est suspendue : seule l’action « Approuver » de sa fiche lève la suspension.")
            % {"name": organisation.name},
            code="suspended",
        )
    approved = _move_organisation(
        organisation, OrganisationStatus.APPROVED, by=by, changes={"approved_by": by}
    )
    if approved and organisation.email:
        notify(
            to_email=organisation.email,
            template="organisation_approved",
            context={"organisation": organisation},
            language_if_unknown=organisation_language(organisation),
        )
    return organisation


@transaction.atomic
def suspend_organisation(*, organisation: Organisation, by: User) -> Organisation:
    """Staff stop an organisation: its members lose what its approval gave them (a workshop's stock, the counter)
    at once, and its listed devices leave the catalogue (reuse.claims.filters). The approve action lifts it."""
    if _move_organisation(organisation, OrganisationStatus.SUSPENDED, by=by):
        logger.info("Organisation %s suspended by user %s", organisation.pk, by.pk)
    return organisation


@transaction.atomic
def add_member(
    *, organisation: Organisation, user: User, by: User, role: str = MembershipRole.MEMBER
) -> Membership:
    """The one way into an organisation (sign-up, invitation, the admin's form): a staff account enters only by a
    superuser's hand (reuse.policy.accounts.membership_refused)."""
    refuse_membership(by=by, account=user)
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    return membership


def refuse_membership(*, by: User, account: User) -> None:
    if membership_refused(by, account):
        raise Forbidden(
            _("Seul un super-utilisateur fait d’un membre de l’équipe Rebond le membre d’une organisation."),
            code="staff_membership",
        )


@transaction.atomic
def create_household(
    *,
    first_name: str,
    last_name: str,
    postcode: str,
    household_size: int = 1,
    email: str | None = None,
    password: str | None = None,
    birth_date=None,
    language: str | None = None,
) -> User:
    user = create_account(
        email=email, password=password, first_name=first_name, last_name=last_name, language=language
    )
    try:
        HouseholdProfile.objects.create(
            user=user, postcode=postcode, household_size=household_size, birth_date=birth_date
        )
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages)) from exc
    return user


def issue_api_token(*, user: User, name: str = "issue_api_token") -> str:
    """Create a bearer token and return it in clear, once; only its HMAC digest is stored (Wagtail's APIToken)."""
    _token, plaintext = APIToken.create_token(user=user, name=name)
    return plaintext


def notify(
    *,
    template: str,
    context: dict,
    user: User | None = None,
    to_email: str | None = None,
    language_if_unknown: str | None = None,
    about: User | None = None,
):
    """Queue an email (plain text and HTML) rendered from templates/emails/<template>.* in the language of the
    person who reads it (reuse.accounts.emails), whatever the language of the request or worker that queues it;
    an address without an account is written to in `language_if_unknown` when someone chose it for them.
    `about`: the household the email names when it is written to someone else (it goes when that account closes).

    Returns None when the person has no email address: they are told in person or on paper instead.
    """
    to_email = to_email or (user.email if user else None)
    if not to_email:
        return None
    language = language_of(user, to_email, otherwise=language_if_unknown)
    email = written_for(language, template, {**context, "recipient": user})
    notification = Notification.objects.create(
        recipient=user,
        about=about,
        to_email=to_email,
        language=email.language,
        template=template,
        subject=email.subject,
        body_text=email.text,
        body_html=email.html,
    )
    transaction.on_commit(lambda: send_notification.delay(notification.pk))
    return notification


SYSTEM_EMAIL = "robot@rebond.invalid"


def system_user() -> User:
    """The actor of what the platform does by itself (an expiry, a waitlist offer, a price the programme no longer
    allows): an inactive account without a password, named « Rebond (automatique) » in every history."""
    user, created = User.objects.get_or_create(
        email=SYSTEM_EMAIL,
        defaults={"first_name": "Rebond", "last_name": "(automatique)", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def notify_organisation(*, organisation: Organisation, template: str, context: dict) -> None:
    """Email an organisation: its administrators, and its contact address when none of them has it."""
    sent = set()
    admins = organisation.memberships.filter(role=MembershipRole.ADMIN).select_related("user").order_by("pk")
    for membership in admins:
        email = (membership.user.email or "").lower()
        if email and email not in sent:
            notify(template=template, context=context, user=membership.user)
            sent.add(email)
    if organisation.email and organisation.email.lower() not in sent:
        notify(
            template=template,
            context=context,
            to_email=organisation.email,
            language_if_unknown=organisation_language(organisation),
        )


def requeue_notification(*, notification: Notification) -> Notification:
    """Staff ask for a failed or given-up email to be sent again now: a fresh series of attempts (the last error
    stays visible until an attempt replaces it)."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if notification.state not in (NotificationState.FAILED, NotificationState.GAVE_UP):
            raise InvalidInput(_("Cet e-mail n’est pas en échec."))
        NOTIFICATIONS.move(
            notification, NotificationState.PENDING, changes={"attempts": 0, "next_attempt_at": None}
        )
        transaction.on_commit(lambda: send_notification.delay(notification.pk))
    return notification
