"""The donor's per-serial report of a lot in the API (PRODUCT.md): each device's erasure and outcome, and the
lot's impact. Listed under the donations tag, beside the lot it reports on; mounted by inventory's router."""

from datetime import datetime

from ninja import Router, Schema

from donations.impact import compute_impact
from inventory.donor_reports.outcomes import device_rows
from reuse.policy.donations import get_lot, visible_lots

router = Router(tags=["donations"])


class ErasureSummaryOut(Schema):
    method: str
    tool: str
    date: datetime
    verified: bool
    media_count: int


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


class ImpactOut(Schema):
    co2e_kg: float
    weee_kg: float
    method: str
    method_name: str
    method_version: str
    source: str
    devices_reused: int
    households: int
    associations: int


class ReportOut(Schema):
    lot_id: int
    status: str
    devices: list[DeviceOutcomeOut]
    impact: ImpactOut


@router.get(
    "/lots/{lot_id}/report",
    response=ReportOut,
    summary="Per-serial outcomes and impact of a lot",
    # The operation keeps the id it had when donations served it: clients generated from the schema still find it.
    operation_id="donations_api_lot_report",
)
def lot_report(request, lot_id: int, method: str | None = None):
    lot = get_lot(visible_lots(request.user), lot_id)
    devices = []
    for device, erasure, outcome in device_rows(lot):
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
                    }
                    if erasure
                    else None
                ),
                "outcome": {**outcome, "kind": str(outcome["kind"])},
            }
        )
    impact = compute_impact(lot.devices.all(), method)
    return {"lot_id": lot.pk, "status": lot.status, "devices": devices, "impact": impact.as_dict()}
