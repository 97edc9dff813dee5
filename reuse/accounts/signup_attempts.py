"""A sign-up under an address that already has an account.

Every sign-up form (household, donor, workshop, association, small structure) must say so: most sign the person in
at once, so their answer for a new address cannot look like the one for a taken address without an email
confirmation step before the account exists. What is done meanwhile so that the answer does not serve to find out
who uses Rebond (a household's account tells of its income):

- the owner of the address is told by email that someone tried to sign up with it, with the way back in (sign-in
  page, « Mot de passe oublié ? »): at most one such email an hour per address, so that nobody floods them;
- except when the account was opened minutes ago: that is the person's own sign-up sent twice (a double tap, a
  phone resending the form after a timeout), which the sign-up views answer by signing them in (sent_again);
- a network address that met SIGNUP_PROBES_PER_HOUR taken addresses within the hour may not sign anyone up until
  the hour ends, whatever the address it tries next (a refusal for taken addresses only would answer the question).
"""

import hashlib
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from reuse.accounts.auth import normalise_email
from reuse.accounts.counters import count, count_up
from reuse.accounts.enums import MembershipRole
from reuse.accounts.models import Organisation, User
from reuse.accounts.services import notify

SIGNUP_PROBES_PER_HOUR = 10
HOUR = 3600
# An account younger than this is not warned: its own sign-up coming a second time.
JUST_OPENED = timedelta(minutes=15)


def _key(kind: str, value: str) -> str:
    return f"signup-attempts:{kind}:" + hashlib.sha256(value.encode()).hexdigest()[:32]


def refusal(client_key: str) -> str | None:
    """Why this network address may not sign anyone up now, or None."""
    if client_key and count(_key("client", client_key)) >= SIGNUP_PROBES_PER_HOUR:
        return _("Trop d’inscriptions essayées depuis votre connexion. Réessayez dans une heure.")
    return None


def address_was_taken(email: str, client_key: str) -> None:
    """Count the attempt against the network address, and tell the address's owner (once an hour)."""
    if client_key:
        count_up(_key("client", client_key), HOUR)
    address = normalise_email(email)
    owner = User.objects.filter(email=address, is_active=True).first()
    if owner is None or owner.date_joined > timezone.now() - JUST_OPENED:
        return
    if count_up(_key("owner", address), HOUR) == 1:
        notify(template="signup_attempt", context={}, user=owner)


def just_registered(user: User, kind: str):
    """The organisation of this kind that `user` registered as its first administrator minutes ago: what an
    organisation's sign-up sent a second time answers with (sent_again), or None when the account is older
    or registered none (then the page says the address is taken, as for anyone else)."""
    since = timezone.now() - JUST_OPENED
    if user.date_joined <= since:
        return None
    return (
        Organisation.objects.filter(
            kind=kind,
            created__gt=since,
            memberships__user=user,
            memberships__role=MembershipRole.ADMIN,
        )
        .order_by("-created")
        .first()
    )
