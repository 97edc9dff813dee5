"""A device paid in part by a funder's voucher and given back under warranty: the household gets back what it paid
at the counter, the voucher stays spent, and the funder's monthly statement still lists it (a statement already
sent does not change when the device comes back a month later)."""

import pytest
from django.utils import timezone

from reuse.aftercare.enums import ReturnedTo
from reuse.aftercare.services import tickets, triage
from reuse.claims import handover as counter
from reuse.claims.enums import ClaimStatus, LedgerKind
from reuse.claims.models import LedgerEntry
from reuse.claims.services import reservations, vouchers
from tests.factories.accounts import member_of
from tests.factories.claims import VoucherFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


def test_a_voucher_on_a_device_given_back_stays_on_its_funder_s_statement(programme):
    household = eligible()
    device = DeviceFactory(listed=True, price_cents=5000)
    claim = reservations.create_claim(actor=household, device_id=device.pk)
    voucher = VoucherFactory(face_value_cents=2000)
    vouchers.apply_voucher(claim_id=claim.pk, actor=household, code=voucher.code)
    reservations.choose_pay_at_workshop(claim_id=claim.pk, actor=household)
    technician = member_of(device.workshop)
    counter.hand_over(actor=technician, claim_id=claim.pk, code=claim.handover_code, collected_cents=3000)
    ticket = tickets.open_ticket(actor=household, claim_id=claim.pk, description="Ne s’allume plus")

    triage.refund(actor=technician, ticket_id=ticket.pk, returned_to=ReturnedTo.PARTS)

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RETURNED
    assert list(
        LedgerEntry.objects.filter(claim=claim, kind=LedgerKind.REFUNDED).values_list(
            "amount_cents", flat=True
        )
    ) == [-3000]
    today = timezone.localdate()
    rows, total = vouchers.funder_statement(funder=voucher.funder, year=today.year, month=today.month)
    assert [row.code for row in rows] == [voucher.code] and total == 2000
