"""What a lot produces for its donor: erasure certificate, outcome export, impact report, tax receipt; and
the public pages (certificate verification, impact)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from donations import certificates, receipt_pdf, receipts, reports
from donations.charts import bar_chart
from donations.forms import (
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
from donations.models import ErasureCertificate, TaxReceipt, TaxReceiptReview
from donations.signals import sections_for
from inventory.enums import DeviceState
from inventory.models import Device, ErasureReport
from inventory.reports.downloads import report_response
from reuse.errors import DomainError
from reuse.money import format_euros
from reuse.policy.donations import donor_lots, get_lot, visible_lots
from reuse.views import domain_errors


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
        outcome = None
        with domain_errors(form=form) as attempt:
            outcome = receipts.issue_tax_receipt(
                lot=lot, user=request.user, donor_legal_form=form.cleaned_data["legal_form"]
            )
        if attempt.ok:
            if isinstance(outcome, TaxReceiptReview):
                messages.info(
                    request,
                    _(
                        "La valeur déclarée de %(n)s appareil(s) dépasse la valeur plausible de son type : "
                        "l’équipe Rebond vérifie le lot avant l’émission du reçu."
                    )
                    % {"n": outcome.outliers},
                )
            return redirect("donations:tax_receipt", lot.pk)
    receipt = getattr(lot, "tax_receipt", None) if status == "issued" else None
    values = receipts.valuation(lot) if status in ("available", "review") else None
    return render(
        request,
        "donations/tax_receipt.html",
        {
            "lot": lot,
            "status": status,
            "form": form,
            "receipt": receipt,
            "declared_euros": format_euros(receipts.declared_value_cents(lot)),
            "valuation": values,
            "received_declared_euros": format_euros(values["declared_cents"]) if values else "",
            "valued_euros": format_euros(values["value_cents"]) if values else "",
            "receipt_euros": format_euros(receipt.amount_cents) if receipt else "",
        },
    )


@login_required
def tax_receipt_pdf(request, pk: int):
    """The issued receipt as a PDF to file: read from the frozen receipt, never issued nor recomputed here."""
    lot = get_lot(donor_lots(request.user), pk)
    receipt = TaxReceipt.objects.filter(lot=lot).first()
    if receipt is None:
        raise Http404(_("Aucun reçu fiscal n’a encore été émis pour ce lot."))
    response = HttpResponse(receipt_pdf.render_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="recu-fiscal-{receipt.number}.pdf"'
    return response


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
