"""A lot that ended without a gift (cancelled by its donor, or refused) never gets a tax receipt, and its page says
so: the accountant is not told to wait for a reception that will never come."""

import pytest

from donations import receipts
from donations.enums import LotStatus
from donations.models import TaxReceipt
from donations.transitions import apply_transition
from reuse.errors import Conflict
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.factories.inventory import workshop_with_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def offered_lot(client):
    """A submitted lot of one laptop declared at 300 €, offered to a workshop that may issue receipts."""
    workshop, _technician = workshop_with_member(may_issue_tax_receipts=True)
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user, workshop=workshop, status=LotStatus.SUBMITTED)
    LotItemFactory(lot=lot, net_book_value_cents=30000)
    client.force_login(user)
    return lot


@pytest.mark.parametrize("end", [LotStatus.CANCELLED, LotStatus.REJECTED])
def test_an_ended_lot_says_no_receipt_will_be_issued(client, offered_lot, end):
    apply_transition(lot_id=offered_lot.pk, to=end, actor=offered_lot.created_by)

    page = client.get(f"/dons/lots/{offered_lot.pk}/recu-fiscal/").content.decode()
    response = client.post(f"/dons/lots/{offered_lot.pk}/recu-fiscal/", {"legal_form": "SAS"})

    assert 'data-receipt-status="ended"' in page
    assert "quand l’atelier aura réceptionné" not in page
    assert 'data-receipt-status="ended"' in response.content.decode()
    with pytest.raises(Conflict) as refused:
        receipts.issue_tax_receipt(lot=offered_lot, user=offered_lot.created_by, donor_legal_form="SAS")
    assert refused.value.code == "lot_ended"
    assert not TaxReceipt.objects.exists()
