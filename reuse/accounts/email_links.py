"""The links that act on an account. The password link is Django's reset link (`password_link`). The signed link
that confirms a new sign-in address (reuse.accounts.identifiers) is valid CONFIRMATION_DAYS, for one account, its
current address and password, and the one address asked for; any change of these ends it. An address given while
the account was in a referrer's care dies too once the person signs in by themselves: from then on only they
choose it."""

from django.contrib.auth.tokens import default_token_generator
from django.core import signing
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


def _stamp(user: User) -> str:
    value = f"{user.pk}|{user.email or ''}|{user.password}|{user.pending_email}|{in_someone_elses_care(user)}"
    return salted_hmac(_SALT, value).hexdigest()[:32]


def confirmation_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "s": _stamp(user)}, salt=_SALT)


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
