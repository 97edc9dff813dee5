"""A voucher code copied from paper as people type it on a phone: any case, spaces for its dashes, or no dashes
at all. It is found; a code that matches nothing is still refused (and still counts as a wrong guess)."""

import pytest

from reuse.claims.forms import ClaimForm, VoucherForm
from reuse.claims.services import reservations
from reuse.errors import InvalidInput
from tests.factories.claims import VoucherFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["eq-abcd-efgh", "EQ ABCD EFGH", "eqabcdefgh", " Eq-Abcd efgh "])
def test_a_voucher_code_typed_without_its_dashes_is_found(typed):
    ProgrammeFactory()
    VoucherFactory(code="EQ-ABCD-EFGH", face_value_cents=2000)
    device = DeviceFactory(listed=True, price_cents=4500)
    claim = reservations.create_claim(actor=eligible(), device_id=device.pk, voucher_code=typed)
    assert claim.voucher_cents == 2000


def test_a_code_that_matches_nothing_is_still_refused():
    ProgrammeFactory()
    VoucherFactory(code="EQ-ABCD-EFGH")
    device = DeviceFactory(listed=True, price_cents=4500)
    with pytest.raises(InvalidInput, match="inconnu"):
        reservations.create_claim(actor=eligible(), device_id=device.pk, voucher_code="EQ ABCD EFGX")


def test_the_voucher_inputs_leave_the_letters_as_typed():
    for field in (ClaimForm().fields["voucher_code"], VoucherForm().fields["code"]):
        attrs = field.widget.attrs
        assert attrs["spellcheck"] == "false" and attrs["autocapitalize"] == "characters"
