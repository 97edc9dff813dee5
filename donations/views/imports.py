"""Manifest imports on the web: upload, progress and report, the mapping page, the valid rows only."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from donations import services
from donations.enums import ManifestColumn, SizeUnit
from donations.exports.aliases import tool_notice
from donations.forms import (
    ManifestForm,
    MappingForm,
)
from inventory.enums import DeviceType
from reuse.errors import render_text
from reuse.lost_letters import notice
from reuse.policy.donations import donor_lots, get_lot, visible_jobs
from reuse.views import domain_errors


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
        "tool": _("comme l’outil l’écrit"),
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
    read = {column["field"] for column in plan.get("columns", [])}
    return {
        "tool": plan.get("tool_name", ""),
        # What the tool's export never holds and the donor must add (Entra ID's list has no serial number).
        "notice": "" if "serial" in read else tool_notice(plan.get("tool", "")),
        "header_row": summary.get("header_row", 1),
        "columns": [
            {**column, "label": column_labels.get(column["field"], "")}
            for column in plan.get("columns", [])
            if column["field"]
        ],
        "ignored": summary.get("ignored", []),
        "totals": summary.get("totals", []),
        "repeated_headers": summary.get("repeated_headers", []),
        "repeated_rows": summary.get("repeated_rows", []),
        "lost_letters": notice(
            headers=summary.get("lost_headers", []),
            rows=summary.get("lost_rows", []),
            row_count=summary.get("lost_row_count", 0),
        ),
        "units": units,
        "inferred": inferred,
        "inferred_rows": summary.get("inferred_rows", 0),
        "normalised": normalised,
        "unknown": summary.get("unknown", []),
        "reasons": [render_text(reason) for reason in plan.get("reasons", [])],
    }


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
    job.expire_if_stale()
    return render(
        request,
        "donations/job_detail.html",
        {
            "job": job,
            "lot": job.lot,
            "running": job.in_flight,
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
    with domain_errors(request) as attempt:
        new = services.import_valid_rows(job=job, user=request.user)
    if not attempt.ok:
        return redirect("donations:job", job.pk)
    return redirect("donations:job", new.pk)
