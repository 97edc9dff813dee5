"""Staff and the accountant find the tax receipts in the Wagtail admin (number, lot, donor, amount, status, what
cancelled or replaced what) and cancel one found wrong with its reason, behind the « cancel tax receipts »
permission (README, « Staff permissions »): the same service as `manage.py cancel_tax_receipt`."""

import pytest
from django.contrib.auth.models import Group

from donations import receipts
from donations.models import ReceiptValueCap, TaxReceipt
from tests.factories.accounts import UserFactory
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.factories.inventory import DeviceFactory, workshop_with_member

pytestmark = pytest.mark.django_db

LISTING = "/admin/tax_receipts/"


@pytest.fixture
def receipt():
    ReceiptValueCap.objects.update_or_create(device_type="laptop", defaults={"cap_cents": 200000})
    workshop, _member = workshop_with_member(may_issue_tax_receipts=True)
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user, workshop=workshop, received=True)
    item = LotItemFactory(lot=lot, net_book_value_cents=15000)
    DeviceFactory(lot=lot, workshop=workshop, serial=item.serial)
    return receipts.issue_tax_receipt(lot=lot, user=user, donor_legal_form="SARL")


def refused(response) -> bool:
    """Wagtail refuses with a 403, a 404, or a redirect to the dashboard with a message."""
    return response.status_code in (403, 404) or (response.status_code == 302 and response.url == "/admin/")


def staff_in(group: str):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_a_coordinator_lists_the_receipts_and_cancels_one_with_its_reason(client, receipt):
    coordinator = staff_in("Coordinators")
    client.force_login(coordinator)
    page = client.get(LISTING).content.decode()
    assert receipt.number in page and receipt.lot.title in page and receipt.lot.donor.name in page
    assert "150,00" in page and "Valide" in page

    inspect = client.get(f"{LISTING}inspect/{receipt.pk}/").content.decode()
    assert receipt.number in inspect and "SARL" in inspect
    cancel = f"{LISTING}cancel/{receipt.pk}/"
    assert cancel in page
    form = client.get(cancel).content.decode()
    assert receipt.number in form and 'name="reason"' in form
    response = client.post(cancel, {"reason": "Forme juridique erronée : SAS"})
    assert response.status_code == 302 and response.url == LISTING
    receipt.refresh_from_db()
    assert receipt.cancelled_by == coordinator and receipt.cancel_reason == "Forme juridique erronée : SAS"

    page = client.get(LISTING).content.decode()
    assert "Annulé" in page and cancel not in page
    # The donor asks again: the replacement names the cancelled one, and the listing says so on both rows.
    replacement = receipts.issue_tax_receipt(
        lot=receipt.lot, user=receipt.lot.created_by, donor_legal_form="SAS"
    )
    page = client.get(LISTING).content.decode()
    assert f"Remplacé par {replacement.number}" in page and f"Annule et remplace {receipt.number}" in page


def test_a_cancellation_without_reason_or_twice_is_refused_on_the_form(client, receipt):
    client.force_login(staff_in("Coordinators"))
    cancel = f"{LISTING}cancel/{receipt.pk}/"
    response = client.post(cancel, {"reason": "   "})
    assert response.status_code == 200 and "motif" in response.content.decode()
    receipt.refresh_from_db()
    assert receipt.cancelled_at is None
    receipts.cancel_tax_receipt(receipt_id=receipt.pk, staff=UserFactory(is_staff=True), reason="Doublon")
    response = client.post(cancel, {"reason": "Encore"})
    assert "déjà annulé" in response.content.decode()
    receipt.refresh_from_db()
    assert receipt.cancel_reason == "Doublon"


def test_a_reviewer_neither_lists_nor_cancels_receipts(client, receipt):
    client.force_login(staff_in("Reviewers"))
    assert refused(client.get(LISTING))
    assert refused(client.post(f"{LISTING}cancel/{receipt.pk}/", {"reason": "x"}))
    receipt.refresh_from_db()
    assert receipt.cancelled_at is None


def test_no_one_deletes_or_edits_a_receipt_in_the_admin(client, receipt):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert refused(client.get(f"{LISTING}delete/{receipt.pk}/"))
    assert refused(client.post(f"{LISTING}delete/{receipt.pk}/"))
    assert refused(client.get(f"{LISTING}edit/{receipt.pk}/"))
    assert TaxReceipt.objects.filter(pk=receipt.pk).exists()
