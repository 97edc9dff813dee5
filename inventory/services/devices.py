"""A device's record in the workshop: its tag, its specs, grade and price, its moves and the parts it gives.

Keyword-only, atomic, raising `reuse.errors` types with French messages. Views, the API and the imports call these.
"""

import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from inventory.enums import DeviceState, DeviceType, Grade
from inventory.models import Device, DeviceEvent, PartUse
from inventory.transitions import apply_transition, check_price
from reuse import bounds
from reuse.accounts.models import Organisation, User
from reuse.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from reuse.serials import checked_serial

# Crockford's base32 without the characters people misread on a label (0/O, 1/I/L, U).
TAG_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
TAG_LENGTH = 6


EDITABLE_FIELDS = (
    "type",
    "brand",
    "model",
    "serial",
    "year",
    "cpu",
    "ram_gb",
    "storage_type",
    "storage_gb",
    "screen_inches",
    "battery_health",
    "os",
    "keyboard_layout",
    "accessories",
    "media_count",
    "diagnostics",
    "repair_notes",
    "grade",
    "price_cents",
)
TERMINAL_STATES = (DeviceState.HANDED_OVER, DeviceState.RECYCLED, DeviceState.PARTS)


def normalise_code(code: str) -> str:
    return "".join(code.split()).upper()


def new_asset_tag() -> str:
    return "".join(secrets.choice(TAG_ALPHABET) for _ in range(TAG_LENGTH))


def unused_asset_tags():
    """Fresh asset tags, none already given to a device nor yielded before: for writing many devices in one
    bulk insert, where a collision cannot be retried one row at a time."""
    taken = set(Device.objects.values_list("asset_tag", flat=True))
    while True:
        tag = new_asset_tag()
        if tag not in taken:
            taken.add(tag)
            yield tag


def hold_stock(workshop) -> None:
    """Let one request at a time add to the workshop's stock by serial (a check-in, a stock import): the same
    serial scanned twice at once, or the same file sent twice, would otherwise find no device, twice, and
    create it twice. The second waits for the first and finds what it created. Erasures take it too (one drive,
    one device: `inventory.services.erasures`), before any device, in the same order as the stock's writers.
    The lock (FOR NO KEY UPDATE) leaves other requests free to write rows that point at the workshop."""
    Organisation.objects.select_for_update(no_key=True).filter(pk=workshop.pk).first()


def _create_device(*, actor, note: str, **fields) -> Device:
    """Insert a device under a fresh asset tag, retrying on the (rare) collision, and log its arrival."""
    if "serial" in fields:
        fields["serial"] = checked_serial(fields["serial"])
    for _attempt in range(8):
        try:
            with transaction.atomic():
                device = Device.objects.create(asset_tag=new_asset_tag(), **fields)
        except IntegrityError as exc:
            if "asset_tag" not in str(exc) and "inventory_device.asset_tag" not in str(exc):
                raise
            continue
        DeviceEvent.record(subject=device, actor=actor, previous="", to=DeviceState.RECEIVED, note=note)
        return device
    raise Conflict(_("Impossible d’attribuer une étiquette unique : réessayez."))


# What the programme's price bounds depend on (inventory/transitions.py `price_bounds`).
PRICED_BY = frozenset({"price_cents", "grade", "type"})


@transaction.atomic
def update_device(*, device: Device, actor: User, **changes) -> Device:
    """Save specs, diagnostics, grade and price. A listed device keeps a grade and a price within bounds."""
    device = Device.objects.select_for_update().select_related("workshop").get(pk=device.pk)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(_("Champs non modifiables : %(f)s") % {"f": ", ".join(sorted(unknown))})
    if device.state in TERMINAL_STATES:
        raise Conflict(_("Cet appareil a quitté le stock : sa fiche n’est plus modifiable."))
    changes = bounds.nulls_cleared(Device, changes)
    if "serial" in changes:
        changes["serial"] = checked_serial(changes["serial"])
    for name, value in changes.items():
        setattr(device, name, value)
    if device.type not in DeviceType.values:
        raise InvalidInput(_("Type d’appareil inconnu."))
    if device.grade and device.grade not in Grade.values:
        raise InvalidInput(_("Le grade doit être A, B ou C."))
    if device.state in (DeviceState.LISTED, DeviceState.RESERVED):
        if not device.grade or device.price_cents is None:
            raise Conflict(_("Un appareil en ligne garde un grade et un prix."))
    bounds.check(device, changes)
    # The price is checked when what it depends on changes: a probe or a spec fixed on a device whose programme
    # narrowed its range since is saved (the nightly sweep takes such a listed device out: services/prices.py).
    if PRICED_BY & set(changes):
        try:
            check_price(device)
        except IllegalTransition as exc:
            raise InvalidInput(exc.message, code="price_out_of_bounds") from exc
    try:
        with transaction.atomic():
            device.save(update_fields=list(changes) or None)
    except IntegrityError as exc:
        if "device_serial_unique_per_lot" in str(exc) or "inventory_device.lot_id" in str(exc):
            raise Conflict(_("Un autre appareil de ce lot porte déjà ce numéro de série.")) from exc
        raise
    return device


@transaction.atomic
def price_and_list(
    *, device: Device, actor: User, price_cents: int, grade: str = "", note: str = ""
) -> Device:
    """Set the solidarity price (and grade) and put the device online, in one step that succeeds or not."""
    if price_cents is None or price_cents < 0:
        raise InvalidInput(_("Le prix est un nombre de centimes positif ou nul."))
    changes = {"price_cents": price_cents}
    if grade:
        changes["grade"] = grade
    update_device(device=device, actor=actor, **changes)
    return apply_transition(device_id=device.pk, to=DeviceState.LISTED, actor=actor, note=note)


def move(*, device: Device, actor: User, to: str, note: str = "", changes: dict | None = None) -> Device:
    if to not in DeviceState.values:
        raise InvalidInput(_("État inconnu : %(to)s") % {"to": to})
    return apply_transition(device_id=device.pk, to=to, actor=actor, note=note, changes=changes)


def recycle(*, device: Device, actor: User, channel: str, reference: str, note: str = "") -> Device:
    return apply_transition(
        device_id=device.pk,
        to=DeviceState.RECYCLED,
        actor=actor,
        note=note,
        changes={"recycle_channel": channel.strip(), "recycle_reference": reference.strip()},
    )


@transaction.atomic
def link_part(*, donor: Device, recipient: Device, part: str, actor: User) -> PartUse:
    if donor.state != DeviceState.PARTS:
        raise Conflict(_("Seul un appareil orienté « pièces détachées » peut donner des pièces."))
    if donor.pk == recipient.pk:
        raise InvalidInput(_("Un appareil ne peut pas se réparer avec ses propres pièces."))
    if donor.workshop_id != recipient.workshop_id:
        raise NotFound(_("Appareil introuvable dans votre stock."))
    if not part.strip():
        raise InvalidInput(_("Indiquez la pièce réemployée."))
    return PartUse.objects.create(donor=donor, recipient=recipient, part=part.strip(), actor=actor)
