"""A staff member who may edit or delete accounts acts only on accounts with narrower rights than their own: no
one but a superuser deletes, deactivates, edits or regroups a superuser or a peer (a coordinator acting on another
coordinator), through the account's pages or the users listing's bulk actions."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from reuse.accounts import invitations
from reuse.accounts.models import Membership, User
from reuse.errors import Forbidden
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _coordinator(email):
    user = UserFactory(is_staff=True, email=email)
    user.groups.add(Group.objects.get(name="Coordinators"))
    return user


def _bulk(client, action, target, data):
    url = reverse("wagtail_bulk_action", args=["accounts", "user", action])
    return client.post(f"{url}?id={target.pk}", data)


def _deactivate(client, target):
    return _bulk(client, "set_active_state", target, {"mark_as_active": "False"})


def _account(user, **changes):
    return {"email": user.email, "first_name": "Camille", "last_name": "Martin", "is_active": "on", **changes}


@pytest.fixture
def boss():
    return UserFactory(is_staff=True, is_superuser=True, email="direction@example.org")


def test_a_coordinator_deletes_deactivates_nor_edits_a_peer(boss):
    """A coordinator deleted or deactivated the other coordinators' accounts (or changed their password), through
    the account's delete page or the listing's bulk actions: one coordinator locked the others out."""
    actor = _signed_in(_coordinator("coordination@example.org"))
    peer = _coordinator("collegue@example.org")
    actor.post(reverse("wagtailusers_users:delete", args=[peer.pk]))
    _bulk(actor, "delete", peer, {})
    _deactivate(actor, peer)
    edit = reverse("wagtailusers_users:edit", args=[peer.pk])
    assert actor.get(edit).status_code == 302
    actor.post(edit, _account(peer, password1="Repris-par-1-autre", password2="Repris-par-1-autre"))
    actor.post(edit, _account(peer, groups=[]))
    peer.refresh_from_db()
    assert peer.is_active and not peer.check_password("Repris-par-1-autre")
    assert list(peer.groups.values_list("name", flat=True)) == ["Coordinators"]
    _deactivate(actor, boss)
    assert User.objects.get(pk=boss.pk).is_active


def test_an_account_support_member_does_not_deactivate_a_superuser(boss):
    """Wagtail's bulk « Set active state » asks only for the permission to change accounts: a support member
    switched off every superuser in one go."""
    group = Group.objects.create(name="Support des comptes")
    group.permissions.add(
        *Permission.objects.filter(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="accounts", codename__in=["change_user", "view_user"]
        ),
    )
    support = UserFactory(is_staff=True)
    support.groups.add(group)
    client = _signed_in(support)
    response = _deactivate(client, boss)
    assert response.status_code == 302
    assert User.objects.get(pk=boss.pk).is_active
    # Nor brings back a coordinator whose account was switched off: the rights are the groups', active or not.
    dormant = _coordinator("ancienne@example.org")
    User.objects.filter(pk=dormant.pk).update(is_active=False)
    _bulk(client, "set_active_state", dormant, {"mark_as_active": "True"})
    assert not User.objects.get(pk=dormant.pk).is_active


def test_narrower_accounts_stay_in_coordinators_hands_and_peers_in_superusers(boss):
    actor = _signed_in(_coordinator("coordination@example.org"))
    household = UserFactory(email="foyer@example.org")
    reviewer = UserFactory(is_staff=True, email="relecture@example.org")
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    _deactivate(actor, household)
    assert not User.objects.get(pk=household.pk).is_active
    assert actor.get(reverse("wagtailusers_users:edit", args=[reviewer.pk])).status_code == 200
    actor.post(reverse("wagtailusers_users:delete", args=[reviewer.pk]))
    assert not User.objects.filter(pk=reviewer.pk).exists()
    peer = _coordinator("collegue@example.org")
    _signed_in(boss).post(reverse("wagtailusers_users:delete", args=[peer.pk]))
    assert not User.objects.filter(pk=peer.pk).exists()


def _membership(user, organisation, role="member"):
    return {"user": user.pk, "organisation": organisation.pk, "role": role}


def test_a_coordinator_makes_no_coordinator_and_keeps_their_own_groups(boss):
    """A coordinator created an account in Coordinators (or moved a reviewer there) and so made a second
    coordinator by themselves; they also changed their own groups. Staff groups are the superusers' to give."""
    me = _coordinator("coordination@example.org")
    actor = _signed_in(me)
    coordinators, reviewers = Group.objects.get(name="Coordinators"), Group.objects.get(name="Reviewers")
    password = {"password1": "Un-mot-de-passe-9", "password2": "Un-mot-de-passe-9"}
    actor.post(
        reverse("wagtailusers_users:add"),
        _account(UserFactory.build(email="nouvelle@example.org"), groups=[coordinators.pk], **password),
    )
    assert not User.objects.filter(email="nouvelle@example.org").exists()
    reviewer = UserFactory(is_staff=True, email="relecture@example.org")
    reviewer.groups.add(reviewers)
    response = actor.post(
        reverse("wagtailusers_users:edit", args=[reviewer.pk]),
        _account(reviewer, groups=[reviewers.pk, coordinators.pk]),
        follow=True,
    )
    assert "Seul un super-utilisateur donne le groupe" in response.content.decode()
    bulk = reverse("wagtail_bulk_action", args=["accounts", "user", "assign_role"])
    actor.post(f"{bulk}?id={reviewer.pk}", {"role": coordinators.pk})
    assert list(reviewer.groups.values_list("name", flat=True)) == ["Reviewers"]
    actor.post(reverse("wagtailusers_users:edit", args=[me.pk]), _account(me, groups=[reviewers.pk]))
    assert list(me.groups.values_list("name", flat=True)) == ["Coordinators"]
    # A superuser gives them.
    _signed_in(boss).post(
        reverse("wagtailusers_users:edit", args=[reviewer.pk]), _account(reviewer, groups=[coordinators.pk])
    )
    assert list(reviewer.groups.values_list("name", flat=True)) == ["Coordinators"]


def test_a_coordinator_joins_no_organisation_nor_places_staff_in_one(boss):
    """A coordinator made themselves (or a colleague) a member of a workshop through the memberships listing or an
    invitation, and acted in its name on top of seeing everything."""
    me = _coordinator("coordination@example.org")
    actor = _signed_in(me)
    workshop = OrganisationFactory(workshop=True)
    add = reverse("memberships:add")
    response = actor.post(add, _membership(me, workshop, "admin"))
    assert response.status_code == 200
    assert "Seul un super-utilisateur fait d’un membre de l’équipe" in response.content.decode()
    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    actor.post(add, _membership(reviewer, workshop))
    assert not Membership.objects.filter(organisation=workshop).exists()
    # Moving a household's row onto themselves is refused too; the household's own row stays theirs to manage.
    household = UserFactory()
    row = MembershipFactory(user=household, organisation=workshop)
    actor.post(reverse("memberships:edit", args=[row.pk]), _membership(me, workshop, "admin"))
    assert Membership.objects.get(pk=row.pk).user == household
    # An invitation the coordinator sends themselves does not open the door either.
    invitation = invitations.invite(organisation=workshop, email=me.email, by=me)
    with pytest.raises(Forbidden):
        invitations.accept(token=invitation.token, user=me)
    assert not Membership.objects.filter(user=me).exists()
    # A staff member's existing membership is ended by a superuser only.
    kept = MembershipFactory(user=reviewer, organisation=workshop)
    actor.post(reverse("memberships:delete", args=[kept.pk]))
    assert Membership.objects.filter(pk=kept.pk).exists()
    _signed_in(boss).post(add, _membership(me, OrganisationFactory(), "admin"))
    assert Membership.objects.filter(user=me).count() == 1
