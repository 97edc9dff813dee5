"""The device lifecycle of PRODUCT.md: one table of allowed moves and the one function that applies them."""

from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from inventory.enums import DeviceState as S
from inventory.models import Device, DeviceEvent
from reuse.errors import IllegalTransition
from reuse.journal import check_transition

ALLOWED = {
    S.RECEIVED: {S.IN_REPAIR, S.READY, S.RECYCLED, S.PARTS},
    S.IN_REPAIR: {S.READY, S.RECYCLED, S.PARTS},
    S.READY: {S.LISTED, S.IN_REPAIR, S.RECYCLED, S.PARTS},
    S.LISTED: {S.RESERVED, S.READY, S.IN_REPAIR},
    S.RESERVED: {S.HANDED_OVER, S.LISTED},
    S.HANDED_OVER: set(),
    S.RECYCLED: set(),
    S.PARTS: set(),
}

# Rules that a move must satisfy besides the table, keyed by target state. Each guard receives the locked
# device and raises a DomainError (with a French message) to refuse the move.
GUARDS: dict[str, list[Callable[[Device], None]]] = {}


def guard(*targets: str):
    def register(function):
        for target in targets:
            GUARDS.setdefault(target, []).append(function)
        return function

    return register


@transaction.atomic
def apply_transition(
    *,
    device_id: int,
    to: str,
    actor,
    note: str = "",
    expected_from: Iterable[str] | None = None,
    changes: dict | None = None,
) -> Device:
    """Move one device to `to`, under a row lock, and write the history row.

    `expected_from` lets a caller insist on the current state (a claim only reserves a `listed` device);
    `changes` are field values saved in the same write (an outcome department, a recycling channel).
    Two technicians moving the same device at once: the second waits for the lock, then sees the new state
    and gets IllegalTransition.
    """
    device = Device.objects.select_for_update().get(pk=device_id)
    if expected_from is not None and device.state not in set(expected_from):
        raise IllegalTransition(
            f"L’appareil {device.asset_tag} est « {device.get_state_display()} » : action impossible."
        )
    check_transition(ALLOWED, device.state, to, S)
    for rule in GUARDS.get(to, ()):
        rule(device)
    previous = device.state
    device.state = to
    device.state_changed_at = timezone.now()
    fields = ["state", "state_changed_at"]
    for name, value in (changes or {}).items():
        setattr(device, name, value)
        fields.append(name)
    device.save(update_fields=fields)
    DeviceEvent.log_transition(device=device, actor=actor, from_state=previous, to_state=to, note=note)
    return device
