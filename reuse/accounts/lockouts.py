"""Sign-in limits beyond django-axes' count per (address, network address): see the settings' AXES_ comment.

django-axes stops the sixth wrong password for one account from one network address. Alone, it lets an attacker
who changes network address try five passwords per address on one account forever, and one who keeps a single
address try one password on every account. Two wider counters close both, over a fixed window
(SIGN_IN_FAILURE_WINDOW seconds from the first failure):

- per account, whatever the network address: SIGN_IN_FAILURES_PER_ACCOUNT failures, then no password sign-in
  for that account until the window ends;
- per network address, whatever the account: SIGN_IN_FAILURES_PER_ADDRESS failures, then no password sign-in
  from that address until the window ends.

An address unknown to Rebond is counted and refused the same way (the refusal says nothing of who has an account).
The owner of a locked account is never locked out by someone else: a reset link (« Mot de passe oublié ? »)
signs them in as soon as they choose a new password (accounts.views.PasswordResetConfirmView) and clears the
account's count, and a printed sign-in code never asks for a password. Failures are counted from Django's
`user_login_failed` signal, so the site's and the Wagtail admin's sign-in forms share the counts; the password a
signed-in person types again to close their account counts too (accounts.views.my_data).
"""

import hashlib

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from reuse.accounts.auth import axes_username, client_address, normalise_email
from reuse.accounts.counters import count, count_up


def _key(kind: str, value: str) -> str:
    return f"sign-in-failures:{kind}:" + hashlib.sha256(value.encode()).hexdigest()[:32]


def _keys(username: str, address: str | None) -> list[tuple[str, int]]:
    """The counters a sign-in under `username` from `address` is held to, with their limits."""
    keys = []
    if username:
        keys.append((_key("account", username), settings.SIGN_IN_FAILURES_PER_ACCOUNT))
    if address:
        keys.append((_key("address", address), settings.SIGN_IN_FAILURES_PER_ADDRESS))
    return keys


def is_locked(username: str, address: str | None) -> bool:
    return any(count(key) >= limit for key, limit in _keys(normalise_email(username), address))


def clear_account(username: str) -> None:
    """The owner proved who they are (right password, reset link): their account's count starts again. The
    network address's count stays: an attacker would otherwise clear it by signing in to their own account."""
    cache.delete(_key("account", normalise_email(username)))


class WideLockoutBackend:
    """First in AUTHENTICATION_BACKENDS after django-axes': refuses a password sign-in that either wide counter
    stops, with django-axes' lockout page (its middleware answers 429 when `request.axes_locked_out` is set). Like
    django-axes' backend it has no get_user: a session is never bound to it (Django's test client's force_login
    takes the first backend that has one)."""

    def authenticate(self, request, username=None, **credentials):
        if request is None:
            return None
        if refuses(request, username or ""):
            request.axes_locked_out = True
            raise PermissionDenied
        return None


def count_failure(request, username: str) -> None:
    """A wrong password for `username`: at sign-in (below), or where a signed-in person types theirs again
    (closing their account), which would otherwise let whoever finds a session open try passwords without end."""
    for key, _limit in _keys(normalise_email(username), client_address(request)):
        count_up(key, settings.SIGN_IN_FAILURE_WINDOW)


def refuses(request, username: str) -> bool:
    return is_locked(username, client_address(request))


def _failed(sender, credentials, request=None, **kwargs):
    if request is not None:
        count_failure(request, axes_username(request, credentials))


def _signed_in(sender, request, user, **kwargs):
    clear_account(user.get_username() or "")


def connect() -> None:
    user_login_failed.connect(_failed, dispatch_uid="accounts.lockouts.failed")
    user_logged_in.connect(_signed_in, dispatch_uid="accounts.lockouts.signed_in")
