"""What a lot's devices produce for its donor: erasure certificate, erasure reports, outcome export, impact
report; and the public pages (certificate verification, impact)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language

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
from inventory.donor_reports import certificates, coverage, outcomes, stored
from inventory.enums import DeviceState
from inventory.models import Device
from inventory.reports.downloads import report_response
from reuse.accounts.auth import client_address
from reuse.accounts.counters import count, count_up
from reuse.csvfiles import csv_lines
from reuse.policy.donations import get_lot, visible_lots
from reuse.policy.inventory import lot_erasure_reports
from reuse.views import domain_errors, private_download


@login_required
def certificate_pdf(request, pk: int):
    """The lot's certificate as stored (inventory.donor_reports.stored); while it is being drawn, a page that says
    so and offers to try again (no script: the donor reloads, or comes back from the lot page)."""
    lot = get_lot(visible_lots(request.user), pk)
    with domain_errors(request) as attempt:
        certificate = stored.current_certificate(lot, user=request.user)
    if not attempt.ok:
        return redirect("donations:lot", lot.pk)
    pdf = stored.ready_or_scheduled(certificate, get_language())
    if pdf is None:
        pending = render(
            request,
            "donations/certificate_pending.html",
            {"lot": lot, "certificate": certificate},
            status=202,
        )
        pending["Retry-After"] = "10"
        return pending
    with pdf.file.open("rb") as file:
        content = file.read()
    return private_download(
        content,
        filename=f"certificat-effacement-lot{lot.pk}-{certificate.code}.pdf",
        content_type="application/pdf",
    )


# Lines of each table of the public verification page: a certificate of a 3,000-device lot listed 6,000 lines
# (1.1 MB) on one page.
VERIFY_ROWS = 200


def _matches(query: str, *values: str) -> bool:
    return any(query in (value or "").casefold() for value in values)


def _pages(request, page, param: str) -> dict:
    """A page of one table with the links to its neighbours, the other parameters (search, other table) kept."""

    def url(number):
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}"

    return {
        "page": page,
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
    }


# Wrong codes one network address may try on the public verification page within the window: an auditor checking
# a donor's certificates types a few, never twenty in an hour; past it every code waits, the right ones too.
VERIFY_MAX_WRONG_CODES = 20
VERIFY_WINDOW_SECONDS = 60 * 60


def certificate_verify(request, code: str):
    """Public: anyone holding a printed certificate confirms its code and content hash here, and finds the lines
    of a serial (device or medium) to compare with the printed ones."""
    guesses = "donor_reports:certificate-codes:" + (client_address(request) or "unknown")
    if count(guesses) >= VERIFY_MAX_WRONG_CODES:
        refused = render(
            request,
            "donations/certificate_verify.html",
            {"certificate": None, "rate_limited": True},
            status=429,
        )
        refused["Retry-After"] = str(VERIFY_WINDOW_SECONDS)
        return refused
    certificate = ErasureCertificate.objects.select_related("lot").filter(code=code.upper()).first()
    if certificate is None:
        count_up(guesses, VERIFY_WINDOW_SECONDS)
        return render(
            request, "donations/certificate_verify.html", {"certificate": None, "code": code}, status=404
        )
    intact = certificates.content_hash(certificate.content) == certificate.content_hash
    # The certificate that replaced this one, and the lot's current one when others followed.
    later = certificate.lot.certificates.filter(created__gt=certificate.created).order_by("created", "pk")
    newer = later.first()
    current = later.last() if newer else None
    query = request.GET.get("serie", "").strip()
    devices = certificate.content.get("devices", [])
    media = certificate.content.get("media", [])
    missing = certificate.content.get("not_received", [])
    if query:
        folded = query.casefold()
        devices = [device for device in devices if _matches(folded, device["serial"], device["asset_tag"])]
        media = [
            medium
            for medium in media
            if _matches(folded, medium["serial"], medium["host_serial"], medium["host_asset_tag"])
        ]
        missing = [item for item in missing if _matches(folded, item["serial"])]
    device_page = Paginator(devices, VERIFY_ROWS).get_page(request.GET.get("appareils"))
    media_page = Paginator(media, VERIFY_ROWS).get_page(request.GET.get("supports"))
    missing_page = Paginator(missing, VERIFY_ROWS).get_page(request.GET.get("non_recus"))
    # The devices it gave as erased whose erasure no longer holds now (a drive found failed since), said on top
    # and on their line, whether a newer certificate exists or not.
    withdrawn = coverage.no_longer_covered(certificate)
    # What the certificate says, serial by serial, so that a printed copy can be compared line by line.
    device_rows = [
        (
            device["serial"] or device["asset_tag"],
            certificates.device_erasure_label(device),
            certificates.device_outcome_label(device),
            withdrawn.get((device["serial"], device["asset_tag"]), ""),
        )
        for device in device_page.object_list
    ]
    return render(
        request,
        "donations/certificate_verify.html",
        {
            "certificate": certificate,
            "code": code,
            "intact": intact,
            "no_longer_covered": len(withdrawn),
            "newer": newer,
            "current": current if current != newer else None,
            "query": query,
            "devices": device_rows,
            "device_pages": _pages(request, device_page, "appareils"),
            "media": [
                {**medium, "proof": certificates.destruction_proof(medium)}
                for medium in media_page.object_list
            ],
            "media_pages": _pages(request, media_page, "supports"),
            "not_received": missing_page.object_list,
            "not_received_pages": _pages(request, missing_page, "non_recus"),
            # The stored files the donor downloaded (inventory.donor_reports.stored), by their own hash.
            "pdfs": certificate.pdfs.order_by("language"),
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
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        # Streamed as the rows are read (a chunk of devices at a time): a fleet's file is never held whole.
        content = csv_lines(outcomes.export_rows(lot))
        content_type = "text/csv; charset=utf-8"
    return private_download(content, filename=f"devenir-lot{lot.pk}.{fmt}", content_type=content_type)


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
            # The tripod's figures count over these devices too (one scope, one rule on the page).
            "devices": devices,
            "methods": method_choices(),
            "method": method,
            "departments": departments,
            "chart": bar_chart([(row["outcome_department"], row["n"]) for row in departments[:12]]),
            "sections": sections_for(devices=devices, page="public"),
        },
    )
