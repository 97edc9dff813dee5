"""Who may change the address an account signs in with: whoever sets it receives the password reset link.

The attack: a referrer (or whoever holds a printed code) gives an address they read to a household that enters
its account by itself, asks for a reset link at that address and enters the household's account. The rule
(reuse.accounts.identifiers): a referrer gives an address only while the account is in its care (the person never
signed in by themselves); the person changes their own, never in a session opened with a printed code; a new
address is used only once the link sent to it is followed, the old one is told, and reset links go only to the
address in use.
"""

from datetime import date, timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reuse.accounts.models import User
from reuse.eligibility.models import Mandate
from reuse.eligibility.services.mandates import revoke_mandate
from tests import fixtures
from tests.factories.accounts import UserFactory
from tests.factories.eligibility import accredited_referrer, household_opened_by
from tests.security.test_account_takeover import OPENED_BY_A_REFERRER, RESET
from tests.security.test_code_reprint import printed_code, signed_in_with

pytestmark = pytest.mark.django_db
_on_commit_runs_at_once = fixtures._on_commit_runs_at_once

PASSWORD = "un-secret-bien-long-2026"
NEW_PASSWORD = {"new_password1": "mon-premier-secret-2026", "new_password2": "mon-premier-secret-2026"}


def link_in(email, marker: str) -> str:
    line = next(line for line in email.body.splitlines() if marker in line).strip()
    return "/" + line.split("/", 3)[3]


def confirmation_link(address: str) -> str:
    (email,) = [email for email in mail.outbox if email.to == [address]]
    return link_in(email, "/adresse-e-mail/confirmer/")


def referrer_client(referrer) -> Client:
    client = Client()
    client.force_login(referrer)
    return client


def give_email(client, household, address):
    return client.post(
        reverse("eligibility:referrer_household_email", args=[household.pk]), {"new_email": address}
    )


def test_a_referrer_cannot_give_its_own_address_to_a_household_that_signs_in_by_itself():
    """The attack from start to finish: the household enters with its printed code; the referrer then gives it
    an address it reads and asks for a reset link there. Nothing reaches that address; the account is unchanged."""
    referrer, _organisation = accredited_referrer()
    household = household_opened_by(referrer)
    social_worker = referrer_client(referrer)
    signed_in_with(printed_code(social_worker, household))  # the person enters by themselves

    page = social_worker.get(reverse("eligibility:referrer_household", args=[household.pk])).content.decode()
    assert reverse("eligibility:referrer_household_email", args=[household.pk]) not in page
    response = give_email(social_worker, household, "travailleur.social@example.test")
    assert response.status_code == 403
    assert "elle seule peut changer son adresse e-mail" in response.content.decode()
    household.refresh_from_db()
    assert (household.email, household.pending_email) == (None, "")
    Client().post(RESET, {"email": "travailleur.social@example.test"})
    assert mail.outbox == []


def test_a_referrer_cannot_change_the_address_of_a_household_with_a_password():
    referrer, _organisation = accredited_referrer()
    household = household_opened_by(referrer)
    household.set_password(PASSWORD)
    household.save()
    response = give_email(referrer_client(referrer), household, "autre@example.test")
    assert response.status_code == 403
    assert User.objects.get(pk=household.pk).pending_email == ""


def test_a_household_in_its_referrers_care_gets_its_address_once_it_follows_the_link(_on_commit_runs_at_once):
    referrer, _organisation = accredited_referrer()
    household = household_opened_by(referrer)
    social_worker = referrer_client(referrer)
    response = give_email(social_worker, household, "Mamadou.Traore@example.test")
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.email, household.pending_email) == (None, "mamadou.traore@example.test")
    # Not the account's address yet: no reset link goes there, and the referrer may still print a code.
    mail.outbox.clear()
    Client().post(RESET, {"email": "mamadou.traore@example.test"})
    assert mail.outbox == []
    give_email(social_worker, household, "mamadou.traore@example.test")  # asked again: a new link
    link = confirmation_link("mamadou.traore@example.test")

    person = Client()
    assert person.get(link).status_code == 200  # a mail scanner opening the link confirms nothing
    assert User.objects.get(pk=household.pk).email is None
    choose = person.post(link)
    assert "/compte/mot-de-passe/nouveau/" in choose["Location"]
    assert person.post(person.get(choose["Location"])["Location"], NEW_PASSWORD).status_code == 302
    assert Client().login(username="mamadou.traore@example.test", password=NEW_PASSWORD["new_password1"])
    # Now the person's own: the referrer can no longer change it.
    assert give_email(social_worker, household, "autre@example.test").status_code == 403
    # Used once: followed again it says what it did, and does nothing more.
    assert "Votre adresse e-mail est déjà changée" in person.post(link).content.decode()


def test_the_person_changes_their_own_address_by_the_link_and_the_old_one_is_told(_on_commit_runs_at_once):
    user = UserFactory(email="ancienne@example.test", password=PASSWORD)
    client = Client()
    client.force_login(user)
    url = reverse("accounts:change_email")
    wrong = client.post(url, {"new_email": "nouvelle@example.test", "password": "pas-le-bon"})
    assert wrong.status_code == 200 and "Mot de passe incorrect" in wrong.content.decode()
    assert User.objects.get(pk=user.pk).pending_email == "" and mail.outbox == []

    Client().post(RESET, {"email": "ancienne@example.test"})
    old_reset = link_in(mail.outbox.pop(), "/mot-de-passe/nouveau/")
    assert client.post(url, {"new_email": "nouvelle@example.test", "password": PASSWORD}).status_code == 302
    (notice,) = [email for email in mail.outbox if email.to == ["ancienne@example.test"]]
    assert "nouvelle@example.test" in notice.body and "/confirmer/" not in notice.body
    link = confirmation_link("nouvelle@example.test")
    # Until the link is followed the old address is the account's: sign-in and reset links stay there.
    mail.outbox.clear()
    Client().post(RESET, {"email": "nouvelle@example.test"})
    assert mail.outbox == []
    assert User.objects.get(pk=user.pk).email == "ancienne@example.test"

    assert Client().post(link).status_code == 302
    user.refresh_from_db()
    assert (user.email, user.pending_email) == ("nouvelle@example.test", "")
    assert Client().login(username="nouvelle@example.test", password=PASSWORD)
    assert not Client().login(username="ancienne@example.test", password=PASSWORD)
    # A reset link sent to the old address before the change no longer sets the password.
    assert "plus valable" in Client().get(old_reset, follow=True).content.decode()


def test_a_confirmation_link_dies_with_a_new_password_a_newer_request_or_time(
    _on_commit_runs_at_once, monkeypatch
):
    user = UserFactory(email="moi@example.test", password=PASSWORD)
    client = Client()
    client.force_login(user)
    url = reverse("accounts:change_email")
    client.post(url, {"new_email": "volee@example.test", "password": PASSWORD})
    stolen = confirmation_link("volee@example.test")
    user.set_password("un-autre-secret-2026")  # the owner, told by the notice, changes the password
    user.save()
    assert Client().post(stolen).status_code == 410
    assert User.objects.get(pk=user.pk).email == "moi@example.test"

    client.force_login(user)
    client.post(url, {"new_email": "premiere@example.test", "password": "un-autre-secret-2026"})
    first = confirmation_link("premiere@example.test")
    client.post(url, {"new_email": "seconde@example.test", "password": "un-autre-secret-2026"})
    assert Client().post(first).status_code == 410
    late = signing.time.time() + timedelta(days=4).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: late)
    assert Client().post(confirmation_link("seconde@example.test")).status_code == 410
    assert User.objects.get(pk=user.pk).email == "moi@example.test"


def test_a_session_opened_with_a_printed_code_cannot_give_the_account_an_address():
    referrer, _organisation = accredited_referrer()
    household = household_opened_by(referrer)
    with_code = signed_in_with(printed_code(referrer_client(referrer), household))
    response = with_code.post(reverse("accounts:change_email"), {"new_email": "code@example.test"})
    assert response.status_code == 200 and "code de connexion" in response.content.decode()
    assert User.objects.get(pk=household.pk).pending_email == ""


def test_an_ended_mandate_or_another_organisation_sees_nothing_of_the_household():
    referrer, _organisation = accredited_referrer()
    withdrawn, expired = household_opened_by(referrer), household_opened_by(referrer, first_name="Awa")
    revoke_mandate(mandate=Mandate.objects.get(household=withdrawn), by=withdrawn)
    Mandate.objects.filter(household=expired).update(expires_at=timezone.now() - timedelta(days=1))
    stranger, _other = accredited_referrer()
    cases = [
        (stranger, household_opened_by(referrer, first_name="Lina")),
        (referrer, withdrawn),
        (referrer, expired),
    ]
    for who, household in cases:
        client = referrer_client(who)
        for name in ("referrer_household", "referrer_household_email"):
            assert client.get(reverse(f"eligibility:{name}", args=[household.pk])).status_code == 404
        assert give_email(client, household, "x@example.test").status_code == 404
    assert not User.objects.exclude(pending_email="").exists()


def test_an_address_given_when_the_referrer_opens_the_account_waits_for_its_link(client, api_client):
    client.force_login(accredited_referrer()[0])
    body = OPENED_BY_A_REFERRER
    response = api_client.post("/api/v1/households", body)
    assert response.status_code == 201 and response.json()["has_email"] is False
    household = User.objects.get(pending_email="nadia.ferhat@example.test")
    assert household.email is None
    assert [email.to for email in mail.outbox if "/confirmer/" in email.body] == [
        ["nadia.ferhat@example.test"]
    ]
    # An address another account uses is refused, and leaves no account behind.
    UserFactory(email="pris@example.test")
    taken = api_client.post(
        "/api/v1/households", {**body, "first_name": "Autre", "email": "pris@example.test"}
    )
    assert taken.status_code == 422 and not User.objects.filter(first_name="Autre").exists()


staff = fixtures.staff_client


def test_staff_changing_an_address_in_the_admin_ask_for_it_like_everyone(staff, _on_commit_runs_at_once):
    """The admin's user form saved a typed address at once, and the reset link went to it unconfirmed."""
    user = UserFactory(email="ancienne@example.test", first_name="Awa", password=PASSWORD)
    edit = reverse("wagtailusers_users:edit", args=[user.pk])
    form = {"email": "nouvelle@example.test", "first_name": "Awa", "last_name": "Diallo", "is_active": "on"}
    assert staff.post(edit, form).status_code == 302
    user.refresh_from_db()
    assert (user.email, user.pending_email, user.last_name) == (
        "ancienne@example.test",
        "nouvelle@example.test",
        "Diallo",
    )
    assert [email.to for email in mail.outbox if "/confirmer/" in email.body] == [["nouvelle@example.test"]]
    assert any(email.to == ["ancienne@example.test"] for email in mail.outbox)
    mail.outbox.clear()
    Client().post(RESET, {"email": "nouvelle@example.test"})
    assert mail.outbox == []
    # An address another account uses is refused before anything is saved.
    UserFactory(email="prise@example.test")
    staff.post(edit, {**form, "email": "prise@example.test", "last_name": "Autre"})
    user.refresh_from_db()
    assert (user.pending_email, user.last_name) == ("nouvelle@example.test", "Diallo")


def test_addresses_referrers_typed_before_this_rule_wait_for_their_link(_on_commit_runs_at_once):
    """Accounts opened with an address before it needed confirming: the unused ones get no reset link there."""
    migration = import_module(
        "reuse.eligibility.migrations.0008_referrer_given_addresses_wait_for_their_link"
    )
    referrer, _organisation = accredited_referrer()
    unused = household_opened_by(referrer)
    used = household_opened_by(referrer, first_name="Awa", birth_date=date(1980, 1, 2))
    User.objects.filter(pk=unused.pk).update(email="jamais@example.test")
    User.objects.filter(pk=used.pk).update(email="utilisee@example.test", last_login=timezone.now())
    own = UserFactory(email="inscrite@example.test", password=PASSWORD)
    migration.wait_for_the_link(apps, None)
    addresses = {
        pk: (email, pending)
        for pk, email, pending in User.objects.values_list("pk", "email", "pending_email")
    }
    assert addresses[unused.pk] == (None, "jamais@example.test")
    assert addresses[used.pk] == ("utilisee@example.test", "")
    assert addresses[own.pk] == ("inscrite@example.test", "")
    Client().post(RESET, {"email": "jamais@example.test"})
    assert mail.outbox == []


def test_an_address_given_in_care_dies_once_the_person_signs_in_by_themselves(_on_commit_runs_at_once):
    """A referrer gives its own address while the account is in its care, then waits for the person to use the
    account with the printed code before following the link: too late, the account is the person's now."""
    referrer, _organisation = accredited_referrer()
    household = household_opened_by(referrer)
    social_worker = referrer_client(referrer)
    give_email(social_worker, household, "travailleur.social@example.test")
    link = confirmation_link("travailleur.social@example.test")
    signed_in_with(printed_code(social_worker, household))
    assert Client().post(link).status_code == 410
    assert User.objects.get(pk=household.pk).email is None


def test_staff_do_not_choose_someone_elses_password_in_the_admin(staff):
    """Whoever chose it would know it and enter the person's account unseen: the person uses the reset link."""
    user = UserFactory(email="awa@example.test", first_name="Awa", password=PASSWORD)
    edit = reverse("wagtailusers_users:edit", args=[user.pk])
    chosen = {"password1": "Choisi-par-le-staff-9", "password2": "Choisi-par-le-staff-9"}
    form = {"email": "awa@example.test", "first_name": "Awa", "last_name": "Diallo", "is_active": "on"}
    response = staff.post(edit, {**form, **chosen}, follow=True)
    assert "la personne le choisit elle-même" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and user.last_name != "Diallo"
    assert staff.post(edit, form).status_code == 302  # the rest is still corrected
    assert User.objects.get(pk=user.pk).last_name == "Diallo"
