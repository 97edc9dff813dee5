"""What people do at speed or on purpose around a claim, each answered in plain French with nothing half-written:
a voucher typed on a free device, a reservation whose hold has passed (a waitlist offer taken too late) paid
with a voucher or switched to the counter, a device withdrawn by its workshop between the page and the tap."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from inventory.enums import DeviceState
from inventory.transitions import apply_transition
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim, LedgerEntry, Voucher
from reuse.claims.services import reservations, waitlist
from tests.claims.helpers import join
from tests.factories.accounts import OrganisationFactory, member_of
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


def test_a_device_the_workshop_withdrew_meanwhile_is_not_said_to_be_reserved_by_someone(client, programme):
    """The household read the page, the technician took the laptop back for a repair, the household taps
    « Réserver »: nobody reserved it, and the page must not say so."""
    device = DeviceFactory(listed=True)
    client.force_login(eligible())
    apply_transition(
        device_id=device.pk, to=DeviceState.IN_REPAIR, actor=member_of(device.workshop), note="Écran"
    )
    refused = client.post(f"/catalogue/{device.pk}/demander/")
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "L’atelier a retiré cet appareil du catalogue" in page
    assert "Quelqu’un l’a demandé juste avant vous" not in page and "vient d’être réservé" not in page
    assert not Claim.objects.exists()
    assert "vient d’être réservé" not in client.get(f"/catalogue/{device.pk}/").content.decode()


def test_a_device_reserved_by_someone_else_meanwhile_still_says_so(client, programme):
    device = DeviceFactory(listed=True)
    reservations.create_claim(actor=eligible(), device_id=device.pk)
    client.force_login(eligible())
    refused = client.post(f"/catalogue/{device.pk}/demander/")
    assert refused.status_code == 409
    assert "Quelqu’un l’a demandé juste avant vous" in refused.content.decode()


def test_the_similar_devices_offered_after_a_miss_are_ones_the_household_may_claim(client, programme):
    device = DeviceFactory(listed=True)
    reservations.create_claim(actor=eligible(), device_id=device.pk)
    here = DeviceFactory(listed=True, price_cents=4000)
    DeviceFactory(
        listed=True, price_cents=5000, workshop=OrganisationFactory(open_workshop=True, department="13")
    )
    client.force_login(eligible())
    refused = client.post(f"/catalogue/{device.pk}/demander/")
    assert list(refused.context["similar"]) == [here]


def test_the_voucher_sent_again_with_the_back_button_after_paying_leads_to_the_claim(client, programme):
    """Paid in full with a voucher, the household goes back and sends the form again: it was shown a pay page
    offering « Payer gratuit par carte » and « Je paierai à l’atelier » on a claim already settled, and no word."""
    household = eligible()
    claim = reservations.create_claim(actor=household, device_id=DeviceFactory(listed=True).pk)
    voucher = VoucherFactory(face_value_cents=10000)
    client.force_login(household)
    client.post(f"/demandes/{claim.pk}/cheque/", {"code": voucher.code})
    again = client.post(f"/demandes/{claim.pk}/cheque/", {"code": voucher.code}, follow=True)
    page = again.content.decode()
    assert again.redirect_chain == [(f"/demandes/{claim.pk}/", 302)]
    assert "Cette demande n’attend plus de paiement : rien de plus n’a été utilisé." in page
    assert "Je paierai à l’atelier" not in page
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED and claim.voucher_cents == 5000


def test_the_claim_page_after_the_hold_says_it_ended_instead_of_offering_to_pay(client, late_offer):
    household, claim = late_offer
    client.force_login(household)
    assert "Payer 50,00" in client.get(f"/demandes/{claim.pk}/").content.decode()
    with time_machine.travel(claim.expires_at + timedelta(minutes=1)):
        page = client.get(f"/demandes/{claim.pk}/").content.decode()
    assert "Le délai de réservation de cet appareil est dépassé" in page
    assert "Payer 50,00" not in page
