"""A link that already did its job, used again: a double tap on a phone, the browser resending, or the link tapped
a second time from the email. It says what the first use did (« your address is already changed », « your password
was changed: sign in ») instead of « ask again », and it never works a second time. Opening a link (GET, what a
mail client's preview or a link scanner does) consumes nothing: only the form's POST does.

The emails are read as Django's test mail outbox holds them (django.core.mail.outbox, « Email services » in the
Django testing documentation), and their links followed as a mail client would."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from reuse.accounts.models import User
from tests import fixtures
from tests.factories.accounts import UserFactory
from tests.security.test_account_takeover import RESET
from tests.security.test_sign_in_identifiers import NEW_PASSWORD, PASSWORD, confirmation_link, link_in

pytestmark = pytest.mark.django_db
_on_commit_runs_at_once = fixtures._on_commit_runs_at_once

ADDRESS_DONE = "Votre adresse e-mail est déjà changée"
PASSWORD_DONE = "Votre mot de passe a déjà été changé avec ce lien"
ASK_AGAIN = "Demander un nouveau lien"


def asked_address_change(user) -> str:
    client = Client()
    client.force_login(user)
    client.post(
        reverse("accounts:change_email"), {"new_email": "nouvelle@example.test", "password": PASSWORD}
    )
    return confirmation_link("nouvelle@example.test")


def test_an_address_link_confirmed_then_used_again_says_the_address_is_changed(_on_commit_runs_at_once):
    user = UserFactory(email="ancienne@example.test", password=PASSWORD)
    link = asked_address_change(user)
    phone = Client()
    assert phone.get(link).status_code == 200  # the mail app's preview: nothing done
    assert User.objects.get(pk=user.pk).email == "ancienne@example.test"

    assert phone.post(link).status_code == 302
    again = phone.post(link)  # the double tap: the browser shows this answer only
    assert again.status_code == 200
    assert ADDRESS_DONE in again.content.decode()
    later = Client().get(link).content.decode()  # tapped again from the email, another day
    assert ADDRESS_DONE in later and "<form" not in later.split("<main", 1)[-1]
    assert User.objects.get(pk=user.pk).email == "nouvelle@example.test"


def test_a_used_address_link_never_works_again(_on_commit_runs_at_once):
    user = UserFactory(email="ancienne@example.test", password=PASSWORD)
    link = asked_address_change(user)
    Client().post(link)
    user.refresh_from_db()
    # The person goes back to the old address; the old link, used once, does not bring the new one back.
    user.email = "ancienne@example.test"
    user.pending_email = "nouvelle@example.test"
    user.save()
    again = Client().post(link)
    assert ADDRESS_DONE not in again.content.decode()
    assert User.objects.get(pk=user.pk).email == "ancienne@example.test"


def reset_link_for(address: str) -> str:
    Client().post(RESET, {"email": address})
    return link_in(mail.outbox.pop(), "/mot-de-passe/nouveau/")


def test_a_reset_link_opened_by_a_preview_still_works_and_once_used_says_so(_on_commit_runs_at_once):
    UserFactory(email="moi@example.test", password=PASSWORD)
    link = reset_link_for("moi@example.test")
    Client().get(link, follow=True)  # the mail client's preview opens it in its own browser: nothing used
    phone = Client()
    form = phone.get(link, follow=True)
    assert 'name="new_password1"' in form.content.decode()
    set_password = form.redirect_chain[-1][0]
    assert phone.post(set_password, NEW_PASSWORD).status_code == 302

    double_tap = phone.post(set_password, NEW_PASSWORD).content.decode()
    assert PASSWORD_DONE in double_tap and ASK_AGAIN not in double_tap
    later = Client().get(link, follow=True).content.decode()  # tapped again from the email, signed out
    assert PASSWORD_DONE in later and reverse("accounts:login") in later
    assert 'name="new_password1"' not in later
    assert Client().login(username="moi@example.test", password=NEW_PASSWORD["new_password1"])


def test_a_reset_link_never_used_but_out_of_date_still_says_ask_again(_on_commit_runs_at_once):
    user = UserFactory(email="moi@example.test", password=PASSWORD)
    link = reset_link_for("moi@example.test")
    user.set_password("un-autre-secret-2026")  # changed another way: this link did nothing
    user.save()
    page = Client().get(link, follow=True).content.decode()
    assert ASK_AGAIN in page and PASSWORD_DONE not in page
