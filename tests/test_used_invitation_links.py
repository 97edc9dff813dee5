"""An invitation link opened again once it has served (the email read a second time, « Créer mon compte » tapped
twice on a slow line): the person is a member already, and is told so, never asked to get a new invitation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reuse.accounts import invitations
from reuse.accounts.models import Invitation, Membership, User
from tests.documents import told
from tests.factories.accounts import UserFactory
from tests.factories.donations import donor_with_member

pytestmark = pytest.mark.django_db

ACCOUNT = {"first_name": "Jean", "last_name": "Neuf", "password": "encore-un-bon-mot-2026"}


@pytest.fixture
def invited():
    donor, admin = donor_with_member(name="Mutuelle Exemple")
    return Invitation.objects.create(
        organisation=donor,
        email="nouveau@example.test",
        token="tok-used",
        invited_by=admin,
        expires_at=timezone.now() + timedelta(days=7),
    )


def test_the_member_opening_the_link_again_is_sent_to_their_space(client, invited):
    member = UserFactory(email="nouveau@example.test")
    invitations.accept(token=invited.token, user=member)
    client.force_login(member)
    response = client.get(f"/compte/invitation/{invited.token}/")
    assert response.status_code == 302 and response.url == "/compte/espace/"
    assert told(response) == ["Vous faites déjà partie de Mutuelle Exemple."]


def test_create_my_account_sent_twice_tells_the_second_answer_to_sign_in(client, invited):
    link = f"/compte/invitation/{invited.token}/"
    client.post(link, ACCOUNT)
    client.logout()  # the second tap left before the first answer's session cookie came back
    again = client.post(link, ACCOUNT)
    page = again.content.decode()
    assert again.status_code == 410 and User.objects.filter(email="nouveau@example.test").count() == 1
    assert "Cette invitation a déjà été acceptée" in page
    assert "Demandez une nouvelle invitation" not in page
    assert "/compte/connexion/?next=/compte/espace/" in page
    english = client.get(link, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This invitation has already been accepted" in english


def test_someone_else_signed_in_is_not_told_it_is_theirs(client, invited):
    invitations.accept(token=invited.token, user=UserFactory(email="nouveau@example.test"))
    client.force_login(UserFactory(email="autre@example.test"))
    response = client.get(f"/compte/invitation/{invited.token}/")
    assert response.status_code == 410
    assert not Membership.objects.filter(user__email="autre@example.test", organisation=invited.organisation)
