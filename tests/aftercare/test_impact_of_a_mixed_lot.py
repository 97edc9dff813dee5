"""The donor's impact report for a mixed lot, against figures computed by hand from reference-facts.md, through
the real handover, warranty swap and relisting paths: nothing counted twice, nothing recycled counted as reused.

ADEME / Arcep 2022 (kg CO2e, manufacturing + assembly/distribution): laptop 170.3 + 12.3 = 182.6,
smartphone 83 + 2.1 = 85.1, 24-inch monitor 64.6 + 1.3 = 65.9. Restart 2021 (pre-use x 0.5): laptop medium
265 x 0.5 = 132.5, mobile 50.5 x 0.5 = 25.25, flat screen 343 x 0.5 = 171.5. Weights (Restart): laptop 1.83,
mobile 0.151, screen 5.2.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from donations.impact import compute_impact
from inventory.enums import DeviceState
from inventory.models import Device
from inventory.transitions import apply_transition
from reuse.aftercare.enums import ReturnedTo
from reuse.aftercare.services import tickets, triage
from reuse.claims import handover as counter
from tests.aftercare.helpers import handed_over
from tests.factories.donations import LotFactory
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory, workshop_with_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_lot(programme):
    workshop, _member = workshop_with_member()
    lot = LotFactory(workshop=workshop, received=True)
    on_lot = {"lot": lot, "workshop": workshop, "free": True}
    handed_over(**on_lot)  # laptop 1
    handed_over(phone=True, **on_lot)  # smartphone
    handed_over(monitor=True, **on_lot)  # 24-inch screen
    DeviceFactory(lot=lot, workshop=workshop, type="desktop", recycled=True)  # recycled: no reuse
    DeviceFactory(lot=lot, workshop=workshop, type="tablet", parts=True)  # parts: no reuse
    # Laptop 2 fails under warranty and is swapped for laptop 3 of the same lot: one household, one reuse.
    faulty, technician = handed_over(**on_lot)
    ticket = tickets.open_ticket(actor=faulty.beneficiary, claim_id=faulty.pk, description="Ne démarre plus")
    spare = DeviceFactory(listed=True, **on_lot)
    triage.swap(actor=technician, ticket_id=ticket.pk, replacement_id=spare.pk, returned_to=ReturnedTo.STOCK)
    ticket.refresh_from_db()
    replacement = ticket.replacement_claim
    counter.hand_over(actor=technician, claim_id=replacement.pk, code=replacement.handover_code)
    return lot, faulty, technician


def test_a_swapped_device_counts_once_and_the_returned_one_not_until_it_is_reused(mixed_lot):
    lot, _faulty, _tech = mixed_lot
    devices = Device.objects.filter(lot=lot)

    ademe = compute_impact(devices, "ademe-arcep-2022")
    assert ademe.method_version == "2022.1" and "ADEME" in ademe.source
    assert ademe.devices_reused == 4  # laptop 1, phone, screen, laptop 3 (laptop 2 is back in the workshop)
    assert ademe.by_type == {"laptop": 2, "smartphone": 1, "monitor": 1}
    assert ademe.co2e_kg == pytest.approx(516.2)  # 182.6 + 85.1 + 65.9 + 182.6
    assert ademe.weee_kg == pytest.approx(9.0)  # 1.83 + 0.151 + 5.2 + 1.83 = 9.011
    assert ademe.households == 4  # the swapped household once

    restart = compute_impact(devices, "restart-2021")
    assert restart.method_version == "2021"
    assert restart.co2e_kg == pytest.approx(461.75, abs=0.06)  # 132.5 + 25.25 + 171.5 + 132.5


def test_a_returned_device_relisted_and_handed_over_again_counts_once(mixed_lot):
    lot, faulty, technician = mixed_lot
    device = Device.objects.get(pk=faulty.device_id)
    assert device.state == DeviceState.IN_REPAIR
    # Wiped again once back: a record after the return (the factory's record is a verified purge).
    ErasureRecordFactory(
        device=device,
        media_serial=f"MEDIA-{device.serial}",
        operator=technician,
        performed_at=timezone.now() + timedelta(seconds=1),
    )
    apply_transition(device_id=device.pk, to=DeviceState.LISTED, actor=technician)
    from reuse.claims.services import reservations
    from tests.factories.eligibility import eligible

    second = reservations.create_claim(actor=eligible(), device_id=device.pk)
    counter.hand_over(actor=technician, claim_id=second.pk, code=second.handover_code)

    impact = compute_impact(Device.objects.filter(lot=lot))
    assert impact.devices_reused == 5
    assert impact.co2e_kg == pytest.approx(698.8)  # 516.2 + 182.6
    assert impact.weee_kg == pytest.approx(10.8)  # 9.011 + 1.83 = 10.841
    assert impact.households == 5  # the household that gave laptop 2 back is counted through laptop 3 only
