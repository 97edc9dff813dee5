"""Partners' pages: the workshop's handover counter, an association's dashboard and a voucher funder's
monthly statement."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inventory.enums import DeviceType
from reuse.accounts.enums import OrganisationKind
from reuse.bounds import whole_number
from reuse.claims import handover as counter
from reuse.claims.enums import ClaimStatus
from reuse.claims.forms import BatchClaimForm, HandoverCodeForm, HandoverConfirmForm, QuantityClaimForm
from reuse.claims.models import Claim, VoucherFunder
from reuse.claims.services import checks, refusals, reservations, vouchers
from reuse.eligibility.services.decisions import valid_decision_for
from reuse.errors import DomainError, Unavailable
from reuse.policy.accounts import acting_organisations, organisations_of_kind
from reuse.policy.claims import acting_association, is_funder_of, workshop_claims
from reuse.views import domain_errors, kept_choice

ASSOCIATION_LIST_SIZE = 30
# The association a member of several chose on their dashboard.
CHOSEN_ASSOCIATION_KEY = "claims_association"


def _require_workshop(request):
    if not acting_organisations(request.user, OrganisationKind.WORKSHOP).exists():
        raise Http404


@login_required
def handover(request):
    """The counter: the workshop names the claim (its number, or a line of the list) and types the person's code."""
    _require_workshop(request)
    initial = (
        {"claim": whole_number(request.GET.get("demande"))}
        if whole_number(request.GET.get("demande"))
        else None
    )
    form = HandoverCodeForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        with domain_errors(form=form, field="code") as attempt:
            claim = counter.check_code(
                actor=request.user, claim_id=form.cleaned_data["claim"], code=form.cleaned_data["code"]
            )
        status = attempt.status
        if attempt.ok:
            confirm = HandoverConfirmForm(initial={"claim": claim.pk, "code": form.cleaned_data["code"]})
            return render(request, "claims/handover_confirm.html", {"claim": claim, "form": confirm})
    recent = (
        workshop_claims(request.user).filter(status=ClaimStatus.HANDED_OVER).select_related("device")[:10]
    )
    return render(
        request,
        "claims/handover.html",
        {"form": form, "recent": recent, "waiting": counter.awaiting_handover(request.user)[:50]},
        status=status,
    )


@login_required
@require_POST
def handover_confirm(request):
    _require_workshop(request)
    form = HandoverConfirmForm(request.POST)
    if not form.is_valid():
        return redirect("claims:handover")
    claim_id = form.cleaned_data["claim"]
    try:
        claim = counter.hand_over(
            actor=request.user,
            claim_id=claim_id,
            code=form.cleaned_data["code"],
            collected_cents=form.collected_cents(),
        )
    except DomainError as exc:
        claim = workshop_claims(request.user).filter(pk=claim_id).select_related("device").first()
        return handover_refused(request, exc, claim, form)
    return render(request, "claims/handover_done.html", {"claim": claim})


# Refusals of the code itself: the counter starts again from the code entry.
CODE_REFUSALS = ("bad_code", "handover_locked", "rate_limited")


def handover_refused(request, exc: DomainError, claim: Claim | None, form, *, restart=CODE_REFUSALS):
    """What the counter shows when `exc` refused a handover (here and at the tripod's counter): the code entry
    again with the message on top when the code was refused (`restart`) or the claim is not the workshop's, else
    the confirmation page again with the reason on the form, at the error's status; a claim the right code finds
    already handed over shows the handover done."""
    if claim is None or exc.code in restart:
        messages.error(request, exc.message)
        return redirect("claims:handover")
    if claim.status == ClaimStatus.HANDED_OVER:
        # Sent again with the right code (a double tap, the « Appareil remis » page refreshed): the first one
        # handed it over, and the counter says so as it did, rather than « remise impossible ».
        return render(request, "claims/handover_done.html", {"claim": claim})
    form.add_error(None, exc.message)
    return render(request, "claims/handover_confirm.html", {"claim": claim, "form": form}, status=exc.status)


@login_required
def association_dashboard(request):
    """Reserve several devices at once: so many of each type, or picked one by one from a list. A member of several
    associations chooses the one the page acts for (kept in the session; another organisation's is not found)."""
    associations = list(
        organisations_of_kind(request.user, OrganisationKind.ASSOCIATION).order_by("name", "pk")
    )
    if request.method == "POST" and "association" in request.POST:
        with domain_errors(request) as attempt:
            chosen = acting_association(request.user, request.POST["association"])
        if attempt.ok and chosen is not None:
            request.session[CHOSEN_ASSOCIATION_KEY] = chosen.pk
        return redirect("claims:association_dashboard")
    try:
        organisation = kept_choice(
            request,
            CHOSEN_ASSOCIATION_KEY,
            acting_association,
            {association.pk for association in associations},
        )
    except DomainError:
        # Several and none chosen yet: the page offers the choice and nothing else.
        return render(request, "claims/association_dashboard.html", {"associations": associations})
    if organisation is None:
        raise Http404
    device_type = request.GET.get("type") or ""
    if device_type not in DeviceType.values:
        device_type = ""
    offered = reservations.association_devices(organisation).select_related("workshop")
    available = dict(offered.order_by().values_list("type").annotate(n=Count("pk")))
    listed = offered.filter(type=device_type) if device_type else offered
    devices = list(listed.order_by("price_cents", "-pk")[:ASSOCIATION_LIST_SIZE])
    decision = valid_decision_for(organisation=organisation)
    used = checks.association_usage(decision.programme, organisation) if decision else 0
    cap = decision.programme.association_cap_per_year if decision else 0
    remaining = max(cap - used, 0)
    mode = None
    if request.method == "POST":
        mode = request.POST.get("mode") or ("pick" if "devices" in request.POST else "quantities")
    quantity_form = QuantityClaimForm(
        request.POST if mode == "quantities" else None, available=available, remaining=remaining
    )
    pick_form = BatchClaimForm(request.POST if mode == "pick" else None, devices=devices)
    form = quantity_form if mode == "quantities" else pick_form
    if mode in ("quantities", "pick") and form.is_valid():
        try:
            if mode == "quantities":
                claims = reservations.reserve_quantities(
                    actor=request.user, organisation=organisation, quantities=form.quantities()
                )
            else:
                claims = reservations.create_batch_claims(
                    actor=request.user, organisation=organisation, device_ids=form.cleaned_data["devices"]
                )
        except Unavailable as exc:
            message = (
                exc.message
                if mode == "quantities"
                else _(
                    "Un appareil coché n’est plus disponible (quelqu’un l’a réservé juste avant, ou l’atelier l’a "
                    "retiré) : rien n’a été réservé. La liste est à jour, cochez à nouveau."
                )
            )
            form.add_error(None, message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(n)s appareil(s) réservé(s).") % {"n": len(claims)})
            return redirect("claims:association_dashboard")
    return render(
        request,
        "claims/association_dashboard.html",
        {
            "organisation": organisation,
            "associations": associations,
            "decision": decision,
            "used": used,
            "cap": cap,
            "remaining": remaining,
            "quantity_form": quantity_form,
            "pick_form": pick_form,
            # A suspended association, or one awaiting verification, is told so before it picks anything.
            "refusal": None
            if mode
            else refusals.claim_refusal(actor=request.user, organisation=organisation),
            "device_types": DeviceType.choices,
            "claims": Claim.objects.filter(organisation=organisation).select_related("device")[:100],
            "device_type": device_type,
        },
        status=422 if mode and form.errors else 200,
    )


@login_required
def funder_statement(request, pk):
    funder = get_object_or_404(VoucherFunder.objects.select_related("organisation"), pk=pk)
    if not is_funder_of(request.user, funder):
        raise Http404
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("mois", "").split("-"))
        date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    rows, total = vouchers.funder_statement(funder=funder, year=year, month=month)
    previous = date(year - (month == 1), 12 if month == 1 else month - 1, 1)
    return render(
        request,
        "claims/funder_statement.html",
        {
            "funder": funder,
            "rows": rows,
            "total": total,
            "period": date(year, month, 1),
            "previous": f"{previous.year}-{previous.month:02d}",
        },
    )
