"""Pages of the tripod. They work without JavaScript; another person's or organisation's object is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inventory.views.access import chosen_workshop
from reuse import places
from reuse.bounds import whole_number
from reuse.claims import handover as counter
from reuse.claims.models import VoucherFunder
from reuse.claims.views.partners import CODE_REFUSALS, handover_refused
from reuse.errors import DomainError
from reuse.policy.claims import claimant_claims, is_funder_of, workshop_claims
from reuse.policy.eligibility import visible_decisions
from reuse.tripod import services
from reuse.tripod.forms import BookSessionForm, SlotForm, SubscribedForm, build_counter_form
from reuse.tripod.models import Orientation, PassNumeriqueCheque, SessionBooking, SessionSlot
from reuse.tripod.sheet import orientation_sheet_pdf
from reuse.views import domain_errors, private_download


def _decision(request, pk):
    decision = (
        visible_decisions(request.user)
        .select_related("beneficiary", "beneficiary__household", "programme")
        .filter(pk=pk, beneficiary__isnull=False)
        .first()
    )
    if decision is None:
        raise Http404
    return decision


@login_required
def offers(request, pk):
    """Every offer the decision opens, cheapest first, with the sheet to print and what the household did."""
    decision = _decision(request, pk)
    orientations = {
        o.offer_id: o
        for o in Orientation.objects.filter(household=decision.beneficiary).select_related("offer")
    }
    return render(
        request,
        "tripod/offers.html",
        {
            "decision": decision,
            "offers": [(offer, orientations.get(offer.pk)) for offer in services.offers_for(decision)],
            "for_household": decision.beneficiary if decision.beneficiary_id != request.user.pk else None,
            "subscribed_form": SubscribedForm(),
        },
    )


@login_required
@require_POST
def orient(request, pk, offer_id):
    """Record the orientation, then hand over the sheet to print."""
    decision = _decision(request, pk)
    with domain_errors() as attempt:
        services.orient(actor=request.user, decision=decision, offer_id=offer_id)
    if not attempt.ok:
        raise Http404 from attempt.error
    return redirect("tripod:sheet", pk=decision.pk, offer_id=offer_id)


@login_required
def sheet(request, pk, offer_id):
    decision = _decision(request, pk)
    offer = next((o for o in services.offers_for(decision) if o.pk == offer_id), None)
    if offer is None:
        raise Http404
    pdf = orientation_sheet_pdf(offer=offer, decision=decision)
    # A file to keep: on a phone it lands in the downloads, from where it prints or is shown at the shop.
    return private_download(
        pdf, filename=f"orientation-{decision.pk}-{offer.pk}.pdf", content_type="application/pdf"
    )


@login_required
@require_POST
def declare(request, pk):
    orientation = Orientation.objects.filter(
        pk=pk, household__in=visible_decisions(request.user).values("beneficiary")
    ).first()
    if orientation is None:
        raise Http404
    form = SubscribedForm(request.POST)
    if form.is_valid():
        with domain_errors(request, not_found_is_404=True) as attempt:
            services.declare_subscription(
                actor=request.user, orientation=orientation, subscribed=form.cleaned_data["subscribed"]
            )
        if attempt.ok:
            messages.success(request, _("C’est noté."))
    else:
        messages.error(request, _("Choisissez une réponse."))
    return redirect("tripod:offers", pk=orientation.decision_id)


# --- first-use sessions ------------------------------------------------------------------------------------


@login_required
@require_POST
def book(request, claim_pk):
    claim = claimant_claims(request.user).select_related("device", "beneficiary").filter(pk=claim_pk).first()
    if claim is None or claim.beneficiary_id is None:
        raise Http404
    slots = list(services.bookable_slots(claim))
    form = BookSessionForm(request.POST, slots=slots)
    if form.is_valid():
        with domain_errors(request) as attempt:
            services.book_session(
                actor=request.user,
                household=claim.beneficiary,
                slot_id=form.cleaned_data["slot"],
                claim=claim,
            )
        if attempt.ok:
            messages.success(request, _("La séance de prise en main est réservée."))
    else:
        messages.error(request, _("Choisissez une séance dans la liste."))
    return redirect(reverse("claims:claim", args=[claim.pk]) + "#prise-en-main")


@login_required
@require_POST
def cancel_booking(request, pk):
    booking = (
        SessionBooking.objects.filter(pk=pk, claim__in=claimant_claims(request.user))
        .select_related("household")
        .first()
    )
    if booking is None:
        raise Http404
    with domain_errors(request) as attempt:
        services.cancel_booking(actor=request.user, booking=booking)
    if attempt.ok:
        messages.success(request, _("La réservation est annulée."))
    return redirect(reverse("claims:claim", args=[booking.claim_id]) + "#prise-en-main")


def _workshop(request):
    """The workshop the sessions page acts for: the one chosen on the stock dashboard by a person in several
    (reuse.policy.inventory.acting_workshop: another organisation's is not found), never their first."""
    workshop = chosen_workshop(request)
    if workshop is None:
        raise Http404
    return workshop


@login_required
def workshop_sessions(request):
    """The workshop publishes its first-use sessions and says who came."""
    with domain_errors(request) as attempt:
        workshop = _workshop(request)
    if not attempt.ok:  # in several workshops and none chosen yet: the dashboard offers the choice
        return redirect("inventory:dashboard")
    form = SlotForm(request.POST or None)
    status = 200
    if request.method == "POST":
        with places.typed_at(workshop):
            valid = form.is_valid()
        if valid:
            with domain_errors(form=form, field="starts_at") as attempt:
                services.publish_slot(actor=request.user, workshop=workshop, **form.cleaned_data)
            if attempt.ok:
                messages.success(request, _("La séance est publiée."))
                return redirect("tripod:workshop_sessions")
        status = 422
    now = timezone.now()
    slots = SessionSlot.objects.filter(workshop=workshop, cancelled=False).prefetch_related(
        "bookings__household"
    )
    return render(
        request,
        "tripod/workshop_sessions.html",
        {
            "form": form,
            "upcoming": slots.filter(starts_at__gt=now).order_by("starts_at")[:50],
            "past": slots.filter(starts_at__lte=now).order_by("-starts_at")[:20],
        },
        status=status,
    )


@login_required
@require_POST
def mark(request, pk):
    attended = request.POST.get("attended")
    if attended not in ("1", "0"):
        raise Http404
    with domain_errors(request, not_found_is_404=True) as attempt:
        services.mark_attendance(actor=request.user, booking_id=pk, attended=attended == "1")
    if attempt.ok:
        messages.success(request, _("Présence notée."))
    return redirect("tripod:workshop_sessions")


@login_required
@require_POST
def cancel_slot(request, pk):
    """A member of the host workshop cancels one of its sessions: its bookings are cancelled and the households
    told. Another workshop's session is a 404."""
    slot = SessionSlot.objects.filter(pk=pk, workshop__in=services.workshops_of(request.user)).first()
    if slot is None:
        raise Http404
    with domain_errors(request, not_found_is_404=True) as attempt:
        services.cancel_slot(actor=request.user, slot=slot, reason=request.POST.get("reason", "")[:300])
    if attempt.ok:
        messages.success(request, _("La séance est annulée et les personnes inscrites sont prévenues."))
    return redirect("tripod:workshop_sessions")


# --- the counter -------------------------------------------------------------------------------------------


@login_required
@require_POST
def handover_confirm(request):
    """The handover with its checklist, allowance, cheques and session, all or nothing."""
    if not services.workshops_of(request.user).exists():
        raise Http404
    claim = (
        workshop_claims(request.user)
        .select_related("device", "device__workshop", "beneficiary")
        .filter(pk=whole_number(request.POST.get("claim")))
        .first()
    )
    if claim is None:
        return redirect("claims:handover")
    form = build_counter_form(claim, request.POST)
    if not form.is_valid():
        return render(request, "claims/handover_confirm.html", {"claim": claim, "form": form}, status=422)
    data = form.cleaned_data
    try:
        # The code is checked (and a wrong one counted) outside the transaction below, which may still roll
        # back the handover when an extra is refused.
        counter.check_code(actor=request.user, claim_id=claim.pk, code=data["code"])
        with transaction.atomic():
            claim = counter.hand_over(
                actor=request.user,
                claim_id=claim.pk,
                code=data["code"],
                collected_cents=form.collected_cents(),
            )
            services.record_handover(
                actor=request.user,
                claim=claim,
                items=data["items"],
                note=data["note"],
                stock=data["stock"],
                allowance_reference=data["allowance_reference"],
                cheques=data["cheques"],
            )
            if data.get("slot") and claim.beneficiary_id:
                services.book_session(
                    actor=request.user, household=claim.beneficiary, slot_id=data["slot"], claim=claim
                )
    except DomainError as exc:
        # A claim that is no longer the workshop's to hand over (not_found) also sends back to the code entry.
        restart = (*CODE_REFUSALS, "not_found")
        if exc.code not in restart:
            claim.refresh_from_db()
        return handover_refused(request, exc, claim, form, restart=restart)
    return render(request, "claims/handover_done.html", {"claim": claim})


# --- funders -----------------------------------------------------------------------------------------------


@login_required
def funder_cheques(request, pk):
    """Where a funder's Pass numérique cheques went: which booklet and cheque, with which device, when, where."""
    funder = get_object_or_404(VoucherFunder.objects.select_related("organisation"), pk=pk)
    if not is_funder_of(request.user, funder):
        raise Http404
    cheques = (
        PassNumeriqueCheque.objects.filter(funder=funder)
        .select_related("claim", "claim__device", "claim__device__workshop")
        .order_by("booklet_number", "cheque_number")[:1000]
    )
    return render(request, "tripod/funder_cheques.html", {"funder": funder, "cheques": cheques})
