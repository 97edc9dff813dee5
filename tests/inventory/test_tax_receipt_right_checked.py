"""Only an organisation of general interest may issue a tax receipt for a gift (CGI art. 238 bis, cerfa 16216;
/work/shared/data/reference-facts.md). A workshop says so itself when it signs up (a box it ticks): staff who
verify the workshop decide it on the verification page, which shows the claim; verified without that decision,
the workshop issues no receipt, and donors are told so instead of getting a receipt in its name."""

import pytest
from django.urls import reverse

from donations import receipts
from inventory.models import WorkshopProfile
from reuse.accounts.enums import OrganisationStatus
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.donations import LotFactory
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(client):
    """A workshop waiting for verification that ticked « peut émettre des reçus fiscaux » at sign-up; staff signed in."""
    workshop = OrganisationFactory(workshop=True, pending=True, email="contact@atelier.test")
    profile = WorkshopProfile.objects.create(organisation=workshop, may_issue_tax_receipts=True)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return profile


def lot_received_by(profile):
    lot = LotFactory(workshop=profile.organisation, received=True)
    DeviceFactory(lot=lot, workshop=profile.organisation)
    return lot


def test_verifying_a_workshop_does_not_grant_the_right_it_claimed(client, claimed):
    url = reverse("inventory_approve_workshop", args=[claimed.pk])
    page = client.get(url).content.decode()
    client.post(url)

    claimed.refresh_from_db()
    claimed.organisation.refresh_from_db()
    assert "data-tax-receipt-claim" in page and 'name="may_issue_tax_receipts"' in page
    assert claimed.organisation.status == OrganisationStatus.APPROVED
    assert not claimed.may_issue_tax_receipts
    assert receipts.receipt_status(lot_received_by(claimed)) == "not_eligible"


def test_staff_who_checked_it_grant_it_on_the_same_page(client, claimed):
    client.post(
        reverse("inventory_approve_workshop", args=[claimed.pk]),
        {"may_issue_tax_receipts": "on", "legal_status": "association_ig"},
    )

    claimed.refresh_from_db()
    assert claimed.organisation.status == OrganisationStatus.APPROVED and claimed.may_issue_tax_receipts
    assert receipts.receipt_status(lot_received_by(claimed)) != "not_eligible"
