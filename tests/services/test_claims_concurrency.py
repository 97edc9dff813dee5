"""PostgreSQL under concurrent claims: one device is never reserved twice, a voucher never pays twice."""

import threading

import pytest
from django.db import connection

from inventory.enums import DeviceState
from inventory.models import Device
from reuse.claims import services
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim, Voucher
from reuse.errors import DomainError
from tests.factories.claims import VoucherFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _race(calls):
    """Run the calls at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except DomainError as exc:
            outcomes[index] = exc.code
        except Exception as exc:  # noqa: BLE001 - a server error is what this test must catch
            outcomes[index] = f"error: {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def test_one_device_many_claimers_exactly_one_reservation():
    ProgrammeFactory()
    device = DeviceFactory(listed=True)
    households = [eligible() for _ in range(12)]
    outcomes = _race([lambda h=h: services.create_claim(actor=h, device_id=device.pk) for h in households])
    winners = [o for o in outcomes if isinstance(o, Claim)]
    assert len(winners) == 1
    assert sorted(o for o in outcomes if not isinstance(o, Claim)) == ["unavailable"] * 11
    assert Claim.objects.filter(device=device, status=ClaimStatus.RESERVED).count() == 1
    assert Device.objects.get(pk=device.pk).state == DeviceState.RESERVED
    assert device.events.filter(to_state=DeviceState.RESERVED).count() == 1


def test_one_voucher_many_claims_pays_once():
    ProgrammeFactory()
    voucher = VoucherFactory(face_value_cents=2000)
    pairs = [(eligible(), DeviceFactory(listed=True)) for _ in range(8)]
    outcomes = _race(
        [
            lambda h=h, d=d: services.create_claim(actor=h, device_id=d.pk, voucher_code=voucher.code)
            for h, d in pairs
        ]
    )
    winners = [o for o in outcomes if isinstance(o, Claim)]
    assert len(winners) == 1
    assert sorted(o for o in outcomes if not isinstance(o, Claim)) == ["voucher_used"] * 7
    voucher = Voucher.objects.get(pk=voucher.pk)
    assert voucher.claim_id == winners[0].pk
    assert Claim.objects.filter(voucher_cents__gt=0).count() == 1
    # the losers' claims rolled back whole: their devices are still listed
    assert Device.objects.filter(state=DeviceState.LISTED).count() == 7
