"""Listed prices follow the programme: a device stays in the catalogue only at a price its programme allows today.

A price is checked against the bounds when a workshop sets it, but the bounds move under listed devices: staff
narrow a programme's range, a programme ends and another with other prices takes its département, its
départements change. A household must never be asked more than the programme now allows, so each listed device
whose price left its bounds goes back to « Prêt » through its lifecycle, the reason in its history, and its
workshop is emailed the list to price again. A reserved device keeps the price its household accepted.

It runs once after each transaction that changes a programme or its prices (inventory/receivers.py) and each
night (a programme starts or ends with the day: reuse/settings/tasks.py).
"""

import logging
from collections import defaultdict

from django.db import transaction

from inventory import texts
from inventory.enums import DeviceState
from inventory.models import Device
from inventory.transitions import apply_transition, price_bounds
from reuse.accounts.services import notify_organisation, system_user
from reuse.errors import DomainError
from reuse.programmes.services import programme_for_department

logger = logging.getLogger(__name__)


def out_of_bounds(device: Device) -> tuple[int, int] | None:
    """The bounds a device's price is outside of, or None when it is within them (or nothing bounds it)."""
    bounds = price_bounds(device)
    if bounds is None or device.price_cents is None:
        return None
    low, high = bounds
    if low <= device.price_cents <= high:
        return None
    if bounds == (0, 0) and not _prices_for_free(device):
        # The programme has no row for this type and grade (one being set up, a row not yet added): new listings
        # are free only (the listing rule), but what is listed stays until staff state a range.
        return None
    return bounds


def _prices_for_free(device: Device) -> bool:
    """Whether the programme states « free only » for the device's type and grade (a row at 0 €)."""
    programme = programme_for_department(device.workshop.department)
    return (
        programme is not None
        and programme.prices.filter(device_type=device.type, grade=device.grade).exists()
    )


def withdrawal_note(bounds: tuple[int, int]) -> dict:
    """The device's history line, written out in the language of whoever reads it (the workshop, staff)."""
    low, high = bounds
    return texts.NO_PRICE() if high == 0 else texts.OUT_OF_RANGE(low=low, high=high)


def withdraw_out_of_bounds() -> int:
    """Take out of the catalogue every listed device whose price its programme no longer allows; returns how many.

    Each device moves in its own transaction (its row locked by the lifecycle, its bounds read again under the
    lock), so a device reserved meanwhile keeps its claim and one refusal stops nothing else."""
    withdrawn: dict[int, list[tuple[Device, tuple[int, int]]]] = defaultdict(list)
    robot = None
    listed = Device.objects.filter(state=DeviceState.LISTED, price_cents__isnull=False).select_related(
        "workshop"
    )
    for device in listed.iterator(chunk_size=500):
        if out_of_bounds(device) is None:
            continue
        with transaction.atomic():
            current = Device.objects.select_for_update().select_related("workshop").get(pk=device.pk)
            bounds = out_of_bounds(current) if current.state == DeviceState.LISTED else None
            if bounds is None:
                continue
            robot = robot or system_user()
            note = withdrawal_note(bounds)
            try:
                apply_transition(device_id=current.pk, to=DeviceState.READY, actor=robot, note=note)
            except DomainError as exc:  # a guard of « Prêt » refused: the device stays, the log says why
                logger.error("Device %s priced outside its bounds stays listed: %s", current.pk, exc)
                continue
            withdrawn[current.workshop_id].append((current, bounds))
    for rows in withdrawn.values():
        workshop = rows[0][0].workshop
        notify_organisation(
            organisation=workshop,
            template="devices_out_of_bounds",
            context={"workshop": workshop, "devices": [device for device, _bounds in rows]},
        )
    return sum(len(rows) for rows in withdrawn.values())
