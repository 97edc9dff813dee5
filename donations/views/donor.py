"""The donor's pages: sign-up, dashboard, lots declared by form, release checklist, submit and cancel."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from donations import receipts, reports, services
from donations.charts import bar_chart
from donations.forms import (
    ChecklistForm,
    DonorRegistrationForm,
    ItemFormSet,
    LotForm,
)
from donations.impact import (
    compute_impact,
)
from donations.signals import sections_for
from inventory.enums import DeviceState
from inventory.models import Device, ErasureRecord, ErasureReport
from reuse.accounts import services as account_services
from reuse.accounts import signups
from reuse.accounts.backends import BACKEND
from reuse.accounts.enums import OrganisationKind
from reuse.errors import DomainError
from reuse.policy.accounts import organisations_of_kind
from reuse.policy.donations import donor_lots, get_lot, visible_lots, workshop_of
from reuse.views import domain_errors

DEVICES_PER_PAGE = 200


def _state_chart(counts: dict):
    labels = dict(DeviceState.choices)
    series = [(labels[state], counts.get(state, 0)) for state in DeviceState.values if counts.get(state)]
    return bar_chart(series)


def register(request):
    """A donor organisation signs up: the person, the organisation (SIRET checked), its first admin."""
    form = DonorRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors(form=form) as attempt:
            with transaction.atomic():
                user = signups.create_account(**form.account_fields())
                account_services.register_organisation(
                    kind=OrganisationKind.DONOR,
                    name=data["name"],
                    siret=data["siret"],
                    address=data["address"],
                    postcode=data["postcode"],
                    city=data["city"],
                    phone=data["phone"],
                    email=data["email"],
                    admin=user,
                )
        if attempt.ok:
            login(request, user, backend=BACKEND)
            messages.success(
                request,
                _(
                    "Bienvenue ! Votre organisation sera vérifiée par l’équipe Rebond ; vous pouvez déjà préparer un lot."
                ),
            )
            return redirect("donations:dashboard")
    return render(request, "donations/register.html", {"form": form})


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
def lot_create(request):
    try:
        donor = services.donor_organisation_of(request.user)
    except DomainError as exc:
        raise Http404 from exc
    form = LotForm(request.POST or None)
    formset = ItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        items = [item for item in (f.item() for f in formset.forms if f.has_changed()) if item]
        with domain_errors(form=form) as attempt:
            lot = services.create_lot(donor=donor, created_by=request.user, items=items, **form.cleaned_data)
        if attempt.ok:
            messages.success(request, _("Lot enregistré comme brouillon."))
            return redirect("donations:lot", lot.pk)
    return render(request, "donations/lot_form.html", {"form": form, "formset": formset})


@login_required
def lot_items_add(request, pk: int):
    lot = get_lot(donor_lots(request.user), pk)
    formset = ItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and formset.is_valid():
        items = [item for item in (f.item() for f in formset.forms if f.has_changed()) if item]
        with domain_errors(request) as attempt:
            services.add_items(lot=lot, items=items)
        if attempt.ok:
            messages.success(request, _("%(n)s appareil(s) ajouté(s) ou mis à jour.") % {"n": len(items)})
            return redirect("donations:lot", lot.pk)
    return render(request, "donations/lot_items.html", {"lot": lot, "formset": formset})


@login_required
def lot_detail(request, pk: int):
    """The donor's per-lot page: every serial with its erasure proof, grade and outcome. Constant queries."""
    lot = get_lot(visible_lots(request.user), pk)
    can_edit = donor_lots(request.user).filter(pk=lot.pk).exists()
    workshop = workshop_of(request.user, lot)
    devices = reports.lot_devices(lot)
    page = Paginator(devices, DEVICES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        (device, reports.erasure_summary(device), reports.outcome_of(device)) for device in page.object_list
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
            "erasure_reports": ErasureReport.objects.filter(records__device__lot=lot)
            .distinct()
            .order_by("created", "pk"),
            "not_released": sum(row["locked"] for row in by_type),
            "receipt_status": receipts.receipt_status(lot) if can_edit else None,
            # Documents exist once the workshop has something to report: no empty PDF for a draft.
            "has_erasures": ErasureRecord.objects.filter(device__lot=lot).exists(),
            "has_devices": bool(states),
            "sections": sections_for(devices=Device.objects.filter(lot=lot), page="lot"),
        },
    )


@login_required
def checklist(request, pk: int):
    lot = get_lot(donor_lots(request.user), pk)
    types = list(lot.items.order_by("type").values_list("type", flat=True).distinct())
    current = {}
    for row in (
        lot.items.order_by()
        .values("type")
        .annotate(
            a=Count("pk", filter=Q(activation_lock_off=True)),
            f=Count("pk", filter=Q(frp_removed=True)),
            m=Count("pk", filter=Q(mdm_released=True)),
            b=Count("pk", filter=Q(bios_password_removed=True)),
            n=Count("pk"),
        )
    ):
        for key, check in (
            ("a", "activation_lock_off"),
            ("f", "frp_removed"),
            ("m", "mdm_released"),
            ("b", "bios_password_removed"),
        ):
            current[(row["type"], check)] = row[key] == row["n"] and row["n"] > 0
    form = ChecklistForm(request.POST or None, types=types, items=current)
    if request.method == "POST" and form.is_valid():
        with domain_errors(request) as attempt:
            services.update_release_checklist(lot=lot, answers=form.answers(), actor=request.user)
        if attempt.ok:
            messages.success(request, _("Liste de libération enregistrée."))
            return redirect("donations:lot", lot.pk)
    return render(request, "donations/checklist.html", {"lot": lot, "form": form})


# The donor's moves of its own lot: the service that makes it and what the donor is told once it is made.
LOT_MOVES = {
    "submit": (
        services.submit_lot,
        gettext_lazy("Lot soumis : il va être proposé à un atelier de votre territoire."),
    ),
    "cancel": (services.cancel_lot, gettext_lazy("Lot annulé.")),
}


@login_required
@require_POST
def lot_move(request, pk: int, move: str):
    lot = get_lot(donor_lots(request.user), pk)
    service, done = LOT_MOVES[move]
    with domain_errors(request) as attempt:
        service(lot=lot, actor=request.user)
    if attempt.ok:
        messages.success(request, done)
    return redirect("donations:lot", lot.pk)
