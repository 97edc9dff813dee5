"""A device is reserved while, and only while, a live claim holds it: the moves in and out of « reserved » (and
the handover out of it) belong to the claim, never to the workshop's own tools.

The device lifecycle's table allows listed → reserved, reserved → listed and reserved → handed over, because
claims make those moves. Before this rule, a workshop's API client or its bench mode made them by themselves: a
reserved device went back online while its claim still held it (and the catalogue offered it again), a confirmed
claim's device was handed over without the claimant's code, and a device was reserved for nobody.
"""

import pytest

from inventory.enums import DeviceState
from inventory.models import Device, DeviceEvent
from inventory.services.bench import bench_apply
from reuse.accounts.services import issue_api_token
from reuse.claims import handover as counter
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim
from reuse.claims.services import reservations
from tests.factories.accounts import OrganisationFactory, member_of
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(db):
    """A listed, priced laptop reserved by a household; the workshop's technician and its API token."""
    ProgrammeFactory()
    workshop = OrganisationFactory(open_workshop=True, department="93")
    technician = member_of(workshop)
    device = DeviceFactory(listed=True, workshop=workshop)
    claim = reservations.create_claim(actor=eligible(), device_id=device.pk)
    return claim, technician, issue_api_token(user=technician)


def _moves(device_id):
    return DeviceEvent.objects.filter(device_id=device_id).count()


@pytest.mark.parametrize("to", [DeviceState.LISTED, DeviceState.HANDED_OVER])
def test_the_api_cannot_move_a_reserved_device_its_claim_holds(api_client, held, to):
    claim, _technician, token = held
    before = _moves(claim.device_id)
    response = api_client.with_token(token).post(f"/api/v1/devices/{claim.device_id}/transition", {"to": to})
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "illegal_transition"
    assert Device.objects.get(pk=claim.device_id).state == DeviceState.RESERVED
    assert _moves(claim.device_id) == before


def test_a_confirmed_claims_device_is_handed_over_only_at_the_counter_with_its_code(api_client, held):
    claim, technician, token = held
    claim = reservations.choose_pay_at_workshop(claim_id=claim.pk, actor=claim.beneficiary)
    # Paid at the counter: the claim is confirmed in the handover's transaction; without the code, nothing moves.
    response = api_client.with_token(token).post(
        f"/api/v1/devices/{claim.device_id}/transition", {"to": DeviceState.HANDED_OVER}
    )
    assert response.status_code == 409
    counter.hand_over(actor=technician, claim_id=claim.pk, code=claim.handover_code, collected_cents=5000)
    assert Device.objects.get(pk=claim.device_id).state == DeviceState.HANDED_OVER
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.HANDED_OVER


def test_the_bench_cannot_list_a_reserved_device_again(held):
    claim, technician, _token = held
    device = Device.objects.get(pk=claim.device_id)
    [result] = bench_apply(
        workshop=device.workshop, actor=technician, action=DeviceState.LISTED, codes=[device.asset_tag]
    )
    assert not result.ok
    assert Device.objects.get(pk=device.pk).state == DeviceState.RESERVED


def test_a_device_is_never_reserved_for_nobody(api_client, held):
    claim, technician, token = held
    other = DeviceFactory(listed=True, workshop=claim.device.workshop)
    response = api_client.with_token(token).post(
        f"/api/v1/devices/{other.pk}/transition", {"to": DeviceState.RESERVED}
    )
    assert response.status_code == 409
    assert Device.objects.get(pk=other.pk).state == DeviceState.LISTED


def test_a_cancelled_or_expired_claim_still_gives_its_device_back(held):
    claim, _technician, _token = held
    reservations.cancel_claim(claim_id=claim.pk, actor=claim.beneficiary)
    assert Device.objects.get(pk=claim.device_id).state == DeviceState.LISTED
    again = reservations.create_claim(actor=eligible(), device_id=claim.device_id)
    assert Device.objects.get(pk=claim.device_id).state == DeviceState.RESERVED
    Claim.objects.filter(pk=again.pk).update(expires_at=again.created)
    assert reservations.expire_claim(claim_id=again.pk)
    assert Device.objects.get(pk=claim.device_id).state == DeviceState.LISTED
