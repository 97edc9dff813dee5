"""What a voucher says it paid stays within what it is worth, whatever writes the row.

The redemption reads the voucher's face value, then marks it used in a conditional UPDATE: a face value lowered
in the admin between the two (a voucher not yet used may be edited) left a voucher of 10 € that paid 50 € of a
claim, and the funder's statement billed 50 €. A voucher given back keeps no amount. The database holds both
rules, so no path (the redemption, the release, the admin, a script) can store one.
"""

import pytest
from django.db import IntegrityError, transaction

from reuse.claims.models import Voucher
from reuse.claims.services import reservations, vouchers
from reuse.claims.signals import voucher_redeeming
from tests.factories.claims import VoucherFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def redeemed():
    ProgrammeFactory(vouchers_accepted=True)
    household = eligible()
    claim = reservations.create_claim(
        actor=household, device_id=DeviceFactory(listed=True, price_cents=8000).pk
    )
    voucher = VoucherFactory(face_value_cents=5000)
    vouchers.apply_voucher(claim_id=claim.pk, actor=household, code=voucher.code)
    voucher.refresh_from_db()
    assert voucher.redeemed_cents == 5000
    return voucher


def test_a_used_voucher_never_paid_more_than_its_face_value(redeemed):
    with pytest.raises(IntegrityError), transaction.atomic():
        Voucher.objects.filter(pk=redeemed.pk).update(face_value_cents=1000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Voucher.objects.filter(pk=redeemed.pk).update(redeemed_cents=5001)


def test_a_voucher_given_back_keeps_no_amount(redeemed):
    reservations.cancel_claim(claim_id=redeemed.claim_id, actor=redeemed.claim.beneficiary)
    redeemed.refresh_from_db()
    assert redeemed.claim_id is None and redeemed.redeemed_cents == 0
    with pytest.raises(IntegrityError), transaction.atomic():
        Voucher.objects.filter(pk=redeemed.pk).update(redeemed_cents=5000)


def test_a_face_value_changed_while_the_voucher_is_typed_is_the_one_paid():
    """Staff lower a voucher not yet used (50 € to 10 €) while a household types its code: the claim is covered
    by 10 €, what the funder now pays, and the household owes the rest (before, 50 € were recorded on both)."""
    ProgrammeFactory(vouchers_accepted=True)
    household = eligible()
    claim = reservations.create_claim(
        actor=household, device_id=DeviceFactory(listed=True, price_cents=8000).pk
    )
    voucher = VoucherFactory(face_value_cents=5000)

    def staff_edit_meanwhile(sender, voucher, claim, **kwargs):
        Voucher.objects.filter(pk=voucher.pk).update(face_value_cents=1000)

    voucher_redeeming.connect(staff_edit_meanwhile)
    try:
        claim = vouchers.apply_voucher(claim_id=claim.pk, actor=household, code=voucher.code)
    finally:
        voucher_redeeming.disconnect(staff_edit_meanwhile)
    voucher.refresh_from_db()
    assert voucher.redeemed_cents == 1000 and claim.voucher_cents == 1000
    assert claim.amount_due_cents == 7000
