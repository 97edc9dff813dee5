"""Two staff members moderating organisations at once: one suspends an organisation (from its page in the
admin) while the other still has the verifications page open, with that organisation waiting on it. The second
one's click must not lift the suspension nor tell the organisation it was approved."""

import pytest
from django.urls import reverse

from inventory.models import WorkshopProfile
from reuse.accounts import services as accounts
from reuse.accounts.enums import OrganisationStatus
from reuse.accounts.models import Notification
from reuse.eligibility.models import AssociationProfile, EligibilityDecision, ReferrerAccreditation
from tests.factories.accounts import OrganisationFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db


def clicked_after_suspension(client, staff, organisation, page, action):
    """`staff` opens `page`, where `organisation` waits; a colleague suspends it; `staff` then posts `action`."""
    client.force_login(staff)
    assert client.get(page).status_code == 200
    accounts.suspend_organisation(organisation=organisation, by=staff)
    response = client.post(action, follow=True)
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.SUSPENDED
    assert "est suspendue" in response.content.decode()


def test_verifying_an_association_suspended_meanwhile_leaves_it_suspended(client, staff):
    ProgrammeFactory(every_check=True, associations_eligible=True)
    organisation = OrganisationFactory(association=True, pending=True, email="asso@example.org")
    AssociationProfile.objects.create(
        organisation=organisation, purpose="Aide aux devoirs", public="Collégiens"
    )
    clicked_after_suspension(
        client,
        staff,
        organisation,
        reverse("eligibility_admin:verifications"),
        reverse("eligibility_admin:verify_association", args=[organisation.pk]),
    )
    assert not EligibilityDecision.objects.filter(beneficiary_organisation=organisation).exists()
    assert not Notification.objects.filter(template="organisation_approved").exists()


def test_accrediting_a_referrer_suspended_meanwhile_leaves_it_suspended(client, staff):
    organisation = OrganisationFactory(referrer=True, pending=True, email="ccas@example.org")
    clicked_after_suspension(
        client,
        staff,
        organisation,
        reverse("eligibility_admin:verifications"),
        reverse("eligibility_admin:accredit_referrer", args=[organisation.pk]),
    )
    assert not ReferrerAccreditation.objects.filter(organisation=organisation).exists()


def test_verifying_a_workshop_suspended_meanwhile_leaves_it_suspended(client, staff):
    """The workshops' « Vérifier » page, opened before another staff member suspended the workshop."""
    workshop = OrganisationFactory(workshop=True, pending=True, email="contact@atelier.test")
    profile = WorkshopProfile.objects.create(organisation=workshop)
    url = reverse("inventory_approve_workshop", args=[profile.pk])
    clicked_after_suspension(client, staff, workshop, url, url)
