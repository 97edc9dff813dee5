"""What a lot's devices produce for its donor: erasure certificate, erasure reports, outcome export, impact
report; and the public pages (certificate verification, impact)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from donations.charts import bar_chart
from donations.impact import (
    compute_impact,
    default_method,
    method_choices,
    method_or_default,
    methods,
    reused_by_department,
)
from donations.models import ErasureCertificate
from donations.signals import sections_for
from inventory.donor_reports import certificates, outcomes
from inventory.enums import DeviceState
from inventory.models import Device
from inventory.reports.downloads import report_response
from reuse.errors import DomainError
from reuse.policy.donations import get_lot, visible_lots
from reuse.policy.inventory import lot_erasure_reports


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
    # What the certificate says, serial by serial, so that a printed copy can be compared line by line.
    devices = [
        (
            device["serial"] or device["asset_tag"],
            certificates.device_erasure_label(device),
            certificates.device_outcome_label(device),
        )
        for device in certificate.content.get("devices", [])
    ]
    return render(
        request,
        "donations/certificate_verify.html",
        {
            "certificate": certificate,
            "code": code,
            "intact": intact,
            "newer": newer,
            "devices": devices,
            "media": certificate.content.get("media", []),
        },
    )


@login_required
def erasure_report(request, pk: int, report_pk: int):
    """An erasure tool's original report, for the donor of a lot it covers (and the lot's workshop, staff)."""
    lot = get_lot(visible_lots(request.user), pk)
    report = lot_erasure_reports(lot).filter(pk=report_pk).first()
    if report is None:
        raise Http404
    return report_response(report)


@login_required
def export(request, pk: int, fmt: str):
    lot = get_lot(visible_lots(request.user), pk)
    if fmt == "xlsx":
        content = outcomes.export_xlsx(lot)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        response = HttpResponse(outcomes.export_csv(lot), content_type="text/csv; charset=utf-8")
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
