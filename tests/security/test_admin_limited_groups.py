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
