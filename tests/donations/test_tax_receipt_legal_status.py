"""The receipt's « type » of recipient is the workshop's recorded legal status, in the words of the boxes of cerfa
16216*02 (the cerfa's « Bénéficiaire des versements » section, service-public.fr / impots.gouv.fr, form 16216), and a
workshop whose status is not one that may issue a receipt (CGI art. 238 bis: a SCIC or another commercial company,
an association not of general interest) issues none, whatever box was ticked: the donor and staff are told why.

Before, every receipt said « Organisme d’intérêt général … » whatever the workshop was."""

import pytest
from django.urls import reverse

from donations import receipts
from inventory.enums import LegalStatus
from inventory.models import WorkshopProfile
from reuse.errors import Conflict
from tests.factories.accounts import UserFactory
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.factories.inventory import DeviceFactory, workshop_with_member

pytestmark = pytest.mark.django_db


def received_lot(legal_status):
    workshop, _ = workshop_with_member(may_issue_tax_receipts=True)
    profile = workshop.workshop_profile
    profile.legal_status = legal_status
    profile.save(update_fields=["legal_status"])
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user, workshop=workshop, received=True)
    item = LotItemFactory(lot=lot, net_book_value_cents=10000)
    DeviceFactory(lot=lot, workshop=workshop, serial=item.serial, type=item.type)
    return lot


def test_the_type_line_is_the_workshops_recorded_status():
    lot = received_lot(LegalStatus.FONDATION_RUP)
    receipt = receipts.issue_tax_receipt(lot=lot, user=lot.created_by, donor_legal_form="SAS")
    assert receipt.content["recipient"]["type"] == "Association ou fondation reconnue d’utilité publique"
    other = received_lot(LegalStatus.INSERTION)
    receipt = receipts.issue_tax_receipt(lot=other, user=other.created_by, donor_legal_form="SAS")
    assert receipt.content["recipient"]["type"].startswith("Entreprise d’insertion")


def test_a_status_that_may_not_issue_one_gets_no_receipt_and_the_donor_is_told(client):
    lot = received_lot(LegalStatus.SCIC)
    assert receipts.receipt_status(lot) == "legal_status"
    with pytest.raises(Conflict) as excinfo:
        receipts.issue_tax_receipt(lot=lot, user=lot.created_by, donor_legal_form="SAS")
    assert excinfo.value.code == "legal_status"
    client.force_login(lot.created_by)
    page = client.get(f"/dons/lots/{lot.pk}/recu-fiscal/").content.decode()
    assert 'data-receipt-status="legal_status"' in page and "coopérative d’intérêt collectif" in page


def test_staff_cannot_grant_the_right_to_a_status_that_has_none(client):
    workshop, _ = workshop_with_member()
    profile = WorkshopProfile.objects.get(organisation=workshop)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("inventory_approve_workshop", args=[profile.pk])
    assert 'name="legal_status"' in client.get(url).content.decode()
    response = client.post(
        url, {"may_issue_tax_receipts": "on", "legal_status": LegalStatus.SCIC}, follow=True
    )
    assert "ne permet pas" in response.content.decode()
    profile.refresh_from_db()
    assert not profile.may_issue_tax_receipts


def test_the_workshops_admin_form_refuses_the_right_with_such_a_status(client):
    """The workshop's edit form in the admin holds the same rule as the verification page."""
    workshop, _ = workshop_with_member()
    profile = WorkshopProfile.objects.get(organisation=workshop)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("workshops:edit", args=[profile.pk]),
        {
            "service_departments": '["93"]',
            "monthly_capacity": "100",
            "opening_hours": "",
            "may_issue_tax_receipts": "on",
            "legal_status": LegalStatus.SCIC,
            "weee_partner": "",
            "latitude": "",
            "longitude": "",
        },
    )
    assert response.status_code == 200 and "ne permet pas" in response.content.decode()
    profile.refresh_from_db()
    assert not profile.may_issue_tax_receipts and profile.legal_status != LegalStatus.SCIC
