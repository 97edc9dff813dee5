"""Guessing passwords past django-axes' count per (account, network address): changing address on one account,
or one password sprayed over many accounts from one address. See reuse/accounts/lockouts.py."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests import fixtures
from tests.factories.accounts import PASSWORD, UserFactory, household

pytestmark = pytest.mark.django_db
_on_commit_runs_at_once = fixtures._on_commit_runs_at_once

LOGIN = reverse("accounts:login")


@pytest.fixture(autouse=True)
def _axes(settings):
    settings.AXES_ENABLED = True


def sign_in(client, email, password, address):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def through_proxy(client, email, password, forwarded_for):
    """A sign-in reaching Django from the reverse proxy (REMOTE_ADDR), which appended what it saw."""
    return client.post(
        LOGIN,
        {"username": email, "password": password},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def reset_path(body: str) -> str:
    link = next(line for line in body.splitlines() if "/mot-de-passe/nouveau/" in line).strip()
    return "/" + link.split("/", 3)[3]


def test_changing_network_address_does_not_give_endless_guesses_on_one_account(client, settings):
    victim = UserFactory(email="victim@example.test")
    # Four wrong passwords from each of five addresses: django-axes (five per address) never stops them.
    for n in range(settings.SIGN_IN_FAILURES_PER_ACCOUNT // 4):
        for _ in range(4):
            assert sign_in(client, "victim@example.test", "guess", f"10.0.{n}.1").status_code == 200
    # Even the right password from a fresh address is refused now, and an unknown address is answered alike.
    refused = sign_in(client, "Victim@example.test", PASSWORD, "10.9.9.9")
    assert refused.status_code == 429 and "Trop d’essais" in refused.content.decode()
    for _ in range(settings.SIGN_IN_FAILURES_PER_ACCOUNT):
        sign_in(client, "nobody@example.test", "guess", "10.8.8.8")
    assert sign_in(client, "nobody@example.test", "guess", "10.7.7.7").status_code == 429
    # The admin's sign-in form is held to the same count.
    admin = client.post(
        reverse("wagtailadmin_login"), {"username": "victim@example.test", "password": PASSWORD}
    )
    assert admin.status_code == 429
    # The owner is never locked out by someone else: the reset link lets them in at once.
    client.post(reverse("accounts:password_reset"), {"email": "victim@example.test"})
    form_url = client.get(reset_path(mail.outbox[-1].body))["Location"]
    new = {"new_password1": "un-nouveau-secret-2026", "new_password2": "un-nouveau-secret-2026"}
    done = client.post(form_url, new, follow=True)
    assert done.wsgi_request.user == victim
    client.logout()
    assert sign_in(client, "victim@example.test", "un-nouveau-secret-2026", "10.9.9.9").status_code == 302
    # And the lock ends with its window anyway.
    client.logout()
    for n in range(settings.SIGN_IN_FAILURES_PER_ACCOUNT):
        sign_in(client, "victim@example.test", "guess", f"10.1.{n}.1")
    assert sign_in(client, "victim@example.test", "un-nouveau-secret-2026", "10.9.9.8").status_code == 429
    later = timezone.now() + timedelta(seconds=settings.SIGN_IN_FAILURE_WINDOW + 1)
    with time_machine.travel(later, tick=False):
        assert sign_in(client, "victim@example.test", "un-nouveau-secret-2026", "10.9.9.7").status_code == 302


def test_one_address_cannot_spray_a_password_over_every_account(client, settings):
    UserFactory(email="mine@example.test")
    for n in range(settings.SIGN_IN_FAILURES_PER_ADDRESS):
        sign_in(client, f"person{n}@example.test", "Soleil2026!", "203.0.113.7")
    # From that address nothing more is tried, not even on the attacker's own account (which clears nothing).
    assert sign_in(client, "mine@example.test", PASSWORD, "203.0.113.7").status_code == 429
    assert sign_in(client, "person0@example.test", "Soleil2026!", "203.0.113.7").status_code == 429
    # Everyone else signs in as usual.
    assert sign_in(client, "mine@example.test", PASSWORD, "198.51.100.4").status_code == 302


def test_the_close_account_form_is_no_way_round_the_count(client, settings):
    """Whoever finds a session open (a shared computer) could try passwords on « Fermer mon compte » without end,
    and learn one its owner may use elsewhere: its wrong passwords count as failed sign-ins."""
    person = household(email="left-open@example.test")
    client.force_login(person)
    for _ in range(settings.SIGN_IN_FAILURES_PER_ACCOUNT):
        wrong = client.post(reverse("accounts:my_data"), {"password": "guess", "confirm": "on"})
        assert wrong.status_code == 403
    right = client.post(reverse("accounts:my_data"), {"password": PASSWORD, "confirm": "on"})
    assert right.status_code == 429 and "Trop d’essais" in right.content.decode()
    person.refresh_from_db()
    assert person.email == "left-open@example.test" and person.is_active
    client.logout()
    assert sign_in(client, "left-open@example.test", PASSWORD, "10.3.3.3").status_code == 429


def test_behind_the_reverse_proxy_each_person_is_counted_under_their_own_address(client, settings):
    """In production every request reaches Django from the reverse proxy: counted under that one address, a
    spray would stop everyone's sign-in, and django-axes' count per (account, address) would be per account."""
    settings.TRUSTED_PROXY_HOPS = 1
    UserFactory(email="mine@example.test")
    # The attacker writes a header of their own; the proxy appends the address it saw.
    for n in range(settings.SIGN_IN_FAILURES_PER_ADDRESS):
        through_proxy(client, f"person{n}@example.test", "Soleil2026!", f"192.0.2.{n}, 203.0.113.7")
    assert through_proxy(client, "mine@example.test", PASSWORD, "203.0.113.7").status_code == 429
    assert through_proxy(client, "mine@example.test", PASSWORD, "198.51.100.4").status_code == 302
    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


@pytest.mark.parametrize(
    "written",
    [
        "203.0.113.7:{port}",  # Azure Application Gateway: « X-Forwarded-For: IP:port » (its request docs)
        "[2001:db8:5:7::1]:{port}",  # an IPv6 address with its port, bracketed as in RFC 3986 section 3.2.2
    ],
)
def test_a_proxy_that_writes_the_clients_port_counts_one_address(client, settings, written):
    """Some reverse proxies append the client's address with the port it connected from, which changes with
    every connection: read as written, each connection would be a new network address, and every count per
    address (sign-in, sign-up probes, printed codes, voucher codes) a count per request."""
    settings.TRUSTED_PROXY_HOPS = 1
    UserFactory(email="mine@example.test")
    for n in range(settings.SIGN_IN_FAILURES_PER_ADDRESS):
        through_proxy(client, f"person{n}@example.test", "Soleil2026!", written.format(port=50000 + n))
    assert through_proxy(client, "mine@example.test", PASSWORD, written.format(port=61000)).status_code == 429


def test_an_ipv6_host_is_counted_under_its_whole_network(client, settings):
    """An IPv6 connection is given a whole /64 (RFC 4291 section 2.5.1: the last 64 bits are the interface's) and
    its host takes a new address in it whenever it likes (RFC 8981's temporary addresses): counted address by
    address, one machine would spray passwords without end. Its /64 is the network address counted."""
    UserFactory(email="mine@example.test")
    for n in range(settings.SIGN_IN_FAILURES_PER_ADDRESS):
        sign_in(client, f"person{n}@example.test", "Soleil2026!", f"2001:db8:5:7::{n + 1:x}")
    assert sign_in(client, "mine@example.test", PASSWORD, "2001:db8:5:7:a:b:c:d").status_code == 429
    # The next network is someone else's.
    assert sign_in(client, "mine@example.test", PASSWORD, "2001:db8:5:8::1").status_code == 302


def test_an_ipv4_address_written_as_ipv6_is_that_ipv4_address(client, settings):
    """A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d (RFC 4291 section 2.5.5.2): the same person
    must not get a second count by arriving both ways."""
    UserFactory(email="mine@example.test")
    for n in range(settings.SIGN_IN_FAILURES_PER_ADDRESS):
        address = "203.0.113.7" if n % 2 else "::ffff:203.0.113.7"
        sign_in(client, f"person{n}@example.test", "Soleil2026!", address)
    assert sign_in(client, "mine@example.test", PASSWORD, "203.0.113.7").status_code == 429
    assert sign_in(client, "mine@example.test", PASSWORD, "::ffff:203.0.113.7").status_code == 429
