"""Who may change the address an account signs in with, and how a new one comes into use.

An address is where a password reset link goes: whoever sets it can take the account. So every write path (the
person's own page, a referrer's page, a household opened by a referrer by form or API, the admin's user form)
goes through `request_email_change`, which holds one rule:

- the person may change their own address, in a session opened with their own credentials (never with a printed
  code, which whoever printed it also read), typing their password again when they have one;
- staff who may change accounts in the admin may ask for one (for a person who lost their mailbox);
- someone else (a referrer acting under a mandate, checked by the caller) may give an address only while the
  account is in their care: never entered by the person themselves (accounts.auth.in_someone_elses_care); after
  that only the person changes it.

The new address is only asked for (`pending_email`): a signed link valid a few days is sent to it, and it
replaces `email` when that link is followed (reuse.accounts.email_links). Until then the old address stays the
one used (sign-in, reset links, emails) and is told of the request. The link dies when the address, the password
or the address asked for change; Django's reset links die when the address changes (their token reads it).
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.users.utils import change_user_perm

from reuse.accounts.auth import in_someone_elses_care, normalise_email, opened_with_code
from reuse.accounts.email_links import account_of
from reuse.accounts.models import User
from reuse.accounts.services import notify
from reuse.accounts.signups import email_taken
from reuse.accounts.tasks import send_email_confirmation
from reuse.errors import Forbidden, InvalidInput


def _refusal(*, user: User, by: User) -> str | None:
    if by.pk == user.pk:
        if opened_with_code(by):
            return _(
                "Vous êtes entré(e) avec un code de connexion, que la personne qui l’a imprimé a lu aussi : "
                "l’adresse e-mail du compte ne se change pas ainsi. Pour avoir votre propre accès, écrivez à "
                "l’équipe Rebond."
            )
        return None
    if by.is_staff and by.has_perm(change_user_perm):
        return None  # staff, in the admin (reuse.accounts.wagtail_hooks); the link still goes to the address
    if not in_someone_elses_care(user):
        return _(
            "Cette personne se connecte déjà elle-même à son compte : elle seule peut changer son adresse "
            "e-mail, depuis son espace Rebond."
        )
    return None


def checked_address(*, user: User, new_email: str) -> str:
    """`new_email` as it would be stored, if it may become `user`'s address: a valid address no account uses."""
    address = normalise_email(new_email)
    try:
        validate_email(address)
    except ValidationError as exc:
        raise InvalidInput(_("Saisissez une adresse e-mail valide."), code="email") from exc
    if address == user.email:
        raise InvalidInput(_("C’est déjà l’adresse de ce compte."), code="same_email")
    if email_taken(address):
        raise InvalidInput(_("Un compte existe déjà avec cette adresse e-mail."), code="email_taken")
    return address


@transaction.atomic
def request_email_change(*, user: User, new_email: str, by: User, password: str | None = None) -> User:
    """Ask for `new_email` to become `user`'s sign-in address; `by` is who asks (the person, or a referrer whose
    mandate the caller checked). Sends the confirmation link to the new address and tells the old one."""
    refused = _refusal(user=user, by=by)
    if refused:
        raise Forbidden(refused, code="not_your_identifiers")
    if by.pk == user.pk and user.has_usable_password() and not user.check_password(password or ""):
        raise InvalidInput(_("Mot de passe incorrect."), code="wrong_password")
    address = checked_address(user=user, new_email=new_email)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.pending_email = address
    user.save(update_fields=["pending_email"])
    transaction.on_commit(lambda: send_email_confirmation.delay(user.pk))
    if user.email:
        notify(template="email_change_requested", context={"new_email": address}, user=user)
    return user


@transaction.atomic
def confirm_email_change(*, token: str) -> User:
    """Follow a confirmation link: its address becomes the account's. Refused once expired, used, or overtaken
    (another address asked, a new password, the address changed)."""
    user = account_of(token)
    if user is None:
        raise InvalidInput(
            _("Ce lien de confirmation n’est plus valable. Demandez à nouveau le changement d’adresse."),
            code="link_expired",
        )
    if email_taken(user.pending_email):
        raise InvalidInput(_("Un compte existe déjà avec cette adresse e-mail."), code="email_taken")
    user.email, user.pending_email = user.pending_email, ""
    user.email_confirmed_at = timezone.now()  # ends this link for good (email_links._stamp)
    user.save(update_fields=["email", "pending_email", "email_confirmed_at"])
    return user
