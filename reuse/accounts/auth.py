"""Sign-in identifiers. One spelling per account, for Django's authentication and django-axes' counting alike."""

import ipaddress

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


def sender_address(request) -> str:
    """The network address the request came from, as sent: what a record of who did what keeps (a document's
    viewing log).

    Behind TRUSTED_PROXY_HOPS reverse proxies, each of which appends the address it received the request from to
    X-Forwarded-For, REMOTE_ADDR is the nearest proxy's for everyone: the client is the entry that many places
    from the right. Entries further left were written by the client and prove nothing.
    """
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if hops and len(forwarded) >= hops:
        return _without_port(forwarded[-hops])
    return request.META.get("REMOTE_ADDR", "") or ""


def _without_port(written: str) -> str:
    """The address of an X-Forwarded-For entry some proxies write with the client's port (Azure Application
    Gateway: « 203.0.113.7:50123 », « [2001:db8::1]:50123 »), a port that changes with every connection."""
    if written.startswith("["):
        end = written.find("]")
        return written[1:end] if end > 0 else written
    if written.count(":") == 1:  # a bare IPv6 address has at least two colons
        return written.split(":", 1)[0]
    return written


# An IPv6 connection is given a whole /64 at least (RFC 4291 section 2.5.1: the last 64 bits name the interface),
# and its host takes a new address in it when it likes (RFC 8981's temporary addresses).
IPV6_COUNTED_PREFIX = 64


def client_address(request) -> str:
    """Whom every limit per network address counts (django-axes, through AXES_CLIENT_IP_CALLABLE, the wider
    sign-in limits, sign-up probes, printed sign-in codes, receipt and follow-up codes): the sender's address
    (sender_address), an IPv6 one as its /64 (the network's first address, still an address django-axes can
    store), so that one machine changing address within its own network is counted once, and an IPv4 one
    written as IPv6 (::ffff:a.b.c.d, a dual-stack listener's) as that IPv4 address."""
    sent = sender_address(request)
    try:
        address = ipaddress.ip_address(sent)
    except ValueError:
        return sent
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/{IPV6_COUNTED_PREFIX}", strict=False).network_address)
