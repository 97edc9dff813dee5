"""The links that act on an account. The password link is Django's reset link (`password_link`). The signed link
that confirms a new sign-in address (reuse.accounts.identifiers) is valid CONFIRMATION_DAYS, for one account, its
current address and password, and the one address asked for; any change of these ends it. An address given while
the account was in a referrer's care dies too once the person signs in by themselves: from then on only they
choose it."""

import hashlib

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from reuse.accounts.auth import in_someone_elses_care
from reuse.accounts.models import User

CONFIRMATION_DAYS = 3
_SALT = "reuse.accounts.identifiers.email"


def password_link(user: User) -> dict:
    """The arguments of the page where `user` chooses a password (accounts:password_reset_confirm): Django's reset
    link, which dies once used, or when the password or the address changes."""
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def _used_reset_key(token: str) -> str:
    return "accounts:used-reset-link:" + hashlib.sha256(token.encode()).hexdigest()


def remember_reset_used(token: str) -> None:
    """A reset link that just set a password: kept (as a hash) while the link would have been in date, so that
    following it again says the password was changed rather than « ask for a new link ». Only a hint for its
    holder: what ends the link is Django's token, which reads the password."""
    cache.set(_used_reset_key(token), True, settings.PASSWORD_RESET_TIMEOUT)


def reset_link_used(token: str) -> bool:
    return bool(token) and bool(cache.get(_used_reset_key(token)))


def _stamp(user: User) -> str:
    value = f"{user.pk}|{user.email or ''}|{user.password}|{user.pending_email}|{in_someone_elses_care(user)}"
    if user.email_confirmed_at:  # absent until a first confirmation: the links sent before it still work
        value += f"|{user.email_confirmed_at.isoformat()}"
    return salted_hmac(_SALT, value).hexdigest()[:32]


def _address_stamp(pk: int, address: str) -> str:
    """Which address a link asks for, without writing it in the link."""
    return salted_hmac(f"{_SALT}.address", f"{pk}|{address}").hexdigest()[:32]


def confirmation_token(user: User) -> str:
    return signing.dumps(
        {"u": user.pk, "s": _stamp(user), "a": _address_stamp(user.pk, user.pending_email)}, salt=_SALT
    )


def account_of(token: str) -> User | None:
    """The active account whose pending address this token confirms now (locked), or None."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=CONFIRMATION_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    user = User.objects.select_for_update().filter(pk=data.get("u"), is_active=True).first()
    if user is None or not user.pending_email or not constant_time_compare(_stamp(user), data.get("s", "")):
        return None
    return user


def already_confirmed(token: str) -> User | None:
    """The active account whose address already is the one this link, still in date, asked for (a link used
    twice: a double tap, or tapped again from the email), or None. It only tells what happened: the link itself
    confirms nothing any more (`account_of`)."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=CONFIRMATION_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True, email__isnull=False).first()
    if user is None or not constant_time_compare(_address_stamp(user.pk, user.email), data.get("a", "")):
        return None
    return user
