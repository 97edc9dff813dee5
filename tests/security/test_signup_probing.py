"""Finding out who uses Rebond through its sign-up forms (a household's account tells of its income): each probe
of a taken address warns its owner, and a network address that probes too many stops signing anyone up.
See reuse/accounts/signup_attempts.py."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reuse.accounts.models import User
from reuse.accounts.signup_attempts import SIGNUP_PROBES_PER_HOUR
from tests import fixtures
from tests.factories.accounts import UserFactory
from tests.test_signups import ASSOCIATION, DONOR, HOUSEHOLD, STRUCTURE, WORKSHOP_ACCOUNT

pytestmark = pytest.mark.django_db
_on_commit_runs_at_once = fixtures._on_commit_runs_at_once

PASSWORD = "un-secret-assez-long-2026"
WORKSHOP = {
    "name": "Atelier du Clic",
    "siret": "35600000000048",
    "address": "1 rue Basse",
    "postcode": "93100",
    "city": "Montreuil",
    "service_departments": "93",
    "monthly_capacity": 50,
    **{f"account-{key}": value for key, value in WORKSHOP_ACCOUNT.items()},
    "account-password": PASSWORD,
}
SIGNUPS = [
    pytest.param("eligibility:signup", HOUSEHOLD, "email", id="household"),
    pytest.param("eligibility:association_signup", ASSOCIATION, "email", id="association"),
    pytest.param("structures:signup", STRUCTURE, "email", id="structure"),
    pytest.param("donations:register", DONOR, "email", id="donor"),
    pytest.param("inventory:register", WORKSHOP, "account-account_email", id="workshop"),
]


def warnings_to(address):
    return [message for message in mail.outbox if message.to == [address] and "essayé" in message.subject]


@pytest.mark.parametrize(("url", "data", "field"), SIGNUPS)
def test_every_sign_up_warns_the_owner_of_a_taken_address_once_an_hour(client, url, data, field):
    UserFactory(email="owner@example.test", date_joined=timezone.now() - timedelta(days=30))
    for _ in range(2):
        client.post(reverse(url), {**data, "password": PASSWORD, field: "Owner@example.test"})
    (warning,) = warnings_to("owner@example.test")
    assert "/compte/mot-de-passe/oubli/" in warning.body and "/compte/connexion/" in warning.body
    assert User.objects.count() == 1


def test_a_network_address_that_probes_too_many_addresses_signs_nobody_up(client):
    for n in range(SIGNUP_PROBES_PER_HOUR):
        UserFactory(email=f"known{n}@example.test")
        client.post(
            reverse("eligibility:signup"),
            {**HOUSEHOLD, "password": PASSWORD, "email": f"known{n}@example.test"},
            REMOTE_ADDR="203.0.113.9",
        )
    # From there even a new address is refused (a refusal for taken addresses only would answer the question).
    fresh = {**HOUSEHOLD, "password": PASSWORD, "email": "fresh@example.test"}
    page = client.post(reverse("eligibility:signup"), fresh, REMOTE_ADDR="203.0.113.9")
    assert "Trop d’inscriptions essayées" in page.content.decode()
    assert not User.objects.filter(email="fresh@example.test").exists()
    # Elsewhere, people sign up as usual.
    assert client.post(reverse("eligibility:signup"), fresh, REMOTE_ADDR="198.51.100.2").status_code == 302
    assert User.objects.filter(email="fresh@example.test").exists()
