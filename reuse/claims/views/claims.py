"""The claimant's pages (a household, its referrer or an association): its claims, paying, cancelling, the
receipt and the waiting list."""

from urllib.parse import urlparse as _urlparse

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from inventory.opening_hours import opening_hours_of
from reuse.accounts.auth import client_address
from reuse.claims.enums import OPEN_CLAIM_STATUSES, ClaimStatus, WaitlistStatus
from reuse.claims.forms import VoucherForm, WaitlistForm
from reuse.claims.receipts import handover_receipt_pdf, paper_language
from reuse.claims.services import card_received, checks, reservations, vouchers
from reuse.claims.services import waitlist as waiting_list
from reuse.eligibility.enums import MandateScope, PrioritySituation
from reuse.errors import Conflict, IllegalTransition
from reuse.policy.claims import claimant_claims, get_claimant_claim, get_visible_claim, own_waitlist
from reuse.policy.mandates import session_scope_or_404
from reuse.views import domain_errors, kept_typed, page_of, private_download


def _origin(url: str) -> str:
    parsed = _urlparse(url)
    return f"{parsed.scheme}://{parsed.netloc}"


CLAIMS_PER_PAGE = 25


@login_required
def my_claims(request):
    """The claimant's claims, what waits on them first (waiting_on_claimant_first), a page at a time: a referrer
    following 150 households, or an association, has more than one screen of them."""
    claims = (
        claimant_claims(request.user)
        .select_related("device", "device__workshop", "beneficiary")
        .waiting_on_claimant_first()
    )
    page = page_of(claims, request.GET.get("page"), CLAIMS_PER_PAGE)
    entries = own_waitlist(request.user).filter(status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED])
    return render(
        request,
        "claims/my_claims.html",
        {"claims": card_received.mark_card_confirming(page.object_list), "page": page, "entries": entries},
    )


# What the claim page and its tripod section read of the claim, in the claim's own query.
CLAIM_PAGE_RELATED = (
    "device__workshop__workshop_profile",
    "beneficiary__household",
    "decision__beneficiary__household",
    "handover_checklist",
    "data_allowance",
)


@login_required
def claim_detail(request, pk):
    # Only the claimant side reads this page (a workshop sees the claim at its counter): anyone else gets a 404.
    claim = get_claimant_claim(request.user, pk, *CLAIM_PAGE_RELATED)
    return render(
        request,
        "claims/claim_detail.html",
        {
            "claim": claim,
            # A referrer reads the claim of a household they follow: the page speaks about that person.
            "for_household": claim.beneficiary
            if claim.beneficiary_id not in (None, request.user.pk)
            else None,
            "device": claim.device,
            "workshop": claim.device.workshop,
            "opening_hours": opening_hours_of(claim.device.workshop),
            "voucher_form": VoucherForm(),
            "payments": claim.payments.all(),
            "hold_ended": checks.HOLD_ENDED,
            # Paid at Stripe, its webhook not here yet: the page says so rather than « Reste à payer » and « Payer ».
            "card_received": card_received.paid_awaiting_webhook(claim),
        },
    )


def _moved_on(request, claim, what: str):
    """An old link (an email, a bookmark, the back button) to a page of the claim that no longer applies: the
    claim's own page says where it stands and what to do, instead of a 404 with no way forward. Only for the
    person's own claim: the caller has already answered 404 to anyone else."""
    # Its page says why (cancelled, expired, the hold ended before paying at the counter...), in its own words.
    messages.info(
        request,
        _("%(what)s n’est pas disponible pour cette demande : voici où elle en est.") % {"what": what},
    )
    return redirect("claims:claim", pk=claim.pk)


@login_required
def claim_code(request, pk):
    claim = get_claimant_claim(request.user, pk)
    if not claim.code_is_usable:
        return _moved_on(request, claim, _("Le code de remise"))
    language = paper_language(claim)
    with translation.override(language):  # the opening hours are words of the paper
        opening_hours = opening_hours_of(claim.device.workshop)
    return render(
        request,
        "claims/claim_code.html",
        {
            "claim": claim,
            "workshop": claim.device.workshop,
            "opening_hours": opening_hours,
            "paper_language": language,
        },
    )


def _with_stripe_csp(response):
    """Let the pay page load Stripe.js and talk to the Stripe API named in settings (read per request)."""
    response._csp_update = {
        "script-src": [_origin(settings.STRIPE_JS_URL)],
        "connect-src": ["'self'", _origin(settings.STRIPE_API_BASE)],
        "frame-src": [_origin(settings.STRIPE_JS_URL)],
    }
    return response


def _pay_context(request, claim, voucher_form=None):
    return {
        "claim": claim,
        "device": claim.device,
        "voucher_form": voucher_form or VoucherForm(),
        "stripe_js_url": settings.STRIPE_JS_URL,
        "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
    }


@login_required
def pay(request, pk):
    claim = get_claimant_claim(request.user, pk)
    # Paid at Stripe, its webhook not here yet (the back button, an old tab): the claim's page says so.
    if claim.status != ClaimStatus.RESERVED or card_received.paid_awaiting_webhook(claim):
        return _moved_on(request, claim, _("Le paiement"))
    if claim.amount_due_cents == 0:
        return redirect("claims:claim", pk=claim.pk)
    return _with_stripe_csp(render(request, "claims/pay.html", _pay_context(request, claim)))


@login_required
@require_POST
def apply_voucher(request, pk):
    claim = get_claimant_claim(request.user, pk)
    with domain_errors(request) as attempt:
        reservations.check_card_not_confirming(claim)  # the pay page left open in a tab
    if not attempt.ok:
        return redirect("claims:claim", pk=claim.pk)
    form = VoucherForm(request.POST)
    status = 422
    if form.is_valid():
        with domain_errors(form=form, field="code") as attempt:
            vouchers.apply_voucher(
                claim_id=claim.pk,
                actor=request.user,
                code=form.cleaned_data["code"],
                address=client_address(request),
            )
        if attempt.ok:
            messages.success(request, _("Chèque numérique pris en compte."))
            return redirect("claims:pay", pk=claim.pk)
        # A refused code says why with its own status (422 a wrong code, 403 too many of them).
        status = attempt.error.status
    claim.refresh_from_db()
    if claim.status != ClaimStatus.RESERVED or claim.amount_due_cents == 0:
        # The back button after paying (or a second tab): nothing is left to pay, so the pay page (a card form
        # for 0 €) is no answer; the claim's page says where it stands, with why the code was not taken.
        messages.info(request, _("Cette demande n’attend plus de paiement : rien de plus n’a été utilisé."))
        return redirect("claims:claim", pk=claim.pk)
    return _with_stripe_csp(
        render(request, "claims/pay.html", _pay_context(request, claim, form), status=status)
    )


@login_required
@require_POST
def choose_payment(request, pk, at_workshop: bool):
    """Pay at the workshop with the code, or (back) online by card or voucher."""
    claim = get_claimant_claim(request.user, pk)
    choose = reservations.choose_pay_at_workshop if at_workshop else reservations.choose_pay_online
    with domain_errors(request) as attempt:
        reservations.check_card_not_confirming(claim)  # the claim's page or the pay page left open in a tab
        choose(claim_id=claim.pk, actor=request.user)
    if not attempt.ok:
        return redirect("claims:claim", pk=claim.pk)
    if not at_workshop:
        return redirect("claims:pay", pk=claim.pk)
    messages.success(request, _("C’est noté : le paiement se fera à l’atelier, sur présentation du code."))
    return redirect("claims:claim", pk=claim.pk)


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    """GET asks first (a tap on a phone must not lose a reserved device), POST cancels; no JavaScript needed."""
    claim = get_claimant_claim(request.user, pk, "beneficiary")
    if request.method == "GET":
        if claim.status not in OPEN_CLAIM_STATUSES:
            messages.info(request, _("Cette demande ne peut plus être annulée."))
            return redirect("claims:claim", pk=claim.pk)
        with domain_errors(request) as attempt:
            reservations.check_card_not_confirming(claim, cancelling=True, actor=request.user)  # says when
        if not attempt.ok:
            return redirect("claims:claim", pk=claim.pk)
        return render(
            request,
            "claims/cancel_confirm.html",
            {
                "claim": claim,
                "device": claim.device,
                "for_household": claim.beneficiary
                if claim.beneficiary_id not in (None, request.user.pk)
                else None,
            },
        )
    with domain_errors(request) as attempt:
        try:
            reservations.cancel_claim(
                claim_id=claim.pk, actor=request.user, reason=_("Annulée par le demandeur.")
            )
        except IllegalTransition:
            claim.refresh_from_db(fields=["status"])
            if claim.status != ClaimStatus.CANCELLED:
                raise
            # Sent again (a double tap, a phone resending): the browser shows this answer only, so it says
            # what the first one did rather than that the claim « can no longer be cancelled ».
    if attempt.ok:
        messages.success(request, _("La demande est annulée."))
    return redirect("claims:claim", pk=claim.pk)


@login_required
def receipt(request, pk):
    claim = get_visible_claim(request.user, pk)
    if claim.status != ClaimStatus.HANDED_OVER:
        if not claimant_claims(request.user).filter(pk=claim.pk).exists():
            raise Http404  # a workshop has no claimant page to be sent to
        return _moved_on(request, claim, _("Le reçu de remise"))
    return private_download(
        handover_receipt_pdf(claim),
        filename=f"remise-{claim.pk}.pdf",
        content_type="application/pdf",
        inline=True,
    )


@login_required
def waitlist(request):
    # Joining is asking for a device: a session opened with a code under an eligibility-only mandate finds nothing.
    session_scope_or_404(request.user, MandateScope.CLAIMS)
    form = WaitlistForm(request.POST or None, initial=kept_typed(request))
    if request.method == "POST" and form.is_valid():
        with domain_errors(form=form) as attempt:
            try:
                waiting_list.join_waitlist(
                    actor=request.user,
                    device_type=form.cleaned_data["device_type"],
                    max_price_cents=form.max_price_cents(),
                    lives_in_qpv_zrr=form.cleaned_data["lives_in_qpv_zrr"],
                    no_computer=form.cleaned_data["no_computer"],
                    children_at_school=form.cleaned_data["children_at_school"],
                )
                done = _("Vous êtes inscrit(e) sur la liste d’attente.")
            except Conflict as exc:
                if exc.code != waiting_list.ALREADY_WAITING:
                    raise
                # Sent again (a double tap, a phone resending): the place is there, shown as the first answer.
                done = exc.message
        if attempt.ok:
            messages.success(request, done)
            return redirect("claims:waitlist")
    verified = waiting_list.verified_priorities([request.user.pk]).get(request.user.pk, set())
    entries = [
        (
            entry,
            waiting_list.waitlist_position(entry),
            entry.score(verified=verified) + waiting_list.extra_points([entry]).get(entry.pk, 0),
        )
        for entry in own_waitlist(request.user)
        .select_related("programme", "offered_claim")
        .order_by("-created")
    ]
    return render(
        request,
        "claims/waitlist.html",
        {
            "form": form,
            "entries": entries,
            # Who may not join (no valid decision, a home outside the programme, not a household) reads why.
            "refusal": None if form.is_bound else waiting_list.waitlist_refusal(actor=request.user),
            "verified_labels": [label for code, label in PrioritySituation.choices if code in verified],
        },
    )
