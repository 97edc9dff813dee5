"""A sign-up sent twice (a double tap, or a phone resending the POST after a timeout whose answer never came):
the second answer is the first one (signed in, on the next step), not "an account already exists" with the
password emptied; a wrong password on a taken address still signs nobody in."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from reuse.accounts.models import Organisation, User
from tests import fixtures
from tests.factories.accounts import UserFactory
from tests.factories.programmes import ProgrammeFactory
from tests.test_signups import ASSOCIATION, DONOR, HOUSEHOLD, STRUCTURE, WORKSHOP_PAGE

pytestmark = pytest.mark.django_db
_on_commit_runs_at_once = fixtures._on_commit_runs_at_once  # the emails a sign-up sends, sent in the test

PASSWORD = "un-mot-de-passe-long"
SIGN_UPS = [
    pytest.param("eligibility:signup", HOUSEHOLD, id="household"),
    pytest.param("structures:signup", STRUCTURE, id="structure"),
    pytest.param("donations:register", DONOR, id="donor"),
]


@pytest.mark.parametrize(("url", "data"), SIGN_UPS)
def test_a_sign_up_sent_twice_creates_one_account_and_answers_the_same(url, data):
    ProgrammeFactory()
    data = {**data, "password": PASSWORD}
    first = Client().post(reverse(url), data)
    again_client = Client()  # the first answer never reached the phone: no session cookie
    again = again_client.post(reverse(url), data)
    assert User.objects.count() == 1
    assert first.status_code == again.status_code == 302 and again.url == first.url
    assert again_client.get(reverse("accounts:home")).status_code == 302
    assert again.wsgi_request.user.email == data["email"]
    # Nor is the person warned that « someone » tried their address: it was them, a minute ago.
    assert not [message for message in mail.outbox if "essayé" in message.subject]


def test_a_taken_address_with_another_password_signs_nobody_in():
    ProgrammeFactory()
    Client().post(reverse("eligibility:signup"), {**HOUSEHOLD, "password": PASSWORD})
    other = Client().post(reverse("eligibility:signup"), {**HOUSEHOLD, "password": "un-autre-mot-de-passe"})
    assert other.status_code == 200 and not other.wsgi_request.user.is_authenticated
    assert "Un compte existe déjà" in other.content.decode()


# These two answer with a page (the association is not signed in until staff checked it), not a redirect.
SIGN_UPS_ANSWERED_WITH_A_PAGE = [
    pytest.param("eligibility:association_signup", {**ASSOCIATION, "password": PASSWORD}, id="association"),
    pytest.param("inventory:register", {**WORKSHOP_PAGE, "account-password": PASSWORD}, id="workshop"),
]


@pytest.mark.parametrize(("url", "data"), SIGN_UPS_ANSWERED_WITH_A_PAGE)
def test_an_organisation_sign_up_sent_twice_answers_the_same_page(url, data):
    first = Client().post(reverse(url), data)
    again = Client().post(reverse(url), data)
    assert User.objects.count() == 1 and Organisation.objects.count() == 1
    assert first.status_code == again.status_code == 200
    assert [t.name for t in again.templates][0] == [t.name for t in first.templates][0]
    assert "Atelier Solidaire 95" in again.content.decode() or "Les Amis du Clic" in again.content.decode()
    assert again.wsgi_request.user.is_authenticated == first.wsgi_request.user.is_authenticated
    assert not [message for message in mail.outbox if "essayé" in message.subject]


@pytest.mark.parametrize(("url", "data"), SIGN_UPS_ANSWERED_WITH_A_PAGE)
def test_an_organisation_sign_up_under_an_older_account_is_not_taken_for_it_sent_twice(url, data):
    """The right password of an account that registered no such organisation just now: not a double tap, the
    page says the address is taken (and registers nothing)."""
    email = data.get("email") or data["account-account_email"]
    UserFactory(email=email, password=PASSWORD)
    again = Client().post(reverse(url), data)
    assert again.status_code == 200 and Organisation.objects.count() == 0
    assert "Un compte existe déjà" in again.content.decode()
