"""Files a workshop brings: snapshots and erasure reports of a batch, the stock CSV, and the reports kept."""

from functools import partial

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from inventory import stock_columns
from inventory import stock_import as stock_importer
from inventory.forms import (
    BatchReportImportForm,
    ImportForm,
)
from inventory.models import ErasureReport
from inventory.reports.downloads import report_response
from inventory.reports.uploads import import_upload, read_upload
from inventory.services.stock_csv import RowErrors
from inventory.views.access import CHOSEN_WORKSHOP_KEY, stock_page, workshop_page
from reuse import uploads
from reuse.policy.accounts import is_staff
from reuse.policy.inventory import (
    acting_workshop,
    workshop_ids,
    workshops_of,
)
from reuse.views import domain_errors

REPORT_RESULTS_KEPT = 500


def _choice(request) -> dict:
    """The workshops a person in several chooses among, the one chosen on the dashboard (if any) preselected."""
    return {
        "workshops": list(workshops_of(request.user).order_by("name", "pk")),
        "initial": {"workshop": request.session.get(CHOSEN_WORKSHOP_KEY)},
    }


def _chosen(request, form, workshop):
    """The workshop a form's file is for: the one a person in several chose (another organisation's is not found),
    else the page's own; None when the choice is refused (its message is on the form)."""
    if "workshop" not in form.fields:
        return workshop
    with domain_errors(form=form, field="workshop"):
        return acting_workshop(request.user, form.cleaned_data["workshop"])
    return None


@partial(workshop_page, own_choice=True)
def reports_import(request, workshop):
    """Snapshots and erasure reports of a batch of devices (one file or a zip), with one result per file."""
    form = BatchReportImportForm(request.POST or None, request.FILES or None, **_choice(request))
    if request.method == "POST" and form.is_valid() and (workshop := _chosen(request, form, workshop)):
        upload = form.cleaned_data["file"]
        with domain_errors(form=form, field="file") as attempt:
            outcomes = import_upload(
                workshop=workshop,
                actor=request.user,
                filename=upload.name,
                data=read_upload(upload),
                level=form.cleaned_data["level"],
            )
        if attempt.ok:
            request.session["report_results"] = [o.as_dict() for o in outcomes][:REPORT_RESULTS_KEPT]
            request.session["report_upload"] = upload.name
            return redirect("inventory:reports")
    results = request.session.get("report_results", [])
    return render(
        request,
        "inventory/reports.html",
        {
            "form": form,
            "results": results,
            "upload": request.session.get("report_upload", ""),
            "ok_count": sum(1 for result in results if result["ok"]),
        },
    )


@stock_page
def erasure_report_file(request, pk: int):
    """The original erasure report, for the workshop that imported it (and staff)."""
    reports = (
        ErasureReport.objects.all()
        if is_staff(request.user)
        else ErasureReport.objects.filter(workshop_id__in=workshop_ids(request.user))
    )
    report = reports.filter(pk=pk).first()
    if report is None:
        raise Http404
    return report_response(report)


@partial(workshop_page, own_choice=True)
def stock_import(request, workshop):
    form = ImportForm(request.POST or None, request.FILES or None, **_choice(request))
    errors, lost_letters = [], []
    if request.method == "POST" and form.is_valid() and (workshop := _chosen(request, form, workshop)):
        with domain_errors(form=form) as attempt:
            summary = stock_importer.import_stock_csv(
                workshop=workshop, actor=request.user, data=uploads.STOCK_FILE.read(form.cleaned_data["file"])
            )
        if isinstance(
            attempt.error, RowErrors
        ):  # the file refused as a whole: each row's errors listed below
            errors, lost_letters = attempt.error.errors, attempt.error.lost_letters
        if attempt.ok:
            messages.success(
                request,
                _("Import terminé : %(c)s appareil(s) créé(s), %(u)s mis à jour.")
                % {"c": summary["created"], "u": summary["updated"]},
            )
            for paragraph in summary["lost_letters"]:
                messages.warning(request, paragraph)
            return redirect("inventory:stock")
    return render(
        request,
        "inventory/import.html",
        {
            "form": form,
            "errors": errors,
            "lost_letters": lost_letters,
            "columns": [c.header() for c in stock_columns.COLUMNS if c.field],
        },
    )
