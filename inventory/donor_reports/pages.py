"""The donor's pages that count its devices: the dashboard and the per-lot page with every serial's erasure and
outcome."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render

from donations import receipts, services
from donations.capacity import assignment_shortfall
from donations.charts import bar_chart
from donations.enums import LotStatus
from donations.impact import compute_impact
from donations.signals import sections_for
from inventory.donor_reports import outcomes
from inventory.enums import DeviceState
from inventory.models import Device, ErasureRecord
from reuse.accounts.enums import OrganisationKind
from reuse.policy.accounts import organisations_of_kind
from reuse.policy.donations import donor_lots, get_lot, visible_lots, workshop_of
from reuse.policy.inventory import lot_erasure_reports

DEVICES_PER_PAGE = 200


def _state_chart(counts: dict):
    labels = dict(DeviceState.choices)
    series = [(labels[state], counts.get(state, 0)) for state in DeviceState.values if counts.get(state)]
    return bar_chart(series)


@login_required
def dashboard(request):
    donors = organisations_of_kind(request.user, OrganisationKind.DONOR)
    if not donors.exists():
        if organisations_of_kind(request.user, OrganisationKind.WORKSHOP).exists():
            return redirect("donations:workshop_lots")
        # Someone signed in for another role (a household following "Donner du matériel" from the home page):
        # a page that says whose space this is and how to register an organisation, not a refusal.
        return render(request, "donations/not_donor.html")
    lots = (
        donor_lots(request.user)
        .select_related("workshop")
        .annotate(declared=Coalesce(Sum("items__quantity"), 0))
        .order_by("-created")
    )
    devices = Device.objects.filter(lot__donor__in=donors)
    counts = dict(devices.order_by().values_list("state").annotate(n=Count("pk")))
    impact = compute_impact(devices)
    return render(
        request,
        "donations/dashboard.html",
        {
            "organisations": donors,
            "lots": lots,
            "counts": [(label, counts.get(value, 0)) for value, label in DeviceState.choices],
            "total_devices": sum(counts.values()),
            "chart": _state_chart(counts),
            "impact": impact,
        },
    )


@login_required
def lot_detail(request, pk: int):
    """The donor's per-lot page: every serial with its erasure proof, grade and outcome. Constant queries."""
    lot = get_lot(visible_lots(request.user), pk)
    can_edit = donor_lots(request.user).filter(pk=lot.pk).exists()
    workshop = workshop_of(request.user, lot)
    devices = outcomes.lot_devices(lot)
    page = Paginator(devices, DEVICES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        (device, outcomes.erasure_summary(device), outcomes.outcome_of(device)) for device in page.object_list
    ]
    # The declared items in one query: per type their quantity, lines and lines declared still locked.
    by_type = list(
        lot.items.order_by()
        .values("type")
        .annotate(
            q=Coalesce(Sum("quantity"), 0),
            n=Count("pk"),
            locked=Count("pk", filter=services.not_released_q()),
        )
        .order_by("type")
    )
    items = {"n": sum(row["n"] for row in by_type), "q": sum(row["q"] for row in by_type)}
    type_labels = dict(Device._meta.get_field("type").choices)
    items_by_type = [(type_labels.get(row["type"], row["type"]), row["q"]) for row in by_type]
    states = dict(Device.objects.filter(lot=lot).order_by().values_list("state").annotate(n=Count("pk")))
    jobs = list(lot.import_jobs.order_by("-created")[:5])
    return render(
        request,
        "donations/lot_detail.html",
        {
            "lot": lot,
            "can_edit": can_edit,
            "editable": can_edit and lot.status in services.EDITABLE_STATUSES,
            # Why the draft may not be submitted yet, said in place of the button.
            "submit_refusal": services.submit_refusal(lot, lines=items["n"])
            if can_edit and lot.status == LotStatus.DRAFT
            else None,
            "workshop": workshop,
            "page": page,
            "rows": rows,
            "items": items,
            "items_by_type": items_by_type,
            "states": [
                (label, states.get(value, 0)) for value, label in DeviceState.choices if states.get(value)
            ],
            "events": lot.events.select_related("actor").order_by("created", "pk"),
            "jobs": jobs,
            "erasure_reports": lot_erasure_reports(lot).order_by("created", "pk"),
            "not_released": sum(row["locked"] for row in by_type),
            "shortfall": assignment_shortfall(lot, items["q"]),
            "receipt_status": receipts.receipt_status(lot) if can_edit else None,
            # Documents exist once the workshop has something to report: no empty PDF for a draft.
            "has_erasures": ErasureRecord.objects.filter(device__lot=lot).exists(),
            "has_devices": bool(states),
            "sections": sections_for(devices=Device.objects.filter(lot=lot), page="lot"),
        },
    )
