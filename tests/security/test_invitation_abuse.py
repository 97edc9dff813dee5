"""Invitations as a mail relay: anyone can sign up an organisation (name of their choosing) and administer it; its
invitation email goes from Rebond's address to any address, with that name and the inviter's. Only an organisation
staff have verified invites, and a few dozen a day."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reuse.accounts.enums import MembershipRole, OrganisationStatus
from reuse.accounts.invitations import INVITATIONS_PER_DAY
from reuse.accounts.models import Invitation, Membership
from tests import fixtures
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
_on_commit_runs_at_once = fixtures._on_commit_runs_at_once


def admin_of(organisation):
    user = UserFactory()
    Membership.objects.create(user=user, organisation=organisation, role=MembershipRole.ADMIN)
    return user


def invite(client, organisation, email):
    return client.post(reverse("accounts:organisation_invite", args=[organisation.pk]), {"email": email})


@pytest.mark.parametrize("status", [OrganisationStatus.PENDING, OrganisationStatus.SUSPENDED])
def test_an_organisation_staff_have_not_verified_sends_no_invitation(client, status):
    organisation = OrganisationFactory(
        name="Votre colis est bloqué : payez sur colis-rebond.example", status=status
    )
    client.force_login(admin_of(organisation))
    page = invite(client, organisation, "victim@example.test").content.decode()
    assert "vérifiée par l’équipe Rebond" in page
    assert not Invitation.objects.exists() and not mail.outbox
    # Staff still invite for it (setting an organisation up with its people).
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert invite(client, organisation, "colleague@example.test").status_code == 302
    assert len(mail.outbox) == 1


def test_a_verified_organisation_sends_a_few_dozen_invitations_a_day(client):
    organisation = OrganisationFactory()
    client.force_login(admin_of(organisation))
    for n in range(INVITATIONS_PER_DAY):
        assert invite(client, organisation, f"invitee{n}@example.test").status_code == 302
    page = invite(client, organisation, "one-more@example.test").content.decode()
    assert "Trop d’invitations" in page
    assert Invitation.objects.count() == len(mail.outbox) == INVITATIONS_PER_DAY
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert invite(client, organisation, "one-more@example.test").status_code == 302
