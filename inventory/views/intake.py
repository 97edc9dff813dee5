"""Check-in: receiving devices one by one, from a lot's manifest or walk-in."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models.functions import Upper
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from inventory.forms import (
    CheckInForm,
)
from inventory.scans import SCANNER_LAYOUT_NOTICE
from inventory.services import intake
from inventory.views.access import workshop_page
from inventory.views.bench import label_form
from reuse.bounds import whole_number
from reuse.views import domain_errors

LAST_CHECK_IN_KEY = "last_check_in"

# Manifest lines under the check-in form: the page is shown again after every scan, and a fleet of 3,000
# devices made it 800 KiB and over half a second each time.
ITEMS_PER_PAGE = 100


@workshop_page
def check_in(request, workshop):
    lots = intake.lots_for_check_in(workshop)
    lot = None
    if request.GET.get("lot") or request.POST.get("lot"):
        lot_id = request.GET.get("lot") or request.POST.get("lot")
        lot = lots.filter(pk=whole_number(lot_id)).first() if whole_number(lot_id) is not None else None
        if lot is None:
            raise Http404
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors(form=form) as attempt:
            outcome = intake.check_in(
                workshop=workshop,
                actor=request.user,
                lot=lot,
                serial=form.cleaned_data["serial"],
                type=form.cleaned_data["type"],
                brand=form.cleaned_data["brand"],
                model=form.cleaned_data["model"],
            )
        if attempt.ok:
            tag = outcome.device.asset_tag
            # Its label prints from the page the scanner comes back to, in one action.
            request.session[LAST_CHECK_IN_KEY] = tag
            if outcome.created:
                messages.success(request, _("Appareil reçu : étiquette %(tag)s.") % {"tag": tag})
            else:
                messages.info(request, _("Déjà reçu : étiquette %(tag)s.") % {"tag": tag})
            for warning in outcome.warnings:
                messages.error(request, _("Non levé par le donateur : %(w)s") % {"w": warning})
            if outcome.read_as:
                messages.info(request, outcome.read_as)
            if form.scanner_corrected:
                messages.info(request, SCANNER_LAYOUT_NOTICE)
            target = reverse("inventory:check_in")
            return redirect(f"{target}?lot={lot.pk}" if lot else target)
    items, page, received_count = [], None, 0
    if lot is not None:
        page = Paginator(lot.items.order_by("row_number", "pk"), ITEMS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        # A line is received whatever the case its serial was read in (reuse/serials.py).
        serials = {item.serial.upper() for item in page.object_list if item.serial}
        devices = lot.devices.annotate(serial_upper=Upper("serial")).filter(serial_upper__in=serials)
        received = dict(devices.values_list("serial_upper", "asset_tag"))
        received_count = lot.devices.count()
        for item in page.object_list:
            items.append(
                {
                    "item": item,
                    "tag": received.get(item.serial.upper(), ""),
                    "warnings": intake.release_warnings(item),
                }
            )
    return render(
        request,
        "inventory/check_in.html",
        {
            "workshop": workshop,
            "lots": lots,
            "lot": lot,
            "form": form,
            "items": items,
            "last_tag": request.session.get(LAST_CHECK_IN_KEY),
            "label_form": label_form(request),
            "page": page,
            "received_count": received_count,
        },
    )
