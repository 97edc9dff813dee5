"""The workshop's side of lots: the lots offered to it, accept or decline, pickup, collection, reception."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from donations import services
from donations.enums import LotStatus
from donations.forms import (
    DeclineForm,
    PickupForm,
)
from donations.models import LotItem
from reuse import places
from reuse.accounts.enums import OrganisationKind
from reuse.policy.accounts import is_staff, organisations_of_kind
from reuse.policy.donations import get_lot, workshop_lots, workshop_of
from reuse.views import domain_errors

# Lines of each reconciliation list on the lot page (missing, extra, different): a lot marked received before its
# 3,000 devices were scanned listed them all; the rest is counted, and the check-in page shows every line.
RECONCILIATION_SHOWN = 100


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
            "shown": RECONCILIATION_SHOWN,
            "shown_slice": f":{RECONCILIATION_SHOWN}",
            "minus_shown": -RECONCILIATION_SHOWN,
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
            with places.typed_at(
                lot.pickup_postcode
            ):  # the hour of the donor's site, where the pickup happens
                valid = form.is_valid()
            if not valid:
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
