"""After-care pages: open a ticket (household, referrer, workshop, or anyone with the receipt and its code), the
workshop's triage, and the 3-month questionnaire. No JavaScript; another person's ticket is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inventory.opening_hours import opening_hours_of
from reuse.accounts.auth import client_address
from reuse.accounts.enums import OrganisationKind, Role
from reuse.aftercare.enums import FollowUpChannel, TicketChannel, TicketStatus
from reuse.aftercare.forms import (
    CodeProblemForm,
    FollowUpCodeForm,
    FollowUpForm,
    NoteForm,
    ProblemForm,
    ReturnForm,
    SwapForm,
    WorkshopProblemForm,
)
from reuse.aftercare.impact import MIN_ANSWERS
from reuse.aftercare.impact import rates as compute
from reuse.aftercare.models import FollowUp, Ticket
from reuse.aftercare.services import follow_ups as follow_up_services
from reuse.aftercare.services import tickets as ticket_services
from reuse.aftercare.services import triage as triage_services
from reuse.aftercare.services import warranty as warranty_services
from reuse.claims.enums import ClaimStatus
from reuse.policy.accounts import acting_organisations, has_role, is_staff
from reuse.policy.claims import claimant_claims, workshop_claims
from reuse.views import domain_errors, kept_typed, private_file_response, until_the_browser_closes

SESSION_TICKETS = "aftercare_tickets"
SESSION_FOLLOW_UP = "aftercare_follow_up"
# What ticket_services.store_photo raises about the photo itself.
PHOTO_REFUSALS = {"photo": "photo", "too_large": "photo"}


def _address(request) -> str:
    return client_address(request) or "unknown"


def _remember_ticket(request, ticket: Ticket):
    """Someone who opened a ticket with the receipt's code follows it in the same browser, without an account."""
    kept = [pk for pk in request.session.get(SESSION_TICKETS, []) if pk != ticket.pk][-9:]
    request.session[SESSION_TICKETS] = [*kept, ticket.pk]
    until_the_browser_closes(request, unless_signed_in=True)


def _visible_ticket(request, pk) -> Ticket:
    user = request.user
    tickets = Ticket.objects.select_related("claim", "device", "device__workshop", "replacement_claim")
    ticket = tickets.filter(pk=pk).first()
    if ticket is None:
        raise Http404
    if pk in request.session.get(SESSION_TICKETS, []):
        return ticket
    if user.is_authenticated and (
        is_staff(user)
        or ticket_services.claimant_tickets(user).filter(pk=pk).exists()
        or ticket_services.workshop_tickets(user).filter(pk=pk).exists()
    ):
        return ticket
    raise Http404


def _may_read_codes(request, ticket: Ticket) -> bool:
    """The replacement's handover code is read by the claimant side only (never the workshop that checks it)."""
    if ticket.pk in request.session.get(SESSION_TICKETS, []):
        return True
    return (
        request.user.is_authenticated
        and ticket_services.claimant_tickets(request.user).filter(pk=ticket.pk).exists()
    )


def _open_ticket(request, form, **where) -> tuple[Ticket | None, int]:
    """Open a ticket from a problem form (its words, its photo) on the claim `where` names: (ticket, 200), or
    (None, the refusal's status) with the refusal shown on the form. The three ways in share it."""
    # A refused photo is said beside its field, where the person chooses another one.
    with domain_errors(form=form, fields=PHOTO_REFUSALS) as attempt:
        return ticket_services.open_ticket(
            actor=request.user,
            description=form.cleaned_data["description"],
            photo=form.cleaned_data.get("photo"),
            **where,
        ), 200
    if attempt.error.code == "ticket_open" and (mine := _my_open_ticket(request, where["claim_id"])):
        return mine, 200  # the same report sent again: answered as the first time, with its ticket
    return None, attempt.status


def _my_open_ticket(request, claim_id) -> Ticket | None:
    """The open ticket on this claim when the person sending the report again may read it (they opened it in
    this session, or they are the claimant side): a double tap or a phone resending after a timeout."""
    ticket = Ticket.objects.open().filter(claim_id=claim_id).first()
    return ticket if ticket is not None and _may_read_codes(request, ticket) else None


# --- opening ----------------------------------------------------------------------------------------------


def open_with_code(request):
    """The public page: the receipt's number and the handover code, what is wrong, an optional photo."""
    form = CodeProblemForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        ticket, status = _open_ticket(
            request,
            form,
            claim_id=form.cleaned_data["claim_number"],
            code=form.cleaned_data["code"],
            address=_address(request),
        )
        if ticket is not None:
            if ticket.channel == TicketChannel.CODE:
                _remember_ticket(request, ticket)
            messages.success(request, _("Votre demande est enregistrée : l’atelier vous recontacte."))
            return redirect("aftercare:ticket", pk=ticket.pk)
    return render(request, "aftercare/open_with_code.html", {"form": form}, status=status)


@login_required
def open_for_claim(request, claim_pk):
    """From the household's (or its referrer's) space: the claim is named by the page, no code needed."""
    claim = (
        claimant_claims(request.user)
        .filter(pk=claim_pk, status=ClaimStatus.HANDED_OVER)
        .select_related("device")
        .first()
    )
    if claim is None:
        raise Http404
    form = ProblemForm(request.POST or None, request.FILES or None, initial=kept_typed(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        ticket, status = _open_ticket(request, form, claim_id=claim.pk)
        if ticket is not None:
            messages.success(request, _("Votre demande est enregistrée : l’atelier vous recontacte."))
            return redirect("aftercare:ticket", pk=ticket.pk)
    context = {"form": form, "claim": claim, "until": warranty_services.warranty_until(claim)}
    # Why a ticket would not be opened (the warranty ended, one is open), said in place of the form.
    context.update(refusal=ticket_services.ticket_refusal(claim), mine=_my_open_ticket(request, claim.pk))
    return render(request, "aftercare/open_for_claim.html", context, status=status)


def ticket_detail(request, pk):
    ticket, user = _visible_ticket(request, pk), request.user
    workshop = ticket.device.workshop
    context = {
        "ticket": ticket,
        "events": ticket.events.select_related("actor"),
        "workshop": workshop,
        "hours": opening_hours_of(workshop),
        "is_workshop": user.is_authenticated
        and ticket_services.workshop_tickets(user).filter(pk=pk).exists(),
        "show_code": _may_read_codes(request, ticket),
        "is_claimant": request.user.is_authenticated
        and ticket_services.claimant_tickets(request.user).filter(pk=ticket.pk).exists(),
    }
    if context["is_workshop"] and ticket.is_open:
        context["advice_form"] = NoteForm(prefix="advice")
        context["repair_form"] = NoteForm(prefix="repair")
        context["swap_form"] = SwapForm(
            prefix="swap", candidates=triage_services.swap_candidates(ticket)[:50]
        )
        context["refund_form"] = ReturnForm(prefix="refund")
    return render(request, "aftercare/ticket.html", context)


def ticket_photo(request, pk):
    ticket = _visible_ticket(request, pk)
    if not ticket.photo:
        raise Http404
    try:
        handle = ticket.photo.open("rb")
    except FileNotFoundError as exc:  # the file went (storage restored without it): nothing to show
        raise Http404 from exc
    return private_file_response(
        handle, filename=f"garantie-{ticket.pk}.jpg", content_type="image/jpeg", inline=True
    )


# --- the workshop -----------------------------------------------------------------------------------------


def _require_workshop(request):
    if not acting_organisations(request.user, OrganisationKind.WORKSHOP).exists():
        raise PermissionDenied


@login_required
def workshop_tickets(request):
    _require_workshop(request)
    form = WorkshopProblemForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        ticket, status = _open_ticket(
            request, form, claim_id=form.cleaned_data["claim_number"], code=form.cleaned_data["code"]
        )
        if ticket is not None:
            messages.success(request, _("Ticket n° %(n)s ouvert pour le foyer.") % {"n": ticket.pk})
            return redirect("aftercare:ticket", pk=ticket.pk)
    tickets = ticket_services.workshop_tickets(request.user).select_related("device", "claim")
    context = {
        "form": form,
        "open_tickets": tickets.open()[:100],
        "closed_tickets": tickets.exclude(status__in=[TicketStatus.OPEN, TicketStatus.IN_REPAIR])[:20],
    }
    return render(request, "aftercare/workshop_tickets.html", context, status=status)


TRIAGE_STEPS = {
    "advice": triage_services.give_advice,
    "repair": triage_services.start_repair,
    "repaired": triage_services.finish_repair,
    "swap": triage_services.swap,
    "refund": triage_services.refund,
}


@login_required
@require_POST
def triage(request, pk, step):
    ticket = get_object_or_404(ticket_services.workshop_tickets(request.user), pk=pk)
    prefix = {
        "advice": "advice",
        "repair": "repair",
        "repaired": "repair",
        "swap": "swap",
        "refund": "refund",
    }.get(step)
    if prefix is None:
        raise Http404
    if step == "swap":
        form = SwapForm(request.POST, prefix="swap", candidates=triage_services.swap_candidates(ticket)[:50])
    elif step == "refund":
        form = ReturnForm(request.POST, prefix="refund")
    else:
        form = NoteForm(request.POST, prefix=prefix)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("aftercare:ticket", pk=pk)
    # The step's form holds its service's arguments, by name (the replacement's id chosen from a list).
    arguments = dict(form.cleaned_data)
    if step == "swap":
        arguments["replacement_id"] = int(arguments.pop("replacement"))
    with domain_errors(request) as attempt:
        TRIAGE_STEPS[step](actor=request.user, ticket_id=pk, **arguments)
    if attempt.ok:
        messages.success(request, _("C’est noté, et le foyer en est informé."))
    return redirect("aftercare:ticket", pk=pk)


# --- the 3-month follow-up --------------------------------------------------------------------------------


def follow_up_code(request):
    form = FollowUpCodeForm(request.POST or request.GET or None)
    status = 200
    if form.is_bound and form.is_valid():
        with domain_errors(form=form, field="code") as attempt:
            follow_up = follow_up_services.follow_up_by_code(form.cleaned_data["code"], _address(request))
            if follow_up.answered_at is None:
                follow_up_services.check_due(follow_up)
        status = attempt.status
        if attempt.ok:
            request.session[SESSION_FOLLOW_UP] = follow_up.pk
            until_the_browser_closes(request, unless_signed_in=True)
            channel = FollowUpChannel.EMAIL if request.GET.get("code") else FollowUpChannel.CODE
            request.session["aftercare_follow_up_channel"] = channel
            return redirect("aftercare:follow_up_answer")
    return render(request, "aftercare/follow_up_code.html", {"form": form}, status=status)


def follow_up_stop(request):
    """The email's « no more questionnaire by email » link: the page asks to confirm (a mail scanner opening
    the link changes nothing), the confirmation stops them."""
    form = FollowUpCodeForm(request.POST or request.GET or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        with domain_errors(form=form, field="code") as attempt:
            follow_up_services.stop_emails(code=form.cleaned_data["code"], address=_address(request))
        status = attempt.status
        if attempt.ok:
            return render(request, "aftercare/follow_up_stop.html", {"stopped": True})
    return render(request, "aftercare/follow_up_stop.html", {"form": form}, status=status)


def _orientation(follow_up: FollowUp):
    workshop = follow_up.claim.device.workshop
    return {"workshop": workshop, "hours": opening_hours_of(workshop)}


def _answer(request, follow_up: FollowUp, channel: str, template_context: dict):
    if follow_up.answered_at is not None:
        return render(
            request,
            "aftercare/follow_up_done.html",
            {"follow_up": follow_up, **_orientation(follow_up), **template_context},
        )
    form = FollowUpForm(request.POST or None, initial=kept_typed(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors(form=form) as attempt:
            follow_up = follow_up_services.answer_follow_up(
                follow_up_id=follow_up.pk,
                actor=request.user,
                channel=channel,
                usage=data["usage"],
                purposes=data["purposes"],
                has_problem=data["has_problem"] == "yes",
                problem=data["problem"],
                wants_help=data["wants_help"] == "yes",
            )
        status = attempt.status
        if attempt.ok:
            if follow_up.ticket_id and channel != FollowUpChannel.REFERRER:
                _remember_ticket(request, follow_up.ticket)
            return render(
                request,
                "aftercare/follow_up_done.html",
                {"follow_up": follow_up, **_orientation(follow_up), **template_context},
            )
    return render(
        request,
        "aftercare/follow_up_form.html",
        {"form": form, "follow_up": follow_up, **template_context},
        status=status,
    )


def follow_up_answer(request):
    pk = request.session.get(SESSION_FOLLOW_UP)
    follow_up = (
        FollowUp.objects.select_related("claim__device__workshop").filter(pk=pk).first() if pk else None
    )
    if follow_up is None:
        return redirect("aftercare:follow_up")
    channel = request.session.get("aftercare_follow_up_channel", FollowUpChannel.CODE)
    return _answer(request, follow_up, channel, {"for_referrer": False})


@login_required
def rates(request):
    """Usage and ticket rates of the workshop's own handed-over devices (all devices for staff)."""
    if is_staff(request.user):
        claims = None
    else:
        _require_workshop(request)
        claims = workshop_claims(request.user)
    return render(request, "aftercare/rates.html", {"rows": compute(claims), "min_answers": MIN_ANSWERS})


@login_required
def referrer_follow_ups(request):
    if not has_role(request.user, Role.REFERRER):
        raise Http404  # a referrer's page: nobody else learns it is there
    follow_ups = follow_up_services.referrer_follow_ups(request.user).select_related(
        "claim__beneficiary", "claim__device"
    )
    return render(
        request,
        "aftercare/referrer_follow_ups.html",
        {
            "waiting": follow_ups.filter(answered_at__isnull=True)[:100],
            "answered": follow_ups.answered().order_by("-answered_at")[:20],
            "today": timezone.localdate(),
        },
    )


@login_required
def referrer_follow_up(request, pk):
    follow_up = get_object_or_404(
        follow_up_services.referrer_follow_ups(request.user).select_related(
            "claim__beneficiary", "claim__device__workshop"
        ),
        pk=pk,
    )
    return _answer(request, follow_up, FollowUpChannel.REFERRER, {"for_referrer": True})
