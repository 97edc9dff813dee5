"""Sign-in identifiers. One spelling per account, for Django's authentication and django-axes' counting alike."""

from axes.helpers import get_client_ip_address


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


def has_own_credentials(user) -> bool:
    """A person who can sign in without anyone's help: a usable password, or an email to set one with.

    Such a person never gets a printed sign-in code, and accepts a mandate in their own space.
    """
    return bool(user.email) or user.has_usable_password()


def client_address(request) -> str:
    """The network address requests are counted under (sign-in and sign-up limits), as django-axes reads it."""
    return get_client_ip_address(request) or ""
