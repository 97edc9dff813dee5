"""A staff member whose Wagtail group grants little (a page editor: admin access and pages only) reaches in the
admin what their permissions give them, nothing more: not households' eligibility decisions, the document reads,
the mandate journal, nor the outbox of every email Rebond sent."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from reuse.accounts.models import Notification
from reuse.accounts.services import notify
from reuse.eligibility.models import EligibilityDecision
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.eligibility import eligible

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_editor(db):
    """Staff in a group with the admin's access and page editing only, as Wagtail's « Editors »."""
    group = Group.objects.create(name="Rédaction du portail")
    group.permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "add_page", "change_page"])
    )
    user = UserFactory(is_staff=True)
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    return client


def _pages(decision, notification):
    return [
        ("eligibility-decisions:index", []),
        ("eligibility-decisions:inspect", [decision.pk]),
        ("document-accesses:index", []),
        ("mandate-journal:index", []),
        ("notifications:index", []),
        ("notifications:inspect", [notification.pk]),
        ("notifications:retry", [notification.pk]),
    ]


def _refused(response, url):
    return response.status_code in (403, 404) or (
        response.status_code == 302 and not response["Location"].startswith(url)
    )


def test_a_page_editor_reads_no_eligibility_decision_nor_email(page_editor, staff):
    """Every active staff member read every household's decision and every email's address and subject,
    whatever their group gave them."""
    eligible()
    organisation = OrganisationFactory(email="atelier@example.org")
    notification = notify(
        template="organisation_approved", context={"organisation": organisation}, to_email="a@example.org"
    )
    Notification.objects.filter(pk=notification.pk).update(state="gave_up")
    for name, args in _pages(EligibilityDecision.objects.get(), notification):
        url = reverse(name, args=args)
        response = page_editor.get(url)
        assert _refused(response, url), f"{name}: {response.status_code}"
        assert staff.get(url).status_code == 200, name
    page_editor.post(reverse("notifications:retry", args=[notification.pk]))
    assert Notification.objects.get(pk=notification.pk).state == "gave_up"


def test_reviewers_still_read_the_decisions_they_review(staff):
    eligible()
    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    client = Client()
    client.force_login(reviewer)
    decision = EligibilityDecision.objects.get()
    assert client.get(reverse("eligibility-decisions:inspect", args=[decision.pk])).status_code == 200


@pytest.fixture
def support(db):
    """Staff in a group that manages accounts (create, edit) and nothing else."""
    group = Group.objects.create(name="Support des comptes")
    group.permissions.add(
        *Permission.objects.filter(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="accounts", codename__in=["add_user", "change_user", "view_user"]
        ),
    )
    user = UserFactory(is_staff=True)
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    client.group = group
    return client


def _account(email, **changes):
    return {"email": email, "first_name": "Camille", "last_name": "Martin", "is_active": "on", **changes}


def test_a_support_member_makes_no_one_superuser_nor_coordinator(support):
    """Anyone who could edit accounts ticked « Administrator », set a superuser's password or put people (themselves
    included) in Coordinators: a limited group became everything."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    boss = UserFactory(is_staff=True, is_superuser=True, email="direction@example.org")
    url = reverse("wagtailusers_users:edit", args=[boss.pk])
    assert support.get(url).status_code == 302
    support.post(url, _account(boss.email, password1="Nouveau-mot-2passe", password2="Nouveau-mot-2passe"))
    assert users.get(pk=boss.pk).check_password("Nouveau-mot-2passe") is False

    password = {"password1": "Un-mot-de-passe-9", "password2": "Un-mot-de-passe-9"}
    response = support.post(
        reverse("wagtailusers_users:add"), _account("x@example.org", is_superuser="on", **password)
    )
    assert response.status_code == 302 and not users.filter(email="x@example.org").exists()

    colleague = UserFactory(email="collegue@example.org")
    coordinators = Group.objects.get(name="Coordinators")
    edit = reverse("wagtailusers_users:edit", args=[colleague.pk])
    response = support.post(edit, _account(colleague.email, groups=[coordinators.pk]), follow=True)
    assert "droits que vous n’avez pas" in response.content.decode()
    bulk = reverse("wagtail_bulk_action", args=["accounts", "user", "assign_role"])
    support.post(f"{bulk}?id={colleague.pk}", {"role": coordinators.pk})
    assert not colleague.groups.exists()
    coordinator = UserFactory(is_staff=True, email="coordination@example.org")
    coordinator.groups.add(coordinators)
    assert support.get(reverse("wagtailusers_users:edit", args=[coordinator.pk])).status_code == 302
    # Nor their own group: it opens the back-office, and staff groups are the superusers' to give.
    support.post(edit, _account(colleague.email, groups=[support.group.pk]))
    assert not colleague.groups.exists()


def test_only_superusers_change_what_a_group_may_do(support, staff):
    """A member of a group allowed to edit groups gave their own group every permission."""
    group = support.group
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="auth", codename__endswith="_group")
    )
    held = set(group.permissions.values_list("pk", flat=True))
    everything = list(Permission.objects.values_list("pk", flat=True)[:50])
    url = reverse("wagtailusers_groups:edit", args=[group.pk])
    assert support.get(url).status_code in (302, 403)
    support.post(url, {"name": group.name, "permissions": everything})
    support.post(reverse("wagtailusers_groups:add"), {"name": "Tout", "permissions": everything})
    assert set(group.permissions.values_list("pk", flat=True)) == held
    assert not Group.objects.filter(name="Tout").exists()
    assert staff.get(url).status_code == 200
