"""A lot whose devices the workshop has started to check in stays that workshop's, on its way to reception.

Check-in is open from « accepted » (a donor may drop devices off before the planned pickup). Before this rule, the
donor could then cancel the lot, or the workshop decline it back to « submitted », with devices of that lot
already in stock: the donor edited the manifest again, the lot was offered to another workshop while the first
held its devices, and the reconciliation at reception compared a manifest with devices in someone else's stock.
"""

import pytest

from donations import services
from donations.enums import LotStatus
from donations.models import Lot
from inventory.services.intake import check_in
from reuse.errors import DomainError
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.factories.inventory import workshop_with_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(db):
    """An accepted lot of the workshop with one of its two declared laptops already checked in."""
    workshop, technician = workshop_with_member()
    donor, donor_user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=donor_user, status=LotStatus.ACCEPTED, workshop=workshop)
    first = LotItemFactory(lot=lot)
    LotItemFactory(lot=lot)
    check_in(workshop=workshop, actor=technician, lot=lot, serial=first.serial)
    return lot, workshop, technician, donor_user


def test_the_donor_cannot_cancel_a_lot_whose_devices_are_in_stock(started, client):
    lot, _workshop, _technician, donor_user = started
    with pytest.raises(DomainError):
        services.cancel_lot(lot=lot, actor=donor_user)
    client.force_login(donor_user)
    client.post(f"/dons/lots/{lot.pk}/cancel/")
    assert Lot.objects.get(pk=lot.pk).status == LotStatus.ACCEPTED


def test_the_workshop_cannot_decline_a_lot_whose_devices_it_holds(started):
    lot, workshop, technician, donor_user = started
    with pytest.raises(DomainError):
        services.decline_lot(lot=lot, workshop=workshop, actor=technician)
    lot.refresh_from_db()
    assert (lot.status, lot.workshop_id) == (LotStatus.ACCEPTED, workshop.pk)
    # ...so the donor cannot edit its manifest again either.
    with pytest.raises(DomainError):
        services.add_items(lot=lot, items=[{"type": "laptop", "serial": "NEW-1"}])


def test_an_accepted_lot_with_nothing_checked_in_may_still_be_cancelled_or_declined():
    workshop, technician = workshop_with_member()
    donor, donor_user = donor_with_member()
    declined = LotFactory(donor=donor, created_by=donor_user, status=LotStatus.ACCEPTED, workshop=workshop)
    LotItemFactory(lot=declined)
    services.decline_lot(lot=declined, workshop=workshop, actor=technician)
    assert Lot.objects.get(pk=declined.pk).status == LotStatus.SUBMITTED
    cancelled = LotFactory(donor=donor, created_by=donor_user, status=LotStatus.ACCEPTED, workshop=workshop)
    services.cancel_lot(lot=cancelled, actor=donor_user)
    assert Lot.objects.get(pk=cancelled.pk).status == LotStatus.CANCELLED
