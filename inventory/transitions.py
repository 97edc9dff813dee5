"""The device lifecycle of PRODUCT.md: one table of allowed moves and the one function that applies them."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory import erasure, texts
from inventory.enums import DeviceState as S
from inventory.erasure import erasure_missing, failed_media, media_status  # noqa: F401 (kept importable here)
from inventory.models import Device, DeviceEvent, ErasureRecord
from inventory.signals import devices_listed, stock_moved
from reuse.accounts.services import notify_organisation
from reuse.errors import DomainError, IllegalTransition
from reuse.lifecycle import Lifecycle, Note, after_commit
from reuse.money import format_euros
from reuse.programmes.services import price_bounds_of

ALLOWED = {
    S.RECEIVED: {S.IN_REPAIR, S.READY, S.RECYCLED, S.PARTS},
    # In repair back to handed over, and out of handed over: only for a warranty ticket (guards registered by
    # reuse.aftercare refuse these moves without one).
    S.IN_REPAIR: {S.READY, S.RECYCLED, S.PARTS, S.HANDED_OVER},
    S.READY: {S.LISTED, S.IN_REPAIR, S.RECYCLED, S.PARTS},
    S.LISTED: {S.RESERVED, S.READY, S.IN_REPAIR},
    S.RESERVED: {S.HANDED_OVER, S.LISTED},
    S.HANDED_OVER: {S.IN_REPAIR, S.RECYCLED, S.PARTS},
    S.RECYCLED: set(),
    S.PARTS: set(),
}

# Moves only a warranty ticket makes (reuse.aftercare registers the guards that require one): never offered as
# a button on the device's page.
WARRANTY_MOVES = frozenset(
    {
        (S.HANDED_OVER, S.IN_REPAIR),
        (S.HANDED_OVER, S.RECYCLED),
        (S.HANDED_OVER, S.PARTS),
        (S.IN_REPAIR, S.HANDED_OVER),
    }
)

# What a person asks for in one go and the table makes in steps: "list it" from received or in repair goes
# through ready. Each step is checked by the table and its guards and written to the history, all or nothing.
STEPS = {
    (S.RECEIVED, S.LISTED): (S.READY, S.LISTED),
    (S.IN_REPAIR, S.LISTED): (S.READY, S.LISTED),
}


def steps_to(current: str, target: str) -> tuple[str, ...]:
    return STEPS.get((current, target), (target,))


# Rules that a move must satisfy besides the table, keyed by target state. Each guard receives the locked
# device and raises a DomainError (with a French message) to refuse the move.
DEVICES = Lifecycle(model=Device, states=S, table=ALLOWED, journal=DeviceEvent, field="state")
GUARDS = DEVICES.guards
guard = DEVICES.guard


def _locked(device_ids):
    # Whether any erasure exists comes with the locked row: most moves then need no further query.
    # Rows are locked in primary-key order so that two batches never wait on each other in a cycle.
    return (
        Device.objects.select_for_update(of=("self",))
        .annotate(has_erasure_records=Exists(ErasureRecord.objects.filter(device_id=OuterRef("pk"))))
        .filter(pk__in=device_ids)
        .order_by("pk")
    )


def _check(device: Device, to: str, expected_from, changes) -> list[str]:
    """Every rule of a move, on the locked device: the table, `expected_from`, then the guards.

    Changes are set before the guards run so that a guard can check them (a recycling needs its channel);
    a refusal rolls the whole move back, so nothing half-applied is saved. Returns the fields to write.
    """
    if expected_from is not None and device.state not in set(expected_from):
        raise IllegalTransition(
            f"L’appareil {device.asset_tag} est « {device.get_state_display()} » : action impossible."
        )
    fields = ["state", "state_changed_at"]
    for name, value in (changes or {}).items():
        setattr(device, name, value)
        fields.append(name)
    DEVICES.check(device, to)
    return fields


@transaction.atomic
def apply_transition(
    *,
    device_id: int,
    to: str,
    actor,
    note: Note = "",
    expected_from: Iterable[str] | None = None,
    changes: dict | None = None,
) -> Device:
    """Move one device to `to`, under a row lock, and write the history row.

    `expected_from` lets a caller insist on the current state (a claim only reserves a `listed` device);
    `changes` are field values saved in the same write (an outcome department, a recycling channel).
    Two technicians moving the same device at once: the second waits for the lock, then sees the new state
    and gets IllegalTransition.
    """
    device = _locked([device_id]).get()
    first = device.state
    for step in steps_to(device.state, to):
        fields = _check(device, step, expected_from if device.state == first else None, changes)
        previous = device.state
        device.state = step
        device.state_changed_at = timezone.now()
        device.save(update_fields=fields)
        DeviceEvent.record(subject=device, actor=actor, previous=previous, to=step, note=note)
    if to == S.LISTED and first != S.RESERVED:
        _announce_listed([device.pk])
    if to == S.LISTED and first == S.RESERVED and withdraw_unfit(device_id=device.pk, actor=actor):
        # A reservation ended on a device whose probe found a failing drive or an unerased medium meanwhile:
        # it went back to the catalogue and left it at once, both moves in its history.
        device = Device.objects.get(pk=device.pk)
    return device


def withdrawal_note(failing: list[str], unerased: list[str]) -> dict:
    """Why the device left the catalogue, as its history says it (in the language of whoever reads it)."""
    if failing and unerased:
        return texts.UNFIT_BOTH(failing=failing, unerased=unerased)
    return texts.UNFIT_FAILING(media=failing) if failing else texts.UNFIT_UNERASED(media=unerased)


@transaction.atomic
def withdraw_unfit(*, device_id: int, actor) -> Note:
    """A device offered to households whose latest probe found a drive announcing its own failure (SMART) or a
    medium without a verified erasure: no household is offered, nor handed, such a device.

    Listed, it leaves the catalogue through its lifecycle, with the reason in its history: to « En réparation »
    for a failing drive (to be replaced), to « Prêt » for a medium to erase. Reserved, the household's claim
    stands (Rebond staff may cancel it; the workshop cannot): the history says why, the workshop is emailed,
    and the handover is refused (the guard below) until the drive's destruction or a later passing probe, or the
    medium's verified erasure, is recorded. Returns the note written, empty when the device is fit.
    """
    device = _locked([device_id]).select_related("workshop").get()
    failing, unerased = erasure.unfit_media(device)
    if device.state not in (S.LISTED, S.RESERVED) or not (failing or unerased):
        return ""
    note = withdrawal_note(failing, unerased)
    if device.state == S.LISTED:
        apply_transition(device_id=device.pk, to=S.IN_REPAIR if failing else S.READY, actor=actor, note=note)
        return note
    DEVICES.note(device, actor=actor, note=note)
    notify_organisation(
        organisation=device.workshop,
        template="device_unfit_reserved",
        context={"device": device, "failing": failing, "unerased": unerased},
    )
    return note


def _announce_listed(device_ids: list[int]) -> None:
    after_commit(lambda: devices_listed.send(sender=Device, device_ids=device_ids))


@transaction.atomic
def apply_transition_batch(*, device_ids: list[int], to: str, actor, note: Note = "") -> dict:
    """The same rules as apply_transition for many devices at once (bench mode), in a few statements.

    Returns {device_id: Device moved, or the DomainError that refused it}. Guards only read, so a refused
    device has nothing to undo; the moved ones are written with one UPDATE per previous state and one
    INSERT of their history rows.
    """
    outcomes: dict = {}
    moved: dict[str, list[tuple[Device, tuple[str, ...]]]] = {}
    for device in _locked(device_ids):
        first = device.state
        steps = steps_to(first, to)
        try:
            for step in steps:
                # Each step is checked from the state the previous one leads to; nothing is written yet.
                _check(device, step, None, None)
                device.state = step
        except DomainError as exc:
            outcomes[device.pk] = exc
            continue
        finally:
            device.state = first
        moved.setdefault(first, []).append((device, steps))
    now = timezone.now()
    events = []
    for previous, entries in moved.items():
        ids = [device.pk for device, _steps in entries]
        Device.objects.filter(pk__in=ids, state=previous).update(state=to, state_changed_at=now)
        for device, steps in entries:
            origin = previous
            for step in steps:
                events.append(
                    DeviceEvent.entry(subject=device, actor=actor, previous=origin, to=step, note=note)
                )
                origin = step
            device.state, device.state_changed_at = to, now
            outcomes[device.pk] = device
    DeviceEvent.objects.bulk_create(events)
    # The UPDATE above bypasses save(): say which devices moved (the catalogue's cache listens).
    stock_moved.send(sender=Device, device_ids=[d.pk for entries in moved.values() for d, _ in entries])
    if to == S.LISTED:
        _announce_listed(
            [
                device.pk
                for previous, entries in moved.items()
                for device, _ in entries
                if previous != S.RESERVED
            ]
        )
    return outcomes


def price_bounds(device: Device) -> tuple[int, int] | None:
    """(min_cents, max_cents) of the programme covering the workshop's department, or None (no programme).

    A programme that sets no price for this type and grade (a printer, a screen) allows only a free gift:
    a device type it forgot is never listed at whatever price someone types.
    """
    if not device.grade:
        return None
    return price_bounds_of(device.workshop.department, device.type, device.grade)


def check_price(device: Device) -> None:
    bounds = price_bounds(device)
    if bounds is None or device.price_cents is None:
        return
    low, high = bounds
    if low <= device.price_cents <= high:
        return
    if high == 0:
        raise IllegalTransition(
            _(
                "Le programme ne prévoit pas de prix pour ce type et ce grade : l’appareil ne peut être proposé "
                "que gratuitement (0 €). L’équipe Rebond peut ajouter une fourchette de prix au programme."
            ),
            code="price_out_of_bounds",
        )
    raise IllegalTransition(
        _("Le prix doit être compris entre %(low)s et %(high)s pour ce type et ce grade.")
        % {"low": format_euros(low), "high": format_euros(high)},
        code="price_out_of_bounds",
    )


@guard(*(state for state in S if state not in (S.RECYCLED, S.PARTS)))
def no_failed_erasure(device: Device) -> None:
    """A failed erasure leaves two ways out: a new verified erasure of that medium, or recycling/parts."""
    erasure.refuse_failed_media(device)


@guard(*erasure.GUARDED_STATES)
def erased_before_leaving(device: Device) -> None:
    """The erasure rule (inventory.erasure): checked here for the bench's batch moves, and on every save."""
    erasure.check(device, leaving=True)


@guard(S.LISTED)
def ready_to_list(device: Device) -> None:
    if device.state == S.RESERVED:
        # A reservation returning to stock keeps the price it was listed at.
        return
    erasure.refuse_unfit_media(device)
    if not device.grade:
        raise IllegalTransition(_("Indiquez un grade (A, B ou C) avant la mise en ligne."))
    if device.price_cents is None:
        raise IllegalTransition(
            _("Indiquez un prix solidaire (0 pour un don gratuit) avant la mise en ligne.")
        )
    check_price(device)


@guard(S.RESERVED, S.HANDED_OVER)
def fit_for_a_household(device: Device) -> None:
    """Nobody is promised nor handed a drive that announced its own failure or a medium found without erasure."""
    erasure.refuse_unfit_media(device)


@guard(S.RECYCLED)
def recycling_is_traced(device: Device) -> None:
    if not device.recycle_channel.strip() or not device.recycle_reference.strip():
        raise IllegalTransition(
            _("Un recyclage doit indiquer la filière DEEE et la référence du bordereau de remise.")
        )
