"""Taking over someone else's account through the password reset: the link, its address, its second use.

The reset email carries a token that sets the password. Its link is built on PUBLIC_BASE_URL, as every other email
is: a request sent with another Host header (one ALLOWED_HOSTS lets through, such as a wildcard subdomain) must not
make the victim's email point at the asker's server. The answer does not tell a known address from an unknown
one, and takes the same time: the email leaves from a worker after the request, tried again when the mail server
fails. A link works once; an address gets a few an hour. A household a referrer opened with its email gets in
through the link that confirms that address (tests/security/test_sign_in_identifiers.py), then by this one.
"""

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from reuse.accounts.forms import RESET_EMAILS_PER_HOUR
from reuse.accounts.models import User
from reuse.accounts.tasks import send_password_reset
from tests import fixtures
from tests.factories.accounts import UserFactory
from tests.factories.eligibility import accredited_referrer

pytestmark = pytest.mark.django_db
_on_commit_runs_at_once = fixtures._on_commit_runs_at_once

RESET = "/compte/mot-de-passe/oubli/"
OPENED_BY_A_REFERRER = {
    "first_name": "Nadia",
    "last_name": "Ferhat",
    "birth_date": "1979-05-02",
    "postcode": "93200",
    "email": "nadia.ferhat@example.test",
    "mandate": {"scope": ["eligibility", "claims"], "months": 6},
}


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
    # The same link again, in another browser: no form, it says the password was changed; it stays the one chosen.
    client.logout()
    again = client.get(path, follow=True).content.decode()
    assert "Votre mot de passe a déjà été changé" in again and 'name="new_password1"' not in again
    user.refresh_from_db()
    assert user.check_password("un-nouveau-secret-2026")


def test_a_household_a_referrer_opened_with_its_email_gets_in_by_its_confirmation_link(
    client, api_client, _on_commit_runs_at_once
):
    """The address a referrer typed is the account's once the person follows the link sent to it, which then
    lets them choose their password; until then no reset link goes there. After that, reset links do."""
    client.force_login(accredited_referrer()[0])
    assert api_client.post("/api/v1/households", OPENED_BY_A_REFERRER).status_code == 201
    household = User.objects.get(pending_email="nadia.ferhat@example.test")
    assert not household.has_usable_password() and household.email is None
    client.logout()
    (confirmation,) = [email for email in mail.outbox if "/adresse-e-mail/confirmer/" in email.body]
    assert confirmation.to == ["nadia.ferhat@example.test"]
    mail.outbox.clear()
    client.post(RESET, {"email": "Nadia.Ferhat@example.test"})
    assert mail.outbox == []
    link = next(line for line in confirmation.body.splitlines() if "/confirmer/" in line).strip()
    choose = client.post("/" + link.split("/", 3)[3])["Location"]
    new = {"new_password1": "mon-premier-secret-2026", "new_password2": "mon-premier-secret-2026"}
    assert client.post(client.get(choose)["Location"], new).status_code == 302
    assert client.login(username="nadia.ferhat@example.test", password="mon-premier-secret-2026")
    client.post(RESET, {"email": "Nadia.Ferhat@example.test"})
    (email,) = mail.outbox
    assert email.to == ["nadia.ferhat@example.test"] and "/mot-de-passe/nouveau/" in email.body
    # A closed or deactivated account gets no link.
    mail.outbox.clear()
    User.objects.filter(pk=household.pk).update(is_active=False)
    client.post(RESET, {"email": "nadia.ferhat@example.test"})
    assert mail.outbox == []


def test_nobody_floods_a_person_with_reset_emails(client):
    UserFactory(email="target@example.test")
    answers = {
        client.post(RESET, {"email": "Target@example.test"})["Location"]
        for _ in range(RESET_EMAILS_PER_HOUR + 5)
    }
    assert answers == {reverse("accounts:password_reset_done")}
    assert len(mail.outbox) == RESET_EMAILS_PER_HOUR
    # Someone else's address is not held back.
    UserFactory(email="other@example.test")
    client.post(RESET, {"email": "other@example.test"})
    assert mail.outbox[-1].to == ["other@example.test"]


class FailsOnce(EmailBackend):
    """A mail server that refuses the first connection, then works."""

    failures = 0

    def send_messages(self, messages):
        if FailsOnce.failures == 0:
            FailsOnce.failures += 1
            raise ConnectionRefusedError("mail server down")
        return super().send_messages(messages)


def test_the_request_sends_nothing_and_a_failed_send_is_tried_again(
    client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The page does the same work for a known address as for an unknown one: the email leaves afterwards, from
    a worker, which tries again when the mail server fails."""
    monkeypatch.undo()  # this test runs the on_commit work itself, after the request
    user = UserFactory(email="known@example.test")
    with django_capture_on_commit_callbacks() as known:
        client.post(RESET, {"email": "known@example.test"})
    with django_capture_on_commit_callbacks() as unknown:
        client.post(RESET, {"email": "nobody@example.test"})
    assert mail.outbox == [] and (len(known), len(unknown)) == (1, 0)
    known[0]()
    (email,) = mail.outbox
    assert email.to == ["known@example.test"] and "/compte/mot-de-passe/nouveau/" in email.body
    # With a worker, a mail server that refuses once does not lose the email.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.EMAIL_BACKEND = f"{__name__}.FailsOnce"
    assert send_password_reset.apply(args=[user.pk], throw=False).get() == "sent"
    assert FailsOnce.failures == 1 and len(mail.outbox) == 2
