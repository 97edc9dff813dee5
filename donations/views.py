from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from donations import certificates, receipts, reports, services
from donations.charts import bar_chart
from donations.enums import ImportState, LotStatus, ManifestColumn, SizeUnit
from donations.forms import (
    ChecklistForm,
    DeclineForm,
    DonorRegistrationForm,
    ItemFormSet,
    LotForm,
    ManifestForm,
    MappingForm,
    PickupForm,
    TaxReceiptForm,
)
from donations.impact import (
    compute_impact,
    default_method,
    method_choices,
    method_or_default,
    methods,
    reused_by_department,
)
from donations.models import ErasureCertificate, LotItem, TaxReceipt
from donations.signals import sections_for
from inventory.enums import DeviceState, DeviceType
from inventory.models import Device, ErasureRecord, ErasureReport
from reuse.accounts import services as account_services
from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import User
from reuse.errors import DomainError
from reuse.policy.accounts import is_staff, organisations_of_kind
from reuse.policy.donations import donor_lots, get_lot, visible_jobs, visible_lots, workshop_lots, workshop_of
from reuse.views import domain_errors

DEVICES_PER_PAGE = 200


def import_report(job) -> dict:
    """The job's summary in the reader's language: tool, ignored columns, units, types read or inferred."""
    summary = job.summary or {}
    plan = summary.get("plan", {})
    type_labels = dict(DeviceType.choices)
    unit_labels = dict(SizeUnit.choices)
    column_labels = dict(ManifestColumn.choices)
    bases = {
        "header": _("d’après l’en-tête"),
        "values": _("d’après les valeurs"),
        "choice": _("selon votre choix"),
    }
    units = [
        {
            "column": column_labels.get(name, name),
            "unit": unit_labels.get(info["unit"], info["unit"]),
            "basis": bases.get(info["basis"], ""),
        }
        for name, info in summary.get("units", {}).items()
        if info.get("unit") and info["unit"] != SizeUnit.GB
    ]
    inferred = [
        {
            "type": type_labels.get(item["type"], item["type"]),
            "basis": _("le système") if item["basis"] == "os" else _("le modèle"),
            "count": item["count"],
        }
        for item in summary.get("inferred", [])
    ]
    normalised = [
        {**item, "label": type_labels.get(item["type"], item["type"])}
        for item in summary.get("normalised", [])
        if item["basis"] != "column"
    ]
    return {
        "tool": plan.get("tool_name", ""),
        "header_row": summary.get("header_row", 1),
        "columns": [
            {**column, "label": column_labels.get(column["field"], "")}
            for column in plan.get("columns", [])
            if column["field"]
        ],
        "ignored": summary.get("ignored", []),
        "units": units,
        "inferred": inferred,
        "inferred_rows": summary.get("inferred_rows", 0),
        "normalised": normalised,
        "unknown": summary.get("unknown", []),
        "reasons": plan.get("reasons", []),
    }


def _euros(cents: int) -> str:
    return f"{cents / 100:,.2f}".replace(",", "\u202f").replace(".", ",")


def _state_chart(counts: dict):
    labels = dict(DeviceState.choices)
    series = [(labels[state], counts.get(state, 0)) for state in DeviceState.values if counts.get(state)]
    return bar_chart(series)


# --- registration ------------------------------------------------------------------------------------


def register(request):
    """A donor organisation signs up: the person, the organisation (SIRET checked), its first admin."""
    form = DonorRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors(form=form) as attempt:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=data["email"],
                    password=data["password"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                )
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
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _(
                    "Bienvenue ! Votre organisation sera vérifiée par l’équipe Rebond ; vous pouvez déjà préparer un lot."
                ),
            )
            return redirect("donations:dashboard")
    return render(request, "donations/register.html", {"form": form})


# --- donor -----------------------------------------------------------------------------------------


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
    items = lot.items.aggregate(n=Count("pk"), q=Coalesce(Sum("quantity"), 0))
    type_labels = dict(Device._meta.get_field("type").choices)
    items_by_type = [
        (type_labels.get(row["type"], row["type"]), row["q"])
        for row in lot.items.order_by()
        .values("type")
        .annotate(q=Coalesce(Sum("quantity"), 0))
        .order_by("type")
    ]
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
            "not_released": lot.items.filter(services.not_released_q()).count(),
            "receipt_status": receipts.receipt_status(lot) if can_edit else None,
            # Documents exist once the workshop has something to report: no empty PDF for a draft.
            "has_erasures": ErasureRecord.objects.filter(device__lot=lot).exists(),
            "has_devices": bool(states),
            "sections": sections_for(devices=Device.objects.filter(lot=lot), page="lot"),
        },
    )


@login_required
def manifest_upload(request, pk: int):
    lot = get_lot(donor_lots(request.user), pk)
    form = ManifestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors(form=form, field="file") as attempt:
            job = services.start_import(lot=lot, uploaded=form.cleaned_data["file"], user=request.user)
        if attempt.ok:
            return redirect("donations:job", job.pk)
    return render(request, "donations/manifest_upload.html", {"lot": lot, "form": form})


@login_required
def job_detail(request, pk: int):
    job = visible_jobs(request.user).select_related("lot").filter(pk=pk).first()
    if job is None:
        raise Http404
    return render(
        request,
        "donations/job_detail.html",
        {
            "job": job,
            "lot": job.lot,
            "running": job.state in (ImportState.PENDING, ImportState.RUNNING),
            "report": import_report(job),
            "can_map": job.may_map and donor_lots(request.user).filter(pk=job.lot_id).exists(),
        },
    )


@login_required
def job_mapping(request, pk: int):
    """The donor says which column holds what and what its values mean; saved for the organisation."""
    job = visible_jobs(request.user).select_related("lot").filter(pk=pk).first()
    if job is None or not donor_lots(request.user).filter(pk=job.lot_id).exists():
        raise Http404
    if not job.may_map:
        return redirect("donations:job", job.pk)
    form = MappingForm(request.POST or None, job=job)
    if request.method == "POST" and form.is_valid():
        with domain_errors(form=form) as attempt:
            new = services.answer_import(job=job, user=request.user, choices=form.choices())
        if attempt.ok:
            return redirect("donations:job", new.pk)
    return render(request, "donations/job_mapping.html", {"job": job, "lot": job.lot, "form": form})


@login_required
@require_POST
def job_import_valid(request, pk: int):
    job = visible_jobs(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    try:
        new = services.import_valid_rows(job=job, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("donations:job", job.pk)
    return redirect("donations:job", new.pk)


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


@login_required
@require_POST
def lot_submit(request, pk: int):
    lot = get_lot(donor_lots(request.user), pk)
    with domain_errors(request) as attempt:
        services.submit_lot(lot=lot, actor=request.user)
    if attempt.ok:
        messages.success(request, _("Lot soumis : il va être proposé à un atelier de votre territoire."))
    return redirect("donations:lot", lot.pk)


@login_required
@require_POST
def lot_cancel(request, pk: int):
    lot = get_lot(donor_lots(request.user), pk)
    with domain_errors(request) as attempt:
        services.cancel_lot(lot=lot, actor=request.user)
    if attempt.ok:
        messages.success(request, _("Lot annulé."))
    return redirect("donations:lot", lot.pk)


@login_required
def certificate_pdf(request, pk: int):
    lot = get_lot(visible_lots(request.user), pk)
    try:
        certificate = certificates.issue_certificate(lot=lot, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("donations:lot", lot.pk)
    response = HttpResponse(certificates.render_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificat-effacement-lot{lot.pk}-{certificate.code}.pdf"'
    )
    return response


def certificate_verify(request, code: str):
    """Public: anyone holding a printed certificate confirms its code and content hash here."""
    certificate = ErasureCertificate.objects.select_related("lot").filter(code=code.upper()).first()
    if certificate is None:
        return render(
            request, "donations/certificate_verify.html", {"certificate": None, "code": code}, status=404
        )
    intact = certificates.content_hash(certificate.content) == certificate.content_hash
    newer = certificate.lot.certificates.filter(created__gt=certificate.created).exists()
    return render(
        request,
        "donations/certificate_verify.html",
        {"certificate": certificate, "code": code, "intact": intact, "newer": newer},
    )


@login_required
def erasure_report(request, pk: int, report_pk: int):
    """An erasure tool's original report, for the donor of a lot it covers (and the lot's workshop, staff)."""
    from inventory.reports.downloads import report_response

    lot = get_lot(visible_lots(request.user), pk)
    report = ErasureReport.objects.filter(pk=report_pk, records__device__lot=lot).distinct().first()
    if report is None:
        raise Http404
    return report_response(report)


@login_required
def export(request, pk: int, fmt: str):
    lot = get_lot(visible_lots(request.user), pk)
    if fmt == "xlsx":
        content = reports.export_xlsx(lot)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        response = HttpResponse(reports.export_csv(lot), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="devenir-lot{lot.pk}.{fmt}"'
    return response


@login_required
def impact_report(request, pk: int):
    lot = get_lot(visible_lots(request.user), pk)
    method = method_or_default(request.GET.get("methode"))
    devices = Device.objects.filter(lot=lot)
    impact = compute_impact(devices, method)
    others = [compute_impact(devices, key) for key in methods() if key != method]
    return render(
        request,
        "donations/impact_report.html",
        {
            "lot": lot,
            "impact": impact,
            "others": others,
            "methods": method_choices(),
            "method": method,
            "default_method": default_method(),
            "departments": reused_by_department(devices),
            "recycled": devices.filter(state=DeviceState.RECYCLED).count(),
            "parts": devices.filter(state=DeviceState.PARTS).count(),
            "sections": sections_for(devices=devices, page="impact"),
        },
    )


@login_required
def tax_receipt(request, pk: int):
    lot = get_lot(donor_lots(request.user), pk)
    status = receipts.receipt_status(lot)
    form = TaxReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors(form=form) as attempt:
            receipts.issue_tax_receipt(
                lot=lot, user=request.user, donor_legal_form=form.cleaned_data["legal_form"]
            )
        if attempt.ok:
            return redirect("donations:tax_receipt", lot.pk)
    receipt = getattr(lot, "tax_receipt", None) if status == "issued" else None
    return render(
        request,
        "donations/tax_receipt.html",
        {
            "lot": lot,
            "status": status,
            "form": form,
            "receipt": receipt,
            "declared_euros": _euros(receipts.declared_value_cents(lot)),
            "receipt_euros": _euros(receipt.amount_cents) if receipt else "",
        },
    )


@login_required
def tax_receipt_pdf(request, pk: int):
    """The issued receipt as a PDF to file: read from the frozen receipt, never issued nor recomputed here."""
    lot = get_lot(donor_lots(request.user), pk)
    receipt = TaxReceipt.objects.filter(lot=lot).first()
    if receipt is None:
        raise Http404(_("Aucun reçu fiscal n’a encore été émis pour ce lot."))
    response = HttpResponse(receipts.render_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="recu-fiscal-{receipt.number}.pdf"'
    return response


# --- public impact ---------------------------------------------------------------------------------


def public_impact(request):
    method = method_or_default(request.GET.get("methode"))
    devices = Device.objects.filter(lot__isnull=False)
    impact = compute_impact(devices, method)
    departments = reused_by_department(devices)
    return render(
        request,
        "donations/public_impact.html",
        {
            "impact": impact,
            "methods": method_choices(),
            "method": method,
            "departments": departments,
            "chart": bar_chart([(row["outcome_department"], row["n"]) for row in departments[:12]]),
            "sections": sections_for(devices=devices, page="public"),
        },
    )


# --- workshop ----------------------------------------------------------------------------------------


@login_required
def workshop_lot_list(request):
    if not organisations_of_kind(request.user, OrganisationKind.WORKSHOP).exists() and not is_staff(
        request.user
    ):
        raise Http404
    lots = (
        workshop_lots(request.user)
        .select_related("donor")
        .annotate(declared=Coalesce(Sum("items__quantity"), 0))
        .order_by("status", "-assigned_at")
    )
    return render(request, "donations/workshop_lots.html", {"lots": lots})


def _workshop_lot(request, pk):
    lot = get_lot(workshop_lots(request.user), pk)
    workshop = workshop_of(request.user, lot)
    if workshop is None:
        raise Http404
    return lot, workshop


@login_required
def workshop_lot(request, pk: int):
    lot, workshop = _workshop_lot(request, pk)
    items = LotItem.objects.filter(lot=lot).order_by("row_number", "pk")
    not_released = set(items.filter(services.not_released_q()).values_list("pk", flat=True))
    page = Paginator(items, 500).get_page(request.GET.get("page"))
    return render(
        request,
        "donations/workshop_lot.html",
        {
            "lot": lot,
            "page": page,
            "not_released": not_released,
            "not_released_count": len(not_released),
            "reconciliation": services.reconcile(lot)
            if lot.status in (LotStatus.COLLECTED, LotStatus.RECEIVED, LotStatus.CLOSED)
            else None,
            "pickup_form": PickupForm(),
            "decline_form": DeclineForm(),
            "events": lot.events.select_related("actor").order_by("created", "pk"),
        },
    )


@login_required
@require_POST
def workshop_action(request, pk: int, action: str):
    lot, workshop = _workshop_lot(request, pk)
    with domain_errors(request):
        if action == "accepter":
            services.accept_lot(lot=lot, workshop=workshop, actor=request.user)
            messages.success(request, _("Lot accepté : planifiez l’enlèvement."))
        elif action == "decliner":
            form = DeclineForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            services.decline_lot(lot=lot, workshop=workshop, actor=request.user, note=note)
            messages.success(request, _("Lot décliné : il sera proposé à un autre atelier."))
            return redirect("donations:workshop_lots")
        elif action == "enlevement":
            form = PickupForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Indiquez une date et une heure valides."))
                return redirect("donations:workshop_lot", lot.pk)
            services.schedule_pickup(
                lot=lot,
                workshop=workshop,
                actor=request.user,
                when=form.cleaned_data["when"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Enlèvement planifié : le donateur est prévenu."))
        elif action == "collecte":
            services.mark_collected(lot=lot, workshop=workshop, actor=request.user)
            messages.success(request, _("Lot marqué comme collecté."))
        elif action == "reception":
            services.mark_received(lot=lot, workshop=workshop, actor=request.user)
            messages.success(request, _("Réception enregistrée avec le rapprochement du manifeste."))
        elif action == "cloture":
            services.close_lot(lot=lot, actor=request.user)
            messages.success(request, _("Lot clôturé."))
        else:
            raise Http404
    return redirect(reverse("donations:workshop_lot", args=[lot.pk]))
