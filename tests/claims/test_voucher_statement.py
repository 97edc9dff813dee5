"""A funder's monthly statement, once the month is over, is what its accountant was sent: a claim paid with a
voucher and cancelled the next month keeps its line in the month it was billed, and the voucher given back is a
credit in the month of the cancellation (and may be used again, billed again in that month)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Voucher
from reuse.claims.services import reservations, vouchers
from tests.factories.accounts import UserFactory
from tests.factories.claims import VoucherFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def _paid_with(code: str, price_cents: int):
    household = eligible()
    claim = reservations.create_claim(
        actor=household, device_id=DeviceFactory(listed=True, price_cents=price_cents).pk
    )
    return household, vouchers.apply_voucher(claim_id=claim.pk, actor=household, code=code)


def _lines(funder, year, month):
    rows, total = vouchers.funder_statement(funder=funder, year=year, month=month)
    return [(row.code, row.amount_cents) for row in rows], total


def test_a_claim_cancelled_after_its_month_leaves_that_month_alone_and_credits_the_next(client, programme):
    with time_machine.travel(datetime.datetime(2027, 1, 20, 15, 0, tzinfo=PARIS), tick=False):
        voucher = VoucherFactory(face_value_cents=4500)
        household, claim = _paid_with(voucher.code, 4500)
        assert claim.status == ClaimStatus.CONFIRMED
    sent_in_january = _lines(voucher.funder, 2027, 1)
    assert sent_in_january == ([(voucher.code, 4500)], 4500)

    # Cancelled early in February, the cheque comes back and is spent again on another device that month.
    with time_machine.travel(datetime.datetime(2027, 2, 2, 9, 0, tzinfo=PARIS), tick=False):
        reservations.cancel_claim(claim_id=claim.pk, actor=household)
        assert Voucher.objects.usable().filter(pk=voucher.pk).exists()
    with time_machine.travel(datetime.datetime(2027, 2, 3, 9, 0, tzinfo=PARIS), tick=False):
        _, again = _paid_with(voucher.code, 3000)
        assert again.status == ClaimStatus.CONFIRMED

    assert _lines(voucher.funder, 2027, 1) == sent_in_january
    assert _lines(voucher.funder, 2027, 2) == ([(voucher.code, -4500), (voucher.code, 3000)], -1500)

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("claims:funder_statement", args=[voucher.funder.pk])
    january = client.get(url, {"mois": "2027-01"}).content.decode()
    assert 'data-amount-cents="4500"' in january and "Avoir" not in january
    february = client.get(url, {"mois": "2027-02"}).content.decode()
    assert 'data-amount-cents="-4500"' in february and "Avoir : chèque rendu" in february
    assert 'data-amount-cents="3000"' in february


def test_a_reservation_that_lapses_unpaid_is_never_billed_nor_credited(programme):
    with time_machine.travel(datetime.datetime(2027, 1, 31, 22, 0, tzinfo=PARIS), tick=False):
        voucher = VoucherFactory(face_value_cents=2000)
        household, claim = _paid_with(voucher.code, 5000)  # the card still owes 30 €
        assert claim.status == ClaimStatus.RESERVED
    with time_machine.travel(datetime.datetime(2027, 2, 1, 10, 0, tzinfo=PARIS), tick=False):
        reservations.cancel_claim(claim_id=claim.pk, actor=household)
    assert _lines(voucher.funder, 2027, 1) == ([], 0)
    assert _lines(voucher.funder, 2027, 2) == ([], 0)
