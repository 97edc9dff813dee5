"""A tax receipt values only what the workshop received, each device at most at its type's plausible value.

The outside review got a receipt for 10,049,999.00 € on a lot of which no device was ever checked in.
"""

import importlib

import pytest
from django.urls import reverse

from donations import receipts
from donations.enums import ReceiptReviewStatus
from donations.models import ReceiptValueCap, TaxReceipt, TaxReceiptReview
from inventory.enums import DeviceType
from reuse.errors import Conflict
from tests.factories.accounts import UserFactory
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.factories.inventory import DeviceFactory, workshop_with_member

pytestmark = pytest.mark.django_db

CAPS = {"laptop": 25000, "smartphone": 15000, "monitor": 6000, "other": 3000}


@pytest.fixture(autouse=True)
def caps(db):
    for device_type, cents in CAPS.items():
        ReceiptValueCap.objects.update_or_create(device_type=device_type, defaults={"cap_cents": cents})


@pytest.fixture
def lot(client):
    workshop, _technician = workshop_with_member(may_issue_tax_receipts=True)
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user, workshop=workshop, received=True)
    client.force_login(user)
    return lot


def receive(lot, item, **kwargs):
    return DeviceFactory(lot=lot, workshop=lot.workshop, serial=item.serial, type=item.type, **kwargs)


def test_a_lot_with_no_device_received_gets_no_receipt(client, lot):
    # The review's 10,049,999.00 €, on two manifest lines.
    LotItemFactory(lot=lot, net_book_value_cents=1_000_000_000)
    LotItemFactory(lot=lot, net_book_value_cents=4_999_900)
    page = client.get(f"/dons/lots/{lot.pk}/recu-fiscal/").content.decode()
    assert 'data-receipt-status="nothing_received"' in page
    response = client.post(f"/dons/lots/{lot.pk}/recu-fiscal/", {"legal_form": "SAS"})
    assert 'data-receipt-status="nothing_received"' in response.content.decode()
    with pytest.raises(Conflict) as excinfo:
        receipts.issue_tax_receipt(lot=lot, user=lot.created_by, donor_legal_form="SAS")
    assert excinfo.value.code == "nothing_received"
    assert not TaxReceipt.objects.exists() and not TaxReceiptReview.objects.exists()


def test_only_the_devices_received_are_valued(client, lot):
    items = [LotItemFactory(lot=lot, net_book_value_cents=10000) for _ in range(3)]
    receive(lot, items[0])
    receive(lot, items[1])
    client.post(f"/dons/lots/{lot.pk}/recu-fiscal/", {"legal_form": "SAS"})
    receipt = TaxReceipt.objects.get(lot=lot)
    assert receipt.amount_cents == 20000
    assert "2 équipement(s)" in receipt.content["nature"]
    assert [d["value_cents"] for d in receipt.content["valuation"]] == [10000, 10000]


def test_unserialised_lines_value_each_received_device_at_one_unit(lot):
    LotItemFactory(lot=lot, serial="", type=DeviceType.MONITOR, quantity=10, net_book_value_cents=50000)
    for number in range(3):
        DeviceFactory(lot=lot, workshop=lot.workshop, serial=f"MON-{number}", type=DeviceType.MONITOR)
    # A device the manifest never described counts for nothing.
    DeviceFactory(lot=lot, workshop=lot.workshop, serial="EXTRA", type=DeviceType.LAPTOP)
    values = receipts.valuation(lot)
    assert values["received"] == 4
    assert [d["value_cents"] for d in values["devices"]] == [5000, 5000, 5000, 0]
    assert values["value_cents"] == 15000 and values["outliers"] == 0


def test_an_outlier_waits_for_staff_then_is_issued_at_the_cap(client, lot):
    normal = LotItemFactory(lot=lot, net_book_value_cents=12000)
    inflated = LotItemFactory(lot=lot, net_book_value_cents=900_000)  # 9,000 € for a used laptop
    receive(lot, normal)
    receive(lot, inflated)
    response = client.post(f"/dons/lots/{lot.pk}/recu-fiscal/", {"legal_form": "SAS"}, follow=True)
    page = response.content.decode()
    assert not TaxReceipt.objects.exists()
    assert 'data-receipt-status="review"' in page and "vérifie le lot" in page
    review = TaxReceiptReview.objects.get(lot=lot)
    assert review.status == ReceiptReviewStatus.PENDING and review.outliers == 1
    assert review.valued_cents == 12000 + 25000
    # Asking again changes nothing while staff have not looked.
    assert receipts.issue_tax_receipt(lot=lot, user=lot.created_by, donor_legal_form="SAS") == review
    assert not TaxReceipt.objects.exists()

    # Staff see it in the admin, open the valuation device by device, and approve.
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    listing = client.get(reverse("tax_receipt_reviews:index") + "?status=pending").content.decode()
    assert lot.title in listing
    # Amounts in euros, as staff compare them with the donor's figures (not 912000 and 37000 cents).
    assert "9\u202f120,00\xa0€" in listing and "370,00\xa0€" in listing and "centimes" not in listing
    url = reverse("donations_approve_receipt", args=[review.pk])
    detail = client.get(url).content.decode()
    assert 'data-outlier="yes"' in detail and inflated.serial in detail
    assert client.post(url).status_code == 302
    receipt = TaxReceipt.objects.get(lot=lot)
    assert receipt.amount_cents == 12000 + 25000
    review.refresh_from_db()
    assert review.status == ReceiptReviewStatus.APPROVED and review.reviewed_by == staff
    assert client.post(url).status_code == 302
    assert TaxReceipt.objects.count() == 1


def test_a_document_reviewer_cannot_approve(client, lot):
    item = LotItemFactory(lot=lot, net_book_value_cents=900_000)
    receive(lot, item)
    review = receipts.issue_tax_receipt(lot=lot, user=lot.created_by, donor_legal_form="SAS")
    from django.contrib.auth.models import Group, Permission

    reviewer = UserFactory(is_staff=True)
    group, _ = Group.objects.get_or_create(name="Reviewers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    reviewer.groups.add(group)
    client.force_login(reviewer)
    response = client.post(reverse("donations_approve_receipt", args=[review.pk]))
    # Wagtail turns a refusal into a redirect to the admin's home, with a message.
    assert response.status_code in (302, 403) and response.get("Location", "") != reverse(
        "tax_receipt_reviews:index"
    )
    assert not TaxReceipt.objects.exists()
    assert TaxReceiptReview.objects.get(pk=review.pk).status == ReceiptReviewStatus.PENDING


def test_staff_edit_the_caps_in_the_admin(client, lot):
    item = LotItemFactory(lot=lot, net_book_value_cents=40000)
    receive(lot, item)
    assert receipts.valuation(lot)["value_cents"] == 25000
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    cap = ReceiptValueCap.objects.get(device_type="laptop")
    response = client.post(
        reverse("receipt_caps:edit", args=[cap.pk]),
        {
            "device_type": "laptop",
            "cap_cents": "450,00",
            "reasoning": "Portables récents donnés par un cabinet",
        },
    )
    assert response.status_code == 302
    assert ReceiptValueCap.objects.get(pk=cap.pk).cap_cents == 45000
    assert receipts.valuation(lot) == {
        **receipts.valuation(lot),
        "value_cents": 40000,
        "outliers": 0,
    }


def test_the_first_caps_cover_every_device_type_with_their_reasoning():
    migration = importlib.import_module("donations.migrations.0006_receipt_caps_and_reviews")
    assert set(migration.CAPS) == set(DeviceType.values)
    assert all(cents > 0 and reasoning for cents, reasoning in migration.CAPS.values())


def test_a_line_of_several_units_is_valued_at_its_declared_total_to_the_cent(lot):
    """« 3 écrans, valeur nette comptable 100,00 € » all received: the receipt says 100,00 €, what the donor's
    books say, not 3 x 33,33 = 99,99 € (the cent left over goes to one of the units)."""
    LotItemFactory(lot=lot, serial="", type=DeviceType.MONITOR, quantity=3, net_book_value_cents=10000)
    for _ in range(3):
        DeviceFactory(lot=lot, workshop=lot.workshop, serial="", type=DeviceType.MONITOR, media_count=0)
    values = receipts.valuation(lot)
    assert values["declared_cents"] == 10000
    assert sorted(device["declared_cents"] for device in values["devices"]) == [3333, 3333, 3334]
    receipt = receipts.issue_tax_receipt(lot=lot, user=lot.created_by, donor_legal_form="SAS")
    assert receipt.amount_cents == 10000
