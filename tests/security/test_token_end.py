"""A stolen API token dies with what it stood for.

A workshop's script or a donor's asset tool holds a bearer token. When its owner's password is reset or changed,
staff deactivate the account, the person closes it, or they leave their organisation, the token must stop at once
(401), and stay dead if the account is later reactivated: whoever copied it must not keep acting as that person.
Other sessions of the person end with a new password too, and a reset link emailed before staff deactivated the
account no longer sets its password.
"""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from reuse.accounts import privacy, services
from reuse.accounts.models import Membership, User
from tests import fixtures
from tests.factories.accounts import OrganisationFactory, UserFactory, household, member_of

pytestmark = pytest.mark.django_db
_on_commit_runs_at_once = fixtures._on_commit_runs_at_once
staff = fixtures.staff_client

ME = "/api/v1/me"


def bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def working_token(user) -> Client:
    client = bearer(services.issue_api_token(user=user, name="outil d’inventaire"))
    assert client.get(ME).status_code == 200
    return client


def refused(client: Client) -> bool:
    response = client.get(ME)
    return response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_a_password_reset_ends_the_tokens_and_the_other_sessions(client):
    user = member_of(OrganisationFactory(open_workshop=True), email="technicienne@example.test")
    api = working_token(user)
    elsewhere = Client()
    elsewhere.force_login(user)
    assert elsewhere.get(reverse("accounts:my_data")).status_code == 200

    client.post(reverse("accounts:password_reset"), {"email": "Technicienne@example.test"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/mot-de-passe/nouveau/" in line)
    form_url = client.get("/" + link.strip().split("/", 3)[3])["Location"]
    new = {"new_password1": "un-nouveau-secret-2026", "new_password2": "un-nouveau-secret-2026"}
    assert client.post(form_url, new).status_code == 302

    assert refused(api)
    assert elsewhere.get(reverse("accounts:my_data")).status_code == 302


def test_a_password_change_ends_the_tokens():
    user = UserFactory()
    api = working_token(user)
    user.set_password("changé-par-la-personne-2026")
    user.save()
    assert refused(api)


def test_signing_in_does_not_end_the_tokens(client):
    """Only a change of credentials ends them: a login (which saves last_login) leaves the token working."""
    user = UserFactory(email="script@example.test", password="mot-de-passe-du-script-2026")
    api = working_token(user)
    assert client.login(username="script@example.test", password="mot-de-passe-du-script-2026")
    user.first_name = "Nouveau prénom"
    user.save()
    assert api.get(ME).status_code == 200


def test_an_account_staff_deactivate_keeps_its_tokens_dead_once_reactivated():
    user = UserFactory()
    api = working_token(user)
    user.is_active = False
    user.save()
    assert refused(api)
    user.is_active = True
    user.save()
    assert refused(api)


def test_the_bulk_deactivation_ends_tokens_and_sessions(staff):
    user = UserFactory()
    api = working_token(user)
    session = Client()
    session.force_login(user)
    assert session.get(reverse("accounts:my_data")).status_code == 200  # the user is now cached

    bulk = reverse("wagtail_bulk_action", args=["accounts", "user", "set_active_state"])
    listing = reverse("wagtailusers_users:index")
    response = staff.post(f"{bulk}?id={user.pk}&next={listing}", {"mark_as_active": "False"})
    assert response.status_code == 302
    assert not User.objects.get(pk=user.pk).is_active

    assert session.get(reverse("accounts:my_data")).status_code == 302
    assert refused(api)
    staff.post(f"{bulk}?id={user.pk}&next={listing}", {"mark_as_active": "True"})
    assert User.objects.get(pk=user.pk).is_active
    assert refused(api)


def test_closing_the_account_ends_the_tokens():
    person = household(email="foyer@example.test")
    person.set_password("mon-mot-de-passe-2026")
    person.save()
    api = working_token(person)
    privacy.close_account(user=person, password="mon-mot-de-passe-2026")
    assert refused(api)


def test_leaving_the_organisation_ends_the_tokens(staff):
    workshop = OrganisationFactory(open_workshop=True)
    user = member_of(workshop)
    other = member_of(workshop)
    api, colleague = working_token(user), working_token(other)
    membership = Membership.objects.get(user=user)
    response = staff.post(reverse("memberships:delete", args=[membership.pk]))
    assert response.status_code == 302 and not Membership.objects.filter(pk=membership.pk).exists()
    assert refused(api)
    assert colleague.get(ME).status_code == 200  # the others of the organisation keep theirs


def test_a_membership_moved_to_another_person_ends_the_first_ones_tokens():
    workshop = OrganisationFactory(open_workshop=True)
    user = member_of(workshop)
    api = working_token(user)
    membership = Membership.objects.get(user=user)
    membership.user = UserFactory()
    membership.save()
    assert refused(api)


def test_a_reset_link_emailed_before_staff_deactivated_the_account_sets_no_password(client):
    user = UserFactory(email="partie@example.test", password="ancien-mot-de-passe-2026")
    client.post(reverse("accounts:password_reset"), {"email": "partie@example.test"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/mot-de-passe/nouveau/" in line)
    user.is_active = False
    user.save()

    path = "/" + link.strip().split("/", 3)[3]
    page = client.get(path, follow=True)
    assert "plus valable" in page.content.decode()
    uidb64 = path.rstrip("/").split("/")[-2]
    new = {"new_password1": "choisi-par-un-autre-2026", "new_password2": "choisi-par-un-autre-2026"}
    client.post(reverse("accounts:password_reset_confirm", args=[uidb64, "set-password"]), new)
    user.refresh_from_db()
    assert user.check_password("ancien-mot-de-passe-2026")
