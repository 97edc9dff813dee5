"""No route sends anyone to another site from an address it was given (`next=`, `return=`, `back=`…, or the Referer
it reads to send a form back to its page): the routes are read from the URL resolver, so a new one is tried too.

Each route that takes no argument (sign-in, code sign-in, the language switch, sign-out, the Wagtail admin's
sign-in…) is asked by GET and by POST, by someone signed out and by someone signed in, with a marked address of
this site in each of those parameters: a route whose answer sends to the marked address reads one of them, and is
then asked again with each address a browser reads as another host (RFC 3986 §4.2 network-path references, the
WHATWG URL standard's backslash and tab handling, percent-encoded forms some views decode).
"""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories.accounts import household

pytestmark = pytest.mark.django_db

PASSWORD = "demo-pass-2026-long"
PARAMETERS = ("next", "return", "return_to", "redirect", "redirect_to", "back", "url")
MARK = "/marque-de-test/"
AWAY = [
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "https:evil.example",
    "https://evil.example/",
    "http://testserver@evil.example/",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "%5C%5Cevil.example",
    "javascript:alert(1)",
    "%252F%252Fevil.example",
]


def routes_without_arguments(patterns=None, prefix=""):
    """(route name or path, path) of every route of the URLconf that takes no argument."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.pattern.regex.groups == 0:
                yield from routes_without_arguments(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.pattern.regex.groups == 0:
            route = prefix + str(pattern.pattern)
            if "^" not in route and "(" not in route and "<" not in route:
                yield pattern.name or route, "/" + route.lstrip("/").replace("\\", "")


def leaves_the_site(location: str) -> bool:
    """Whether a browser sent to `location` from http://testserver/ would land on another host (or run a script)."""
    # As the WHATWG URL parser reads it: tabs and newlines dropped, a backslash taken for a slash; the
    # percent-encoded forms stay as they are (a browser never decodes them to find the host).
    cleaned = "".join(c for c in location if c not in "\t\r\n").strip().replace("\\", "/")
    parts = urlsplit(cleaned)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return True
    # « https:evil.example » from an http page is https://evil.example to a browser (a special scheme other than
    # the page's); a host-less address with a scheme is never one a view of ours needs to send to.
    if parts.scheme and not parts.netloc:
        return True
    # An address without scheme nor host starting with two slashes names a host; on our own host
    # (http://testserver//evil.example) the browser stays here.
    return not parts.netloc and cleaned.startswith("//")


def asked(client, method, path, address):
    params = dict.fromkeys(PARAMETERS, address)
    if method == "get":
        return client.get(path, params, HTTP_REFERER=f"http://testserver{address}")
    data = {**params, "username": "redirige@example.test", "password": PASSWORD, "language": "en"}
    query = "&".join(f"{name}={address}" for name in PARAMETERS)
    return client.post(f"{path}?{query}", data, HTTP_REFERER=f"http://testserver{address}")


@pytest.fixture
def people():
    person = household(email="redirige@example.test")
    person.set_password(PASSWORD)
    person.save()
    signed_in = Client()
    signed_in.force_login(person)
    return {"anonymous": Client, "household": lambda: signed_in}


def test_the_check_sees_a_way_to_another_host():
    assert all(leaves_the_site(address) for address in AWAY if "%" not in address)
    # Encoded, these are paths below the page (a browser does not decode them): only a view decoding them again
    # would turn them into another host, which the walk below sees.
    assert not any(leaves_the_site(address) for address in AWAY if "%" in address)
    assert not leaves_the_site("/compte/") and not leaves_the_site("http://testserver/compte/?a=1")


def test_no_route_sends_anyone_to_another_site(people):
    routes = sorted(set(routes_without_arguments()))
    assert any(path == "/i18n/setlang/" for _name, path in routes)
    readers, wrong = [], []
    for name, path in routes:
        for who, client_for in people.items():
            for method in ("get", "post"):
                response = asked(client_for(), method, path, MARK)
                if MARK not in response.get("Location", ""):
                    continue
                readers.append((name, who, method))
                for address in AWAY:
                    location = asked(client_for(), method, path, address).get("Location", "")
                    if leaves_the_site(location):
                        wrong.append(
                            f"{method.upper()} {path} as {who} with {address!r}: sent to {location!r}"
                        )
    # The walk found the routes that follow such an address: the sign-in and the language switch at least.
    assert {"login", "set_language"} <= {name.split(":")[-1] for name, _who, _method in readers}, readers
    assert wrong == []
