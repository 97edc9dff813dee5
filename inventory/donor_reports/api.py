"""The donor's per-serial report of a lot in the API (PRODUCT.md): each device's erasure and outcome, and the
lot's impact. Listed under the donations tag, beside the lot it reports on; mounted by inventory's router."""

from datetime import datetime
from typing import Annotated

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from donations.impact import compute_impact
from inventory.donor_reports.outcomes import device_rows, lot_devices, not_received
from reuse.bounds import QueryText, whole_number
from reuse.errors import InvalidInput
from reuse.policy.donations import get_lot, visible_lots

router = Router(tags=["donations"])


class MediumErasureOut(Schema):
    serial: str
    method: str
    level: str
    tool: str
    date: datetime
    verified: bool


class ErasureSummaryOut(Schema):
    """`method`, `tool`, `date`: the weakest medium's erasure (a failed one first, then the lowest NIST level);
    `media`: each medium's latest erasure."""

    method: str
    tool: str
    date: datetime
    verified: bool
    media_count: int
    media: list[MediumErasureOut] = []


class OutcomeOut(Schema):
    kind: str
    department: str
    channel: str
    label: str


class DeviceOutcomeOut(Schema):
    serial: str
    asset_tag: str
    type: str
    brand: str
    model: str
    state: str
    grade: str
    erasure: ErasureSummaryOut | None
    outcome: OutcomeOut


class ImpactLineOut(Schema):
    """One device type: how many were reused, the method's factors as published, and their products (unrounded)."""

    type: str
    devices: int
    co2e_factor: float
    co2e_kg: float
    weight_factor: float
    weee_kg: float


class ImpactOut(Schema):
    co2e_kg: float
    weee_kg: float
    method: str
    method_name: str
    method_version: str
    source: str
    weight_source: str
    devices_reused: int
    households: int
    associations: int
    lines: list[ImpactLineOut] = []


class NotReceivedOut(Schema):
    serial: str
    type: str
    brand: str
    model: str


class ReportOut(Schema):
    lot_id: int
    status: str
    devices: list[DeviceOutcomeOut]
    impact: ImpactOut
    next_cursor: str | None = None
    # The manifest's serials no device of the lot carries, as the certificate and the export list them.
    not_received: list[NotReceivedOut] = []


# A page of the report when the client asks for one (`limit`): without it, every device as before.
MAX_LIMIT = 1000


def _page(lot, cursor: str | None, limit: int | None):
    """The lot's devices in the report's order (serial, asset tag, id), from after the device `cursor` names,
    `limit` of them (and whether more follow); all of them without `limit` or `cursor`."""
    devices = lot_devices(lot)
    if cursor:
        position = whole_number(cursor)
        after = devices.filter(pk=position).values("serial", "asset_tag", "pk").first() if position else None
        if after is None:
            raise InvalidInput(_("Curseur invalide."))
        devices = devices.filter(
            Q(serial__gt=after["serial"])
            | Q(serial=after["serial"], asset_tag__gt=after["asset_tag"])
            | Q(serial=after["serial"], asset_tag=after["asset_tag"], pk__gt=after["pk"])
        )
    if limit is None:
        return devices, None
    limit = max(1, min(limit, MAX_LIMIT))
    ids = list(devices.values_list("pk", flat=True)[: limit + 1])
    next_cursor = str(ids[limit - 1]) if len(ids) > limit else None
    return devices.filter(pk__in=ids[:limit]), next_cursor


@router.get(
    "/lots/{lot_id}/report",
    response=ReportOut,
    summary="Per-serial outcomes and impact of a lot",
    # The operation keeps the id it had when donations served it: clients generated from the schema still find it.
    operation_id="donations_api_lot_report",
)
def lot_report(
    request,
    lot_id: int,
    method: QueryText | None = None,
    cursor: QueryText | None = None,
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] | None = None,
):
    """Every device of the lot, or with `limit` (at most 1,000) a page of them and `next_cursor` to pass as
    `cursor` for the next one (null on the last page). The impact, and `not_received` (the manifest's serials that
    never reached the workshop), are always the whole lot's."""
    lot = get_lot(visible_lots(request.user), lot_id)
    page, next_cursor = _page(lot, cursor, limit)
    devices = []
    for device, erasure, outcome in device_rows(lot, page):
        devices.append(
            {
                "serial": device.serial,
                "asset_tag": device.asset_tag,
                "type": device.type,
                "brand": device.brand,
                "model": device.model,
                "state": device.state,
                "grade": device.grade,
                "erasure": (
                    {
                        "method": erasure["method"],
                        "tool": erasure["tool"],
                        "date": erasure["date"],
                        "verified": erasure["verified"],
                        "media_count": erasure["count"],
                        "media": erasure["media"],
                    }
                    if erasure
                    else None
                ),
                "outcome": {**outcome, "kind": str(outcome["kind"])},
            }
        )
    impact = compute_impact(lot.devices.all(), method)
    return {
        "lot_id": lot.pk,
        "status": lot.status,
        "devices": devices,
        "impact": impact.as_dict(),
        "next_cursor": next_cursor,
        "not_received": not_received(lot),
    }
