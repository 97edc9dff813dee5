"""What people do at speed or on purpose around a claim, each answered in plain French with nothing half-written:
a voucher typed on a free device, a reservation whose hold has passed (a waitlist offer taken too late) paid
with a voucher or switched to the counter."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from inventory.enums import DeviceState
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim, LedgerEntry, Voucher
from reuse.claims.services import reservations, waitlist
from tests.claims.helpers import join
from tests.factories.claims import VoucherFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


def test_a_voucher_sent_with_a_free_device_is_kept_for_a_priced_one(api_client, client, programme):
    """The web form hides the voucher on a free device, an integrator's client sends it anyway: the household's
    cheque must not be spent on nothing (0 € written against it, gone from its booklet)."""
    voucher = VoucherFactory(face_value_cents=1000)
    device = DeviceFactory(listed=True, free=True)
    client.force_login(eligible())
    refused = api_client.post("/api/v1/claims", {"device_id": device.pk, "voucher_code": voucher.code})
    assert refused.status_code == 422 and refused.json()["code"] == "voucher_not_needed"
    assert "gardez votre chèque" in refused.json()["detail"]
    voucher.refresh_from_db()
    assert voucher.redeemed_at is None and voucher.claim is None
    assert not Claim.objects.exists() and not LedgerEntry.objects.exists()
    device.refresh_from_db()
    assert device.state == DeviceState.LISTED
    # Without the code the free device is reserved as usual.
    assert api_client.post("/api/v1/claims", {"device_id": device.pk}).status_code == 201


@pytest.fixture
def late_offer(programme):
    """A household on the waitlist was offered a 50 € laptop, and comes back after its hold, before the sweep."""
    household = eligible()
    join(household)
    claim = waitlist.offer_device(DeviceFactory(listed=True).pk)
    assert claim.beneficiary == household and claim.status == ClaimStatus.RESERVED
    return household, claim


def test_a_voucher_typed_after_the_hold_ended_is_refused_and_kept(client, late_offer):
    household, claim = late_offer
    voucher = VoucherFactory(face_value_cents=10000)
    client.force_login(household)
    with time_machine.travel(claim.expires_at + timedelta(minutes=5)):
        page = client.post(f"/demandes/{claim.pk}/cheque/", {"code": voucher.code})
    assert page.status_code == 409
    assert "Le délai de réservation de cet appareil est dépassé" in page.content.decode()
    voucher.refresh_from_db()
    claim.refresh_from_db()
    assert voucher.redeemed_at is None and claim.status == ClaimStatus.RESERVED and not claim.voucher_cents
    with time_machine.travel(claim.expires_at + timedelta(minutes=5)):
        assert reservations.expire_claim(claim_id=claim.pk)  # the sweep then frees the device as it should


def test_choosing_the_counter_after_the_hold_ended_says_so_instead_of_all_is_well(client, late_offer):
    household, claim = late_offer
    client.force_login(household)
    with time_machine.travel(claim.expires_at + timedelta(minutes=1)):
        page = client.post(f"/demandes/{claim.pk}/payer/atelier/", follow=True)
    text = page.content.decode()
    assert "Le délai de réservation de cet appareil est dépassé" in text
    assert "le paiement se fera à l’atelier" not in text
    claim.refresh_from_db()
    assert not claim.pay_at_workshop


def test_within_the_hold_both_still_work(client, late_offer):
    household, claim = late_offer
    client.force_login(household)
    client.post(f"/demandes/{claim.pk}/cheque/", {"code": VoucherFactory(face_value_cents=10000).code})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED
    assert Voucher.objects.get().claim == claim
    assert claim.expires_at > timezone.now()
