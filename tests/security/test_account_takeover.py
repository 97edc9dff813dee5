"""Taking over someone else's account through the password reset: the link, its address, its second use.

The reset email carries a token that sets the password. Its link is built on PUBLIC_BASE_URL, as every other email
is: a request sent with another Host header (one ALLOWED_HOSTS lets through, such as a wildcard subdomain) must not
make the victim's email point at the asker's server. The answer does not tell a known address from an unknown
one, and a link works once.
"""

import pytest
from django.core import mail

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

RESET = "/compte/mot-de-passe/oubli/"


def reset_link(body: str) -> str:
    return next(line for line in body.splitlines() if "/mot-de-passe/nouveau/" in line).strip()


def test_the_reset_link_is_on_the_public_address_whatever_host_asked(client, settings):
    settings.ALLOWED_HOSTS = ["rebond.example", ".attacker.example"]
    settings.PUBLIC_BASE_URL = "https://rebond.example"
    UserFactory(email="victim@example.test")
    response = client.post(RESET, {"email": "victim@example.test"}, HTTP_HOST="pages.attacker.example")
    assert response.status_code == 302
    (email,) = mail.outbox
    assert reset_link(email.body).startswith("https://rebond.example/compte/mot-de-passe/nouveau/")
    assert "attacker" not in email.body and "attacker" not in email.alternatives[0][0]


def test_a_reset_says_the_same_for_an_unknown_address_and_its_link_works_once(client):
    user = UserFactory(email="known@example.test")
    known = client.post(RESET, {"email": "known@example.test"})
    unknown = client.post(RESET, {"email": "nobody@example.test"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    path = "/" + reset_link(mail.outbox[0].body).split("/", 3)[3]
    form_url = client.get(path)["Location"]
    new = {"new_password1": "un-nouveau-secret-2026", "new_password2": "un-nouveau-secret-2026"}
    assert client.post(form_url, new).status_code == 302
    # The same link again, in another browser: refused, the password stays the one just chosen.
    client.logout()
    again = client.get(path, follow=True)
    assert "plus valable" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password("un-nouveau-secret-2026")
