"""Donations API (PRODUCT.md): lots, manifest imports and their jobs (the per-serial report, which reads the
devices, is in inventory/donor_reports/api.py)."""

from datetime import date, datetime

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from donations import services
from donations.models import Lot, LotItem
from reuse.accounts.schemas import WorkshopOut
from reuse.errors import InputSchema, NotFound, render_text
from reuse.policy.donations import donor_lots, get_lot, visible_jobs, visible_lots

router = Router(tags=["donations"])


class ItemIn(InputSchema):
    stored_in = (LotItem,)
    type: str
    brand: str = ""
    model: str = ""
    serial: str = ""
    asset_tag: str = ""
    year: int | None = None
    cpu: str = ""
    ram_gb: int | None = None
    storage_gb: int | None = None
    condition: str = ""
    quantity: int = 1
    net_book_value_cents: int = 0


class LotIn(InputSchema):
    stored_in = (Lot,)
    title: str
    pickup_postcode: str
    pickup_address: str
    available_from: date
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    items: list[ItemIn] = []
    # Required from a person in several donor organisations (a company's two entities): the one giving the lot.
    organisation_id: int | None = None


class LotOut(Schema):
    id: int
    title: str
    status: str
    pickup_address: str
    pickup_postcode: str
    pickup_department: str
    available_from: date
    pickup_scheduled_for: datetime | None
    workshop: WorkshopOut | None
    items_count: int
    devices_declared: int
    devices_received: int
    created: datetime
    updated: datetime


class JobCreated(Schema):
    job_id: int


class JobError(Schema):
    row: int | None
    field: str
    message: str


class JobOut(Schema):
    id: int
    lot_id: int
    state: str
    progress: int
    created: datetime
    updated: datetime
    message: str
    # Why a finished import waits for the donor: "columns", "values" or "warnings" ("" otherwise).
    needs: str
    errors: list[JobError]
    error_count: int
    warnings: list[JobError]
    warning_count: int
    summary: dict
    total_rows: int
    valid_rows: int
    created_rows: int
    updated_rows: int

    # Stored as codes (donations.texts): written out in the reader's language.
    @staticmethod
    def resolve_message(job) -> str:
        return job.message_text

    @staticmethod
    def resolve_errors(job) -> list[dict]:
        return job.error_rows

    @staticmethod
    def resolve_warnings(job) -> list[dict]:
        return job.warning_rows

    @staticmethod
    def resolve_summary(job) -> dict:
        plan = job.summary.get("plan")
        if not plan:
            return job.summary
        return {**job.summary, "plan": {**plan, "reasons": [render_text(r) for r in plan.get("reasons", [])]}}


def _lot_out(lot: Lot) -> dict:
    totals = lot.items.aggregate(n=Count("pk"), q=Coalesce(Sum("quantity"), 0))
    return {
        "id": lot.pk,
        "title": lot.title,
        "status": lot.status,
        "pickup_address": lot.pickup_address,
        "pickup_postcode": lot.pickup_postcode,
        "pickup_department": lot.pickup_department,
        "available_from": lot.available_from,
        "pickup_scheduled_for": lot.pickup_scheduled_for,
        "workshop": (
            {"id": lot.workshop.pk, "name": lot.workshop.name, "department": lot.workshop.department}
            if lot.workshop
            else None
        ),
        "items_count": totals["n"],
        "devices_declared": totals["q"],
        "devices_received": lot.devices.count(),
        "created": lot.created,
        "updated": lot.updated,
    }


@router.post("/lots", response={201: LotOut}, summary="Declare a lot (donor)")
def create_lot(request, payload: LotIn):
    donor = services.donor_organisation_of(request.user, payload.organisation_id)
    # LotIn declares create_lot's keywords (items as dicts), and which of the person's donors the lot is for.
    lot = services.create_lot(
        donor=donor, created_by=request.user, **payload.dict(exclude={"organisation_id"})
    )
    return Status(201, _lot_out(lot))


@router.get("/lots/{lot_id}", response=LotOut, summary="A lot (donor, its workshop, staff)")
def get_lot_detail(request, lot_id: int):
    return _lot_out(get_lot(visible_lots(request.user), lot_id))


class MappingIn(InputSchema):
    """Answers for an import, with headers and values as they appear in the file."""

    stored_in = ()  # stored as the job's choices (JSON), checked by donations.services.answer_import

    columns: dict[str, str] = {}
    units: dict[str, str] = {}
    types: dict[str, str] = {}
    confirm_warnings: bool = False


@router.post(
    "/lots/{lot_id}/manifest",
    response={202: JobCreated},
    summary="Upload a manifest (CSV or XLSX, as exported by an asset tool); the import runs in the background",
)
def upload_manifest(request, lot_id: int, file: File[UploadedFile], mapping: Form[str] = ""):
    """`mapping` (optional) is a JSON object shaped as the body of POST /jobs/{id}/mapping."""
    lot = get_lot(donor_lots(request.user), lot_id)
    job = services.start_import(lot=lot, uploaded=file, user=request.user, choices=mapping)
    return Status(202, {"job_id": job.pk})


@router.post(
    "/jobs/{job_id}/mapping",
    response={202: JobCreated},
    summary="Answer a finished import (columns, device types, unusual values) and import the same file again",
)
def answer_job(request, job_id: int, payload: MappingIn):
    job = visible_jobs(request.user).filter(pk=job_id).first()
    if job is None or not donor_lots(request.user).filter(pk=job.lot_id).exists():
        raise NotFound()
    new = services.answer_import(job=job, user=request.user, choices=payload.dict())
    return Status(202, {"job_id": new.pk})


@router.get("/jobs/{job_id}", response=JobOut, summary="Progress and report of a manifest import (owner)")
def get_job(request, job_id: int):
    job = visible_jobs(request.user).filter(pk=job_id).first()
    if job is None:
        raise NotFound()
    return job.expire_if_stale()


@router.post("/lots/{lot_id}/submit", response=LotOut, summary="Submit a draft lot (donor)")
def submit_lot(request, lot_id: int):
    lot = get_lot(donor_lots(request.user), lot_id)
    lot = services.submit_lot(lot=lot, actor=request.user)
    return _lot_out(lot)
