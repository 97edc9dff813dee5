"""Intake: a device received from a lot assigned to the workshop (its manifest pre-fills it) or walk-in."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, JSONField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, JSONObject
from django.utils.translation import gettext as _

from donations.enums import LotStatus
from donations.models import Lot, LotItem
from donations.transitions import LOTS
from inventory import texts
from inventory.enums import DeviceType
from inventory.models import Device
from inventory.scans import Pick, ambiguous_message, is_part_number, new_reading, pick, read_as, scan_readings
from inventory.services.devices import EDITABLE_FIELDS, _create_device, hold_stock
from reuse.accounts.models import Organisation, User
from reuse.errors import Conflict, InvalidInput, NotFound
from reuse.serials import serial_text

CHECK_IN_LOT_STATUSES = (LotStatus.ACCEPTED, LotStatus.COLLECTED, LotStatus.RECEIVED)
# Manifest checklist items that, when the donor declared them not done, block reuse until fixed.
RELEASE_CHECKLIST = ("activation_lock_off", "frp_removed", "mdm_released", "bios_password_removed")


def lots_for_check_in(workshop: Organisation):
    """The lots a workshop may check devices into, as listed on its pages; check_in reads the chosen one again."""
    return Lot.objects.filter(workshop=workshop, status__in=CHECK_IN_LOT_STATUSES).order_by("-created")


def release_warnings(item: LotItem | None) -> list[str]:
    """What the donor declared as NOT released (False); shown in red at check-in."""
    if item is None:
        return []
    return release_warnings_of({name: getattr(item, name) for name in RELEASE_CHECKLIST})


def release_fields(item: LotItem) -> list[str]:
    """The codes of the release_warnings(): what the device's history keeps."""
    return [name for name in RELEASE_CHECKLIST if getattr(item, name) is not None and not getattr(item, name)]


def release_warnings_of(checklist: dict | None) -> list[str]:
    """release_warnings() from the checklist values alone ({field: True, False or None}; SQLite's JSON gives
    1 and 0 for the booleans)."""
    if not checklist:
        return []
    return [
        str(LotItem._meta.get_field(name).verbose_name)
        for name in RELEASE_CHECKLIST
        if checklist.get(name) is not None and not checklist[name]
    ]


def release_checklist_annotation():
    """For a Device queryset: the release checklist of the lot item `find_lot_item(device.lot, device.serial)`
    finds ({field: value}), or None. Subqueries in the device's own query instead of queries per page."""
    serial = OuterRef("serial")
    checklist = JSONObject(**{name: name for name in RELEASE_CHECKLIST})

    def first(**match):
        items = LotItem.objects.filter(lot_id=OuterRef("lot_id"), **match).order_by("row_number", "pk")
        return Subquery(items.values(checklist=checklist)[:1], output_field=JSONField())

    return Case(
        When(Q(lot__isnull=True) | Q(serial=""), then=Value(None, output_field=JSONField())),
        default=Coalesce(
            first(serial__iexact=serial), first(asset_tag__iexact=serial), output_field=JSONField()
        ),
        output_field=JSONField(),
    )


def find_lot_item(lot: Lot, code: str) -> LotItem | None:
    code = code.strip()
    item = lot.items.filter(serial__iexact=code).first()
    if item is None and code:
        item = lot.items.filter(asset_tag__iexact=code).first()
    return item


def _hold_lot(lot: Lot, workshop: Organisation) -> Lot:
    """The lot locked and read again, refused unless it is still the workshop's and open to check-in.

    The page (or the API call) read the lot before: a colleague may have declined it since, and the assignment
    rule offered it to another workshop, or the donor cancelled it. Locked before the workshop (hold_stock), in
    the order lot assignment takes them (donations/assignment.py): taken the other way round, a check-in and an
    assignment of the same lot could each wait for the other.
    """
    lot = LOTS.lock(lot.pk)
    if lot.workshop_id != workshop.pk:
        raise NotFound(
            _("Ce lot n’est pas ou plus attribué à votre atelier : aucun appareil ne peut y être reçu.")
        )
    if lot.status not in CHECK_IN_LOT_STATUSES:
        raise Conflict(
            _("Ce lot ne peut pas recevoir d’appareils : son état est « %(status)s ».")
            % {"status": lot.get_status_display()}
        )
    return lot


@dataclass
class CheckIn:
    device: Device
    created: bool
    warnings: list[str] = field(default_factory=list)
    read_as: str = ""  # what the scanned code was read as, when a maker's label was read back (scans.read_as)


def pick_scanned(readings, rows, *fields) -> Pick:
    """scans.pick over `rows`: those whose first field in `fields` that finds any equals a reading, whatever
    the case (a manifest line by its serial, else by the donor's asset tag)."""

    def found(code):
        code = serial_text(code)
        for name in fields if code else ():
            keys = list(rows.filter(**{f"{name}__iexact": code}).values_list("pk", flat=True)[:2])
            if keys:
                return keys
        return ()

    return pick(readings, found)


def _refuse_ambiguous(scanned: str, found: Pick) -> None:
    if found.ambiguous:
        raise InvalidInput(ambiguous_message(scanned, [reading.code for reading, _key in found.ambiguous]))


@transaction.atomic
def check_in(
    *,
    workshop: Organisation,
    actor: User,
    serial: str = "",
    lot: Lot | None = None,
    type: str = "",
    **specs,
) -> CheckIn:
    """Receive one device, from a lot assigned to the workshop (its manifest pre-fills the specs) or walk-in.

    Scanning the same serial twice in a lot returns the device already received instead of a duplicate.
    """
    scanned = str(serial or "")
    if is_part_number(scanned):
        raise InvalidInput(
            _(
                "« %(code)s » est une référence produit (code « P » ou « Part No. »), pas un numéro de série : "
                "scannez le code « S » ou « Serial No. » de l’étiquette."
            )
            % {"code": scanned.strip()}
        )
    readings = scan_readings(scanned)
    serial = serial_text(serial)
    item, reading, existing = None, None, None
    if lot is not None:
        lot = _hold_lot(lot, workshop)
    if serial:
        hold_stock(workshop)  # the same label scanned twice at once: one device, found again by the second
    if lot is not None:
        if not serial:
            raise InvalidInput(_("Scannez ou saisissez le numéro de série de l’appareil."))
        found = pick_scanned(readings, lot.items.all(), "serial", "asset_tag")
        _refuse_ambiguous(scanned, found)
        if found.key is not None:
            item, reading = lot.items.get(pk=found.key), found.reading
        devices = lot.devices.all()
    elif serial:
        devices = Device.objects.filter(workshop=workshop, lot__isnull=True)
    if item is not None and item.serial:
        serial = item.serial
        existing = devices.filter(serial__iexact=serial).first()
    elif serial:
        found = pick_scanned(readings, devices, "serial")
        _refuse_ambiguous(scanned, found)
        existing = devices.get(pk=found.key) if found.key is not None else None
        reading = found.reading or new_reading(readings, specs.get("brand") or (item.brand if item else ""))
        serial = serial_text(reading.code) or serial
        if "://" in serial:
            raise InvalidInput(
                _(
                    "Ce code est une adresse web (un QR code) où aucun numéro de série n’a été lu : "
                    "scannez le code-barres du numéro de série."
                )
            )
    if serial and existing is not None:
        return CheckIn(existing, False, release_warnings(item), read_as(scanned, reading))
    values = {}
    if item is not None:
        values = {
            "type": item.type if item.type in DeviceType.values else "",
            "brand": item.brand,
            "model": item.model,
            "year": item.year,
            "cpu": item.cpu,
            "os": item.os,
            "ram_gb": item.ram_gb,
            "storage_gb": item.storage_gb,
        }
    values.update({key: value for key, value in specs.items() if value not in (None, "")})
    if type:
        values["type"] = type
    if values.get("type") not in DeviceType.values:
        raise InvalidInput(_("Choisissez le type d’appareil (le manifeste ne l’indique pas)."))
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(_("Champs inconnus : %(f)s") % {"f": ", ".join(sorted(unknown))})
    warnings = release_warnings(item)
    note = [texts.FROM_LOT(lot=lot.title) if lot else texts.DIRECT()]
    if warnings:
        note.append(texts.TO_RELEASE(w=release_fields(item)))
    device = _create_device(actor=actor, note=note, workshop=workshop, lot=lot, serial=serial, **values)
    return CheckIn(device, True, warnings, read_as(scanned, reading))
