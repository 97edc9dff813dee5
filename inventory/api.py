"""The stock API for workshops' own tools (PRODUCT.md): devices, transitions, erasures, CSV import."""

import hashlib
from datetime import datetime

from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from inventory import stock_import
from inventory.enums import DeviceState
from inventory.models import Device, DeviceEvent, ErasureRecord
from inventory.reports.uploads import import_upload, read_upload
from inventory.scans import serial_lookup
from inventory.services import erasures
from inventory.services.devices import move, recycle, update_device
from inventory.services.intake import check_in, lots_for_check_in
from reuse import uploads
from reuse.bounds import LocalDateTime, PageLimit, QueryText, whole_number
from reuse.errors import ErrorOut, Forbidden, InputSchema, InvalidInput, check_if_match
from reuse.policy.inventory import acting_workshop, can_handle_device, visible_devices

router = Router(tags=["stock"])


class DeviceOut(Schema):
    id: int
    asset_tag: str
    workshop_id: int
    lot_id: int | None
    type: str
    brand: str
    model: str
    serial: str
    state: str
    grade: str
    price_cents: int | None
    year: int | None
    cpu: str
    ram_gb: int | None
    storage_type: str
    storage_gb: int | None
    screen_inches: float | None
    battery_health: int | None
    os: str
    keyboard_layout: str
    accessories: str
    repair_notes: str
    diagnostics: str
    media_count: int
    outcome_department: str
    recycle_channel: str
    recycle_reference: str
    received_at: datetime
    state_changed_at: datetime


class DevicePage(Schema):
    items: list[DeviceOut]
    next_cursor: str | None


class DevicePatch(InputSchema):
    stored_in = (Device,)
    type: str | None = None
    brand: str | None = None
    model: str | None = None
    serial: str | None = None
    year: int | None = None
    cpu: str | None = None
    ram_gb: int | None = None
    storage_type: str | None = None
    storage_gb: int | None = None
    screen_inches: float | None = None
    battery_health: int | None = None
    os: str | None = None
    keyboard_layout: str | None = None
    accessories: str | None = None
    repair_notes: str | None = None
    diagnostics: str | None = None
    media_count: int | None = None
    grade: str | None = None
    price_cents: int | None = None


class DeviceIn(InputSchema):
    stored_in = (Device,)
    type: str = ""
    serial: str = ""
    lot_id: int | None = None
    # Required from a person in several workshops: the one the device enters.
    workshop_id: int | None = None
    brand: str = ""
    model: str = ""


class TransitionIn(InputSchema):
    stored_in = (Device, DeviceEvent)
    to: str
    note: str = ""
    recycle_channel: str | None = None
    recycle_reference: str | None = None


class ErasureIn(InputSchema):
    stored_in = (ErasureRecord,)
    method: str
    tool: str
    tool_version: str
    verified: bool
    media_serial: str = ""  # left out for a phone or a tablet: its own serial (inventory.enums)
    media_type: str = ""
    media_make: str = ""
    media_model: str = ""
    passes: int | None = None
    performed_at: LocalDateTime | None = None
    notes: str = ""


class ErasureOut(Schema):
    id: int
    device_id: int
    method: str
    tool: str
    tool_version: str
    media_serial: str
    media_type: str
    media_make: str
    media_model: str
    passes: int | None
    operator_id: int
    performed_at: datetime
    verified: bool
    report_sha256: str | None = None

    @staticmethod
    def resolve_report_sha256(record):
        return record.report.sha256 if record.report_id else None


class ReportResult(Schema):
    filename: str
    ok: bool
    message: str
    kind: str
    tags: list[str]


class ImportOut(Schema):
    created: int
    updated: int
    # The file's accents were lost (Windows PowerShell 5.1's ASCII Export-Csv): which rows, how to export again.
    lost_letters: list[str] = []


def _device(request, device_id: int, *, write: bool = False) -> Device:
    device = visible_devices(request.user).select_related("workshop").filter(pk=device_id).first()
    if device is None:
        raise Http404
    if write and not can_handle_device(request.user, device):
        raise Forbidden()
    return device


def _etag(device: Device) -> str:
    """The device as the API shows it, in one strong ETag: any change of what a tool reads changes it."""
    shown = DeviceOut.from_orm(device).model_dump_json()
    return f'"{hashlib.sha256(shown.encode()).hexdigest()[:32]}"'


def _shown(response: HttpResponse, device: Device) -> Device:
    response["ETag"] = _etag(device)
    return device


def _unchanged_since_read(request, device: Device) -> None:
    """Inside the write's transaction, the row locked: a tool that read the device before another changed it sends
    that read's ETag in If-Match and is refused (412), instead of overwriting the other change."""
    if "If-Match" in request.headers:
        locked = Device.objects.select_for_update().select_related("workshop").get(pk=device.pk)
        check_if_match(request.headers["If-Match"], _etag(locked))


# Database integer keys stop at 2**63 - 1: a larger id is invalid input, not a server error.
MAX_DB_ID = 2**63 - 1


@router.get("/devices", response=DevicePage)
def list_devices(
    request,
    state: QueryText | None = None,
    type: QueryText | None = None,
    grade: QueryText | None = None,
    lot: int | None = Query(None, ge=1, le=MAX_DB_ID),
    serial: QueryText | None = None,
    cursor: QueryText | None = None,
    limit: PageLimit = 50,
):
    devices = visible_devices(request.user).order_by("-pk")
    for name, value in (
        ("state", state),
        ("type", type),
        ("grade", grade),
        ("lot_id", lot),
    ):
        if value not in (None, ""):
            devices = devices.filter(**{name: value})
    if serial not in (None, ""):
        # As every lookup by serial (reuse/serials.py): whatever the case, never by a firmware placeholder; a
        # maker's label scanned (inventory/scans.py) finds the serial it carries.
        devices = devices.filter(serial_lookup(serial))
    if cursor:
        position = whole_number(cursor)
        if position is None:
            raise InvalidInput(_("Curseur invalide."))
        devices = devices.filter(pk__lt=position)
    items = list(devices[: limit + 1])
    next_cursor = str(items[limit - 1].pk) if len(items) > limit else None
    return {"items": items[:limit], "next_cursor": next_cursor}


def _workshop(request, chosen):
    """The workshop a write acts for: chosen with `workshop_id` by a person in several (reuse.policy.inventory)."""
    workshop = acting_workshop(request.user, chosen)
    if workshop is None:
        raise Forbidden(_("Réservé aux membres d’un atelier vérifié."))
    return workshop


@router.post("/devices", response={201: DeviceOut, 200: DeviceOut})
def create_device(request, payload: DeviceIn):
    """Check a device in, from a lot assigned to the workshop or walk-in; the same serial twice returns it."""
    workshop = _workshop(request, payload.workshop_id)
    lot = None
    if payload.lot_id is not None:
        lot = lots_for_check_in(workshop).filter(pk=payload.lot_id).first()
        if lot is None:
            raise Http404
    outcome = check_in(
        workshop=workshop,
        actor=request.user,
        lot=lot,
        **payload.dict(exclude={"lot_id", "workshop_id"}),
    )
    return Status(201 if outcome.created else 200, outcome.device)


@router.post("/devices/import", response=ImportOut)
def import_devices(request, file: UploadedFile = File(...), workshop_id: Form[str] = ""):  # noqa: B008 (ninja declares uploads this way)
    workshop = _workshop(request, workshop_id)
    # A refused file raises RowErrors: the API's error body then lists the errors of each row.
    data = uploads.STOCK_FILE.read(file)
    return stock_import.import_stock_csv(workshop=workshop, actor=request.user, data=data)


@router.post(
    "/devices/reports",
    response=list[ReportResult],
    summary="Import hardware snapshots and erasure reports (one file or a zip), matched by serial",
)
def import_reports(
    request,
    file: UploadedFile = File(...),  # noqa: B008
    level: Form[str] = "",
    workshop_id: Form[str] = "",
):
    workshop = _workshop(request, workshop_id)
    outcomes = import_upload(
        workshop=workshop,
        actor=request.user,
        filename=file.name or "rapport",
        data=read_upload(file),
        level=level,
    )
    return [outcome.as_dict() for outcome in outcomes]


@router.get("/devices/{device_id}", response=DeviceOut)
def get_device(request, device_id: int, response: HttpResponse):
    """The `ETag` header names this version of the device: send it back in `If-Match` to change it safely."""
    return _shown(response, _device(request, device_id))


@router.patch("/devices/{device_id}", response={200: DeviceOut, 412: ErrorOut})
@transaction.atomic
def patch_device(request, device_id: int, payload: DevicePatch, response: HttpResponse):
    """With `If-Match` (the ETag of the device as read), a device changed since is refused with 412."""
    device = _device(request, device_id, write=True)
    _unchanged_since_read(request, device)
    changes = payload.dict(exclude_unset=True)
    for name in (
        "brand",
        "model",
        "serial",
        "cpu",
        "storage_type",
        "os",
        "keyboard_layout",
        "accessories",
        "grade",
    ):
        if name in changes and changes[name] is None:
            changes[name] = ""
    if "type" in changes and changes["type"] is None:
        raise InvalidInput(_("Le type ne peut pas être vide."))
    return _shown(response, update_device(device=device, actor=request.user, **changes))


@router.post("/devices/{device_id}/transition", response={200: DeviceOut, 412: ErrorOut})
@transaction.atomic
def transition_device(request, device_id: int, payload: TransitionIn, response: HttpResponse):
    """With `If-Match` (the ETag of the device as read), a device changed since is refused with 412."""
    device = _device(request, device_id, write=True)
    _unchanged_since_read(request, device)
    if payload.to == DeviceState.RECYCLED:
        moved = recycle(
            device=device,
            actor=request.user,
            channel=payload.recycle_channel or "",
            reference=payload.recycle_reference or "",
            note=payload.note,
        )
    else:
        moved = move(device=device, actor=request.user, to=payload.to, note=payload.note)
    return _shown(response, moved)


@router.post(
    "/devices/{device_id}/reports",
    response=list[ReportResult],
    summary="Import a snapshot or an erasure report of this device (checked against its serials)",
)
def import_device_reports(request, device_id: int, file: UploadedFile = File(...), level: Form[str] = ""):  # noqa: B008
    device = _device(request, device_id, write=True)
    outcomes = import_upload(
        workshop=device.workshop,
        actor=request.user,
        filename=file.name or "rapport",
        data=read_upload(file),
        device=device,
        level=level,
    )
    return [outcome.as_dict() for outcome in outcomes]


@router.post("/devices/{device_id}/erasure", response={201: ErasureOut})
def record_erasure(request, device_id: int, payload: ErasureIn):
    device = _device(request, device_id, write=True)
    record = erasures.record_erasure(device=device, operator=request.user, **payload.dict())
    return Status(201, record)
