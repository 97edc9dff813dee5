"""The admin's sign-in page is no second way to ask for a reset link: Wagtail's own reset form sent its email at
once, on every request, to any active account (households too), outside the site's limit of a few an hour per
address and outside the outbox. Everyone, staff included, asks on the site's page, linked from the site's
sign-in page (tests/security/test_account_takeover.py holds its rules)."""

import pytest
from django.core import mail

from tests.factories.accounts import UserFactory, household

pytestmark = pytest.mark.django_db


def test_asking_the_admin_for_reset_links_floods_nobody(client, django_capture_on_commit_callbacks):
    person = household(email="victim@example.org")
    person.set_password("Un mot de passe solide 42")
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(6):
            client.post("/admin/password_reset/", {"email": "victim@example.org"})
    assert len(mail.outbox) == 0
    assert client.get("/admin/password_reset/").status_code == 404


def test_staff_ask_for_their_link_on_the_sites_page(client, django_capture_on_commit_callbacks):
    UserFactory(is_staff=True, email="boss@example.org")
    assert "/admin/password_reset/" not in client.get("/admin/login/").content.decode()
    assert 'href="/compte/mot-de-passe/oubli/"' in client.get("/compte/connexion/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/mot-de-passe/oubli/", {"email": "boss@example.org"})
    [message] = mail.outbox
    assert message.to == ["boss@example.org"]
