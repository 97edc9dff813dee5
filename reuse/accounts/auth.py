"""Sign-in identifiers. One spelling per account, for Django's authentication and django-axes' counting alike."""

from django.conf import settings


def normalise_email(value) -> str:
    """The form in which emails are stored (User.save): trimmed and lower-case."""
    return str(value or "").strip().lower()


def axes_username(request, credentials=None) -> str:
    """AXES_USERNAME_CALLABLE: the normalised address, so that changing its case does not reset the count.

    django-axes calls it with the credentials handed to `authenticate()` (site and admin login forms alike) or,
    when it has none, with the request alone (its middleware and views read the posted form).
    """
    if credentials:
        raw = credentials.get("username") or credentials.get("email")
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        raw = data.get("username") or data.get("email")
    return normalise_email(raw)


# The attribute the code-session middleware (reuse.eligibility.middleware) sets on request.user: the printed
# sign-in code the session was opened with (reuse.policy.mandates reads what it allows).
CODE_SESSION_ATTRIBUTE = "rebond_sign_in_code"


def opened_with_code(user) -> bool:
    """Whether this session was opened with a printed sign-in code, which whoever printed it also read."""
    return getattr(user, CODE_SESSION_ATTRIBUTE, None) is not None


def in_someone_elses_care(user) -> bool:
    """An account a referrer opened and the person never entered by themselves: no sign-in yet (with a password,
    a link or a printed code) and no password. Only then may a referrer give it its email address."""
    return user.last_login is None and not user.has_usable_password()


def has_own_credentials(user) -> bool:
    """A person who can sign in without anyone's help: a usable password, or an email to set one with.

    Such a person never gets a printed sign-in code, and accepts a mandate in their own space.
    """
    return bool(user.email) or user.has_usable_password()


def client_address(request) -> str:
    """The network address of whoever sent the request: what every limit per address counts (django-axes, through
    AXES_CLIENT_IP_CALLABLE, the wider sign-in limits, sign-up probes, printed sign-in codes).

    Behind TRUSTED_PROXY_HOPS reverse proxies, each of which appends the address it received the request from to
    X-Forwarded-For, REMOTE_ADDR is the nearest proxy's for everyone: the client is the entry that many places
    from the right. Entries further left were written by the client and prove nothing.
    """
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "") or ""
