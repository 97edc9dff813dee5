"""Donor organisations sign up with a checked SIRET; others join by an emailed invitation, used once."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from reuse.accounts.enums import MembershipRole, OrganisationKind, OrganisationStatus
from reuse.accounts.models import Invitation, Membership, Organisation, User
from tests.factories.accounts import UserFactory, valid_siret
from tests.factories.donations import donor_with_member

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Mutuelle Exemple",
    "address": "1 rue de la Paix",
    "postcode": "69003",
    "city": "Lyon",
    "first_name": "Inès",
    "last_name": "Moreau",
    "email": "ines.moreau@mutuelle.example",
    "password": "un-mot-de-passe-solide-2026",
}


def test_a_donor_signs_up_with_a_valid_siret_and_lands_on_the_dashboard(client):
    siret = valid_siret(4242)
    response = client.post(
        "/dons/inscription/", {**FORM, "siret": f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"}
    )

    assert response.status_code == 302 and response.url == "/dons/"
    organisation = Organisation.objects.get()
    assert (organisation.kind, organisation.status, organisation.siret, organisation.department) == (
        OrganisationKind.DONOR,
        OrganisationStatus.PENDING,
        siret,
        "69",
    )
    membership = Membership.objects.get()
    assert membership.user.email == FORM["email"] and membership.role == MembershipRole.ADMIN
    assert 'data-role-page="donor"' in client.get("/dons/").content.decode()


def test_a_siret_with_a_wrong_check_digit_is_refused(client):
    siret = valid_siret(4242)
    wrong = siret[:-1] + str((int(siret[-1]) + 1) % 10)
    page = client.post("/dons/inscription/", {**FORM, "siret": wrong}).content.decode()

    assert "Ce SIRET n’est pas valide (clé de contrôle incorrecte)." in page
    assert 'aria-invalid="true"' in page
    assert not User.objects.exists() and not Organisation.objects.exists()


def test_an_admin_invites_and_the_invitation_is_accepted_once(client, django_capture_on_commit_callbacks):
    donor, admin = donor_with_member()
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/compte/organisations/{donor.pk}/inviter/", {"email": "Nouveau@Example.test"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    link = f"/compte/invitation/{invitation.token}/"
    assert link in mail.outbox[-1].body and mail.outbox[-1].to == ["nouveau@example.test"]

    client.logout()
    page = client.get(link).content.decode()
    assert donor.name in page and "nouveau@example.test" in page
    response = client.post(
        link, {"first_name": "Jean", "last_name": "Neuf", "password": "encore-un-bon-mot-2026"}
    )
    assert response.status_code == 302
    newcomer = User.objects.get(email="nouveau@example.test")
    assert Membership.objects.filter(user=newcomer, organisation=donor, role=MembershipRole.MEMBER).exists()

    client.logout()
    assert client.get(link).status_code == 410
    assert (
        client.post(
            link, {"first_name": "X", "last_name": "Y", "password": "encore-un-bon-mot-2026"}
        ).status_code
        == 410
    )
    assert User.objects.filter(email="nouveau@example.test").count() == 1


def test_an_expired_invitation_is_refused(client):
    donor, admin = donor_with_member()
    invitation = Invitation.objects.create(
        organisation=donor,
        email="late@example.test",
        token="tok-late",
        invited_by=admin,
        expires_at=timezone.now() + timedelta(days=7),
    )
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert client.get(f"/compte/invitation/{invitation.token}/").status_code == 410


def test_a_signed_in_person_with_another_email_cannot_use_the_invitation(client):
    donor, admin = donor_with_member()
    Invitation.objects.create(
        organisation=donor,
        email="right@example.test",
        token="tok-1",
        invited_by=admin,
        expires_at=timezone.now() + timedelta(days=7),
    )
    client.force_login(UserFactory(email="wrong@example.test"))
    client.post("/compte/invitation/tok-1/")
    assert not Membership.objects.filter(organisation=donor, user__email="wrong@example.test").exists()
    assert Invitation.objects.get().accepted_at is None


def test_only_admins_may_invite(client):
    donor, _admin = donor_with_member()
    member = UserFactory()
    Membership.objects.create(user=member, organisation=donor, role=MembershipRole.MEMBER)
    client.force_login(member)
    assert client.get(f"/compte/organisations/{donor.pk}/inviter/").status_code == 404
