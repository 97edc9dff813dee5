"""Web pages of the catalogue and of claims. They work without JavaScript; the card form is the one enhancement."""

from collections import OrderedDict
from datetime import date
from urllib.parse import urlencode
from urllib.parse import urlparse as _urlparse

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inventory.enums import DeviceState, DeviceType
from inventory.models import Device
from inventory.opening_hours import opening_hours_of
from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import User
from reuse.bounds import whole_number
from reuse.claims import catalogue_cache, services
from reuse.claims import handover as counter
from reuse.claims.enums import ClaimStatus, WaitlistStatus
from reuse.claims.filters import CatalogueFilter, catalogue_queryset, keyset_page
from reuse.claims.forms import (
    BatchClaimForm,
    ClaimForm,
    HandoverCodeForm,
    HandoverConfirmForm,
    QuantityClaimForm,
    VoucherForm,
    WaitlistForm,
)
from reuse.claims.models import Claim, VoucherFunder, WaitlistEntry
from reuse.claims.receipts import handover_receipt_pdf
from reuse.claims.specs import good_for, plain_specs
from reuse.eligibility.enums import MandateScope, PrioritySituation
from reuse.errors import DomainError, Unavailable
from reuse.policy.accounts import organisations_of_kind
from reuse.policy.claims import (
    claimant_claims,
    get_claimant_claim,
    get_visible_claim,
    is_funder_of,
    workshop_claims,
)
from reuse.policy.mandates import households_covered
from reuse.views import domain_errors

PAGE_SIZE = 20
ASSOCIATION_LIST_SIZE = 30


def _origin(url: str) -> str:
    parsed = _urlparse(url)
    return f"{parsed.scheme}://{parsed.netloc}"


# --- catalogue ---------------------------------------------------------------------------------------------


_FILTERS_HTML: OrderedDict = OrderedDict()
_FILTERS_HTML_MAX = 512


def _filters_html(filterset, request, claiming_for=None):
    """The filter form's HTML depends only on the query and the language: render each variant once.

    Rendering a dozen widgets costs more than the page's only SQL query; pages of the same search share it.
    """
    params = sorted((k, v) for k, v in request.GET.lists() if k != "cursor")
    key = (translation.get_language(), repr(params), claiming_for.pk if claiming_for else None)
    html = _FILTERS_HTML.get(key)
    if html is None:
        html = render_to_string(
            "claims/_filters.html",
            {"form": filterset.form, "open": filterset.is_bound, "claiming_for": claiming_for},
        )
        _FILTERS_HTML[key] = html
        if len(_FILTERS_HTML) > _FILTERS_HTML_MAX:
            _FILTERS_HTML.popitem(last=False)
    return html


def _claiming_for(request):
    """The household a referrer is choosing a device for (?pour=ID), if they may claim for it."""
    wanted = whole_number(request.GET.get("pour"))
    if wanted is None:
        return None
    return next((u for u in _households_for(request.user) or () if u.pk == wanted), None)


def catalogue(request):
    """The list, from the catalogue cache when it can be (catalogue_cache): the same page for everyone who
    asks the same filters in the same language, exact at once after a change. A referrer choosing for a
    household (?pour=) and a page carrying a flash message are rendered for their reader."""
    if "pour" in request.GET or catalogue_cache.has_messages(request):
        return _catalogue(request)
    # One round trip to the cache: the version and the page, which names the version it was rendered at.
    key = catalogue_cache.page_key(request, int(request.user.is_authenticated))
    # The site chrome's changes (links, settings) bump the catalogue's version too (cms.chrome.bump).
    found = cache.get_many([catalogue_cache.VERSION_KEY, key])
    versions = (found.get(catalogue_cache.VERSION_KEY) or catalogue_cache.version(),)
    entry = found.get(key)
    if entry is not None and entry[0] == versions:
        html = entry[1]
    else:
        response = _catalogue(request, csrf_token=catalogue_cache.CSRF_PLACEHOLDER)
        if response.status_code != 200:
            return response
        html = response.content.decode()
        cache.set(key, (versions, html), catalogue_cache.PAGE_TTL)
    return HttpResponse(html.replace(catalogue_cache.CSRF_PLACEHOLDER, get_token(request)))


def _catalogue(request, **extra):
    claiming_for = _claiming_for(request)
    params = request.GET.copy()
    params.pop("pour", None)
    filterset = CatalogueFilter(params or None, queryset=catalogue_queryset())
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else catalogue_queryset()
    if filterset.is_bound and not filterset.is_valid():
        queryset = catalogue_queryset().none()
    devices, next_cursor = keyset_page(queryset, request.GET.get("cursor"), PAGE_SIZE)
    next_url = None
    if next_cursor:
        params = request.GET.copy()
        params["cursor"] = next_cursor
        next_url = f"?{params.urlencode()}"
    return render(
        request,
        "claims/catalogue.html",
        {
            "claiming_for": claiming_for,
            "filters_html": _filters_html(filterset, request, claiming_for),
            "devices": devices,
            "next_url": next_url,
            "first_url": "?" + urlencode([(k, v) for k, v in request.GET.items() if k != "cursor"]),
            "has_cursor": bool(request.GET.get("cursor")),
            **extra,
        },
    )


def _households_for(user):
    if not user.is_authenticated or not organisations_of_kind(user, OrganisationKind.REFERRER).exists():
        return None
    covered = households_covered(user, MandateScope.CLAIMS)
    return list(User.objects.filter(pk__in=covered).order_by("last_name", "first_name"))


def device_detail(request, pk):
    device = get_object_or_404(Device.objects.select_related("workshop"), pk=pk)
    if device.state != DeviceState.LISTED:
        mine = claimant_claims(request.user).filter(device=device).first()
        if mine:
            return redirect("claims:claim", pk=mine.pk)
        return render(
            request,
            "claims/unavailable.html",
            {"device": device, "similar": services.similar_devices(device)},
            status=404 if device.state not in (DeviceState.RESERVED, DeviceState.HANDED_OVER) else 200,
        )
    return render(request, "claims/device_detail.html", _device_context(request, device))


def _device_context(request, device, form=None):
    claiming_for = _claiming_for(request)
    return {
        "device": device,
        "specs": plain_specs(device),
        "good_for": good_for(device),
        "workshop": device.workshop,
        "opening_hours": opening_hours_of(device.workshop),
        "claiming_for": claiming_for,
        "form": form
        or ClaimForm(
            households=_households_for(request.user),
            initial={"beneficiary": claiming_for.pk} if claiming_for else None,
        ),
        "association": organisations_of_kind(request.user, OrganisationKind.ASSOCIATION).first()
        if request.user.is_authenticated
        else None,
    }


@login_required
@require_POST
def claim_device(request, pk):
    device = get_object_or_404(Device.objects.select_related("workshop"), pk=pk)
    households = _households_for(request.user)
    form = ClaimForm(request.POST, households=households)
    if not form.is_valid():
        return render(
            request, "claims/device_detail.html", _device_context(request, device, form), status=422
        )
    beneficiary = None
    organisation = None
    if households is not None:
        beneficiary = next(u for u in households if u.pk == form.cleaned_data["beneficiary"])
    elif not hasattr(request.user, "household"):
        organisation = organisations_of_kind(request.user, OrganisationKind.ASSOCIATION).first()
    try:
        claim = services.create_claim(
            actor=request.user,
            device_id=device.pk,
            voucher_code=form.cleaned_data["voucher_code"],
            beneficiary=beneficiary,
            organisation=organisation,
        )
    except Unavailable:
        return render(
            request,
            "claims/unavailable.html",
            {"device": device, "similar": services.similar_devices(device), "raced": True},
            status=409,
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return render(
            request, "claims/device_detail.html", _device_context(request, device, form), status=exc.status
        )
    return redirect("claims:claim", pk=claim.pk)


# --- claims of the claimant --------------------------------------------------------------------------------


@login_required
def my_claims(request):
    claims = claimant_claims(request.user).select_related("device", "device__workshop", "beneficiary")
    entries = WaitlistEntry.objects.filter(
        beneficiary=request.user, status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
    )
    return render(request, "claims/my_claims.html", {"claims": claims[:100], "entries": entries})


@login_required
def claim_detail(request, pk):
    claim = get_visible_claim(request.user, pk)
    is_claimant = claimant_claims(request.user).filter(pk=claim.pk).exists()
    if not is_claimant:
        raise Http404
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
        },
    )


@login_required
def claim_code(request, pk):
    claim = get_claimant_claim(request.user, pk)
    if not claim.code_is_usable:
        raise Http404
    return render(
        request,
        "claims/claim_code.html",
        {
            "claim": claim,
            "workshop": claim.device.workshop,
            "opening_hours": opening_hours_of(claim.device.workshop),
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
    if claim.status != ClaimStatus.RESERVED or claim.amount_due_cents == 0:
        return redirect("claims:claim", pk=claim.pk)
    return _with_stripe_csp(render(request, "claims/pay.html", _pay_context(request, claim)))


@login_required
@require_POST
def apply_voucher(request, pk):
    claim = get_claimant_claim(request.user, pk)
    form = VoucherForm(request.POST)
    if form.is_valid():
        with domain_errors(form=form, field="code") as attempt:
            services.apply_voucher(claim_id=claim.pk, actor=request.user, code=form.cleaned_data["code"])
        if attempt.ok:
            messages.success(request, _("Chèque numérique pris en compte."))
            return redirect("claims:pay", pk=claim.pk)
    claim.refresh_from_db()
    return _with_stripe_csp(
        render(request, "claims/pay.html", _pay_context(request, claim, form), status=422)
    )


@login_required
@require_POST
def choose_payment(request, pk, at_workshop: bool):
    """Pay at the workshop with the code, or (back) online by card or voucher."""
    claim = get_claimant_claim(request.user, pk)
    choose = services.choose_pay_at_workshop if at_workshop else services.choose_pay_online
    try:
        choose(claim_id=claim.pk, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("claims:claim", pk=claim.pk)
    if not at_workshop:
        return redirect("claims:pay", pk=claim.pk)
    messages.success(request, _("C’est noté : le paiement se fera à l’atelier, sur présentation du code."))
    return redirect("claims:claim", pk=claim.pk)


@login_required
@require_POST
def cancel(request, pk):
    claim = get_claimant_claim(request.user, pk)
    with domain_errors(request) as attempt:
        services.cancel_claim(claim_id=claim.pk, actor=request.user, reason=_("Annulée par le demandeur."))
    if attempt.ok:
        messages.success(request, _("La demande est annulée."))
    return redirect("claims:claim", pk=claim.pk)


@login_required
def receipt(request, pk):
    claim = get_visible_claim(request.user, pk)
    if claim.status != ClaimStatus.HANDED_OVER:
        raise Http404
    response = HttpResponse(handover_receipt_pdf(claim), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="remise-{claim.pk}.pdf"'
    return response


# --- waitlist ----------------------------------------------------------------------------------------------


@login_required
def waitlist(request):
    form = WaitlistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors(form=form) as attempt:
            services.join_waitlist(
                actor=request.user,
                device_type=form.cleaned_data["device_type"],
                max_price_cents=form.max_price_cents(),
                lives_in_qpv_zrr=form.cleaned_data["lives_in_qpv_zrr"],
                no_computer=form.cleaned_data["no_computer"],
                children_at_school=form.cleaned_data["children_at_school"],
            )
        if attempt.ok:
            messages.success(request, _("Vous êtes inscrit(e) sur la liste d’attente."))
            return redirect("claims:waitlist")
    verified = services.verified_priorities([request.user.pk]).get(request.user.pk, set())
    entries = [
        (
            entry,
            services.waitlist_position(entry),
            entry.score(verified=verified) + services.extra_points([entry]).get(entry.pk, 0),
        )
        for entry in WaitlistEntry.objects.filter(beneficiary=request.user)
        .select_related("programme", "offered_claim")
        .order_by("-created")
    ]
    return render(
        request,
        "claims/waitlist.html",
        {
            "form": form,
            "entries": entries,
            "verified_labels": [label for code, label in PrioritySituation.choices if code in verified],
        },
    )


# --- workshop: handover ------------------------------------------------------------------------------------


def _require_workshop(request):
    if not organisations_of_kind(request.user, OrganisationKind.WORKSHOP).exists():
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
        try:
            claim = counter.check_code(
                actor=request.user, claim_id=form.cleaned_data["claim"], code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            form.add_error("code", exc.message)
            status = exc.status
        else:
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
        if claim is None or exc.code in ("bad_code", "handover_locked", "rate_limited"):
            messages.error(request, exc.message)
            return redirect("claims:handover")
        form.add_error(None, exc.message)
        return render(
            request, "claims/handover_confirm.html", {"claim": claim, "form": form}, status=exc.status
        )
    return render(request, "claims/handover_done.html", {"claim": claim})


# --- association -------------------------------------------------------------------------------------------


@login_required
def association_dashboard(request):
    """Reserve several devices at once: so many of each type, or picked one by one from a list."""
    organisation = organisations_of_kind(request.user, OrganisationKind.ASSOCIATION).first()
    if organisation is None:
        raise Http404
    device_type = request.GET.get("type") or ""
    if device_type not in DeviceType.values:
        device_type = ""
    offered = services.association_devices(organisation).select_related("workshop")
    available = dict(offered.order_by().values_list("type").annotate(n=Count("pk")))
    listed = offered.filter(type=device_type) if device_type else offered
    devices = list(listed.order_by("price_cents", "-pk")[:ASSOCIATION_LIST_SIZE])
    mode = None
    if request.method == "POST":
        mode = request.POST.get("mode") or ("pick" if "devices" in request.POST else "quantities")
    quantity_form = QuantityClaimForm(request.POST if mode == "quantities" else None, available=available)
    pick_form = BatchClaimForm(request.POST if mode == "pick" else None, devices=devices)
    form = quantity_form if mode == "quantities" else pick_form
    if mode in ("quantities", "pick") and form.is_valid():
        try:
            if mode == "quantities":
                claims = services.reserve_quantities(
                    actor=request.user, organisation=organisation, quantities=form.quantities()
                )
            else:
                claims = services.create_batch_claims(
                    actor=request.user, organisation=organisation, device_ids=form.cleaned_data["devices"]
                )
        except Unavailable as exc:
            message = (
                exc.message
                if mode == "quantities"
                else _(
                    "Un appareil coché vient d’être réservé par quelqu’un d’autre : rien n’a été réservé. "
                    "La liste est à jour, cochez à nouveau."
                )
            )
            form.add_error(None, message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(n)s appareil(s) réservé(s).") % {"n": len(claims)})
            return redirect("claims:association_dashboard")
    decision = services.valid_decision_for(organisation=organisation)
    used = services.association_usage(decision.programme, organisation) if decision else 0
    cap = decision.programme.association_cap_per_year if decision else 0
    return render(
        request,
        "claims/association_dashboard.html",
        {
            "organisation": organisation,
            "decision": decision,
            "used": used,
            "cap": cap,
            "remaining": max(cap - used, 0),
            "quantity_form": quantity_form,
            "pick_form": pick_form,
            "device_types": DeviceType.choices,
            "claims": Claim.objects.filter(organisation=organisation).select_related("device")[:100],
            "device_type": device_type,
        },
        status=422 if mode and form.errors else 200,
    )


# --- funders -----------------------------------------------------------------------------------------------


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
    rows, total = services.funder_statement(funder=funder, year=year, month=month)
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
