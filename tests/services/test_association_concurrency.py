"""PostgreSQL: an association's reservations racing each other and a household. Its yearly cap holds against two
batches at once, a batch and a household never share a device, and two members reserving at the same moment
(one by quantities, one a device of the list or the API) wait for each other instead of deadlocking."""

import pytest

from inventory.enums import DeviceState
from inventory.models import Device
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim
from reuse.claims.services import reservations
from reuse.errors import DomainError
from tests.factories.accounts import member_of
from tests.factories.eligibility import eligible, eligible_association
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory
from tests.services.test_claims_concurrency import _race
from tests.services.test_claims_expiry_race import _HoldFirstLock, _run_together

pytestmark = pytest.mark.django_db(transaction=True)


class _HoldFirstDeviceLock(_HoldFirstLock):
    """The first side runs until it holds a device row, and keeps it until the other side waits on it."""

    TABLES = ('"inventory_device"',)


def test_two_batches_at_once_stay_within_the_yearly_cap():
    programme = ProgrammeFactory(association_cap_per_year=5)
    organisation, member = eligible_association(programme)
    other = member_of(organisation)
    devices = [DeviceFactory(listed=True).pk for _ in range(6)]
    outcomes = _race(
        [
            lambda: reservations.create_batch_claims(
                actor=member, organisation=organisation, device_ids=devices[:3]
            ),
            lambda: reservations.create_batch_claims(
                actor=other, organisation=organisation, device_ids=devices[3:]
            ),
        ]
    )
    assert sorted(o if isinstance(o, str) else "reserved" for o in outcomes) == ["cap_reached", "reserved"]
    assert Claim.objects.filter(organisation=organisation).count() == 3
    assert Device.objects.filter(state=DeviceState.LISTED).count() == 3


def test_a_batch_and_a_household_racing_for_one_device_one_takes_it_and_the_batch_is_whole_or_nothing():
    programme = ProgrammeFactory()
    organisation, member = eligible_association(programme)
    household = eligible()
    first, shared = DeviceFactory(listed=True), DeviceFactory(listed=True)
    outcomes = _race(
        [
            lambda: reservations.create_batch_claims(
                actor=member, organisation=organisation, device_ids=[first.pk, shared.pk]
            ),
            lambda: reservations.create_claim(actor=household, device_id=shared.pk),
        ]
    )
    assert "unavailable" in outcomes and not any(str(o).startswith("error") for o in outcomes)
    assert Claim.objects.filter(device=shared, status=ClaimStatus.RESERVED).count() == 1
    if outcomes[0] == "unavailable":  # the household won: nothing of the batch is left behind
        assert not Claim.objects.filter(organisation=organisation).exists()
        assert Device.objects.get(pk=first.pk).state == DeviceState.LISTED
    else:
        assert Claim.objects.filter(organisation=organisation).count() == 2


def test_quantities_and_a_single_claim_of_one_association_wait_for_each_other_without_deadlock():
    """One member asks « 1 laptop » (the cheapest is picked and locked), another reserves that same laptop from the
    list at the same moment: the first side holds the device until the second waits on it. Locking the association
    after the device while the other locked it before was a deadlock: PostgreSQL killed one request (a 500)."""
    programme = ProgrammeFactory()
    organisation, member = eligible_association(programme)
    other = member_of(organisation)
    cheapest = DeviceFactory(listed=True, price_cents=1000)
    DeviceFactory(listed=True, price_cents=4000)
    hold = _HoldFirstDeviceLock()
    results, errors = _run_together(
        {
            "quantities": hold.first(
                lambda: reservations.reserve_quantities(
                    actor=member, organisation=organisation, quantities={"laptop": 1}
                )
            ),
            "from the list": hold.then(
                lambda: reservations.create_claim(
                    actor=other, device_id=cheapest.pk, organisation=organisation
                )
            ),
        }
    )
    assert hold.peer_waited, "the second side never waited on the first one's lock"
    assert all(isinstance(error, DomainError) for error in errors.values()), errors
    assert [error.code for error in errors.values()] == ["unavailable"]
    assert Claim.objects.filter(device=cheapest, status=ClaimStatus.RESERVED).count() == 1
    assert Claim.objects.filter(organisation=organisation).count() == 1
