"""The catalogue: filtered listing (cached for anonymous visitors), a device's page and the claim button."""

from collections import OrderedDict
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inventory.enums import DeviceState
from inventory.models import Device
from inventory.opening_hours import opening_hours_of
from reuse.accounts.auth import client_address
from reuse.accounts.enums import OrganisationKind, OrganisationStatus
from reuse.accounts.models import User
from reuse.bounds import whole_number
from reuse.claims import catalogue_cache
from reuse.claims.enums import OPEN_CLAIM_STATUSES
from reuse.claims.filters import CatalogueFilter, catalogue_queryset, keyset_page
from reuse.claims.forms import ClaimForm
from reuse.claims.services import checks, refusals, reservations
from reuse.claims.specs import good_for, plain_specs
from reuse.eligibility.enums import DecisionStatus, MandateScope
from reuse.eligibility.services import decisions
from reuse.errors import Unavailable
from reuse.policy.accounts import organisations_of_kind, standing
from reuse.policy.claims import acting_association, claimant_claims
from reuse.policy.mandates import households_covered
from reuse.views import domain_errors

PAGE_SIZE = 20
UNSET = object()
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
    territory = _territory(request)
    # One round trip to the cache: the version and the page, which names the version it was rendered at.
    places = ",".join(territory.departments) if territory else ""
    key = catalogue_cache.page_key(request, int(request.user.is_authenticated), places)
    # The site chrome's changes (links, settings) bump the catalogue's version too (cms.chrome.bump).
    found = cache.get_many([catalogue_cache.VERSION_KEY, key])
    versions = (found.get(catalogue_cache.VERSION_KEY) or catalogue_cache.version(),)
    entry = found.get(key)
    if entry is not None and entry[0] == versions:
        html = entry[1]
    else:
        response = _catalogue(request, territory, csrf_token=catalogue_cache.CSRF_PLACEHOLDER)
        if response.status_code != 200:
            return response
        html = response.content.decode()
        cache.set(key, (versions, html), catalogue_cache.PAGE_TTL)
    return HttpResponse(html.replace(catalogue_cache.CSRF_PLACEHOLDER, get_token(request)))


def _claimant_decision(user, claiming_for=None):
    """(decision, beneficiary, association) of whom the reader claims for (itself, its association, or the
    household a referrer chooses for); None for a referrer choosing for nobody yet, or a claimant not eligible."""
    association = None
    if claiming_for is not None:
        decision, beneficiary = decisions.valid_decision_for(user=claiming_for), claiming_for
    else:
        roles = standing(user)
        if OrganisationKind.REFERRER in roles["kinds"]:
            return None
        if roles["household"]:
            decision, beneficiary = decisions.valid_decision_for(user=user), user
        elif OrganisationKind.ASSOCIATION in roles["kinds"]:
            with domain_errors() as attempt:
                association = acting_association(user)
            if not attempt.ok:
                # A member of several associations says which one when they claim: none is assumed here.
                return None
            decision, beneficiary = decisions.valid_decision_for(organisation=association), None
        else:
            return None
    return (decision, beneficiary, association) if decision is not None else None


def _territory(request, claiming_for=None) -> checks.Territory | None:
    """Where the reader may claim (its programme's departments), None when that does not apply; from the cache
    while no decision or programme changed, for as long as the decision lasts."""
    user = request.user
    if not user.is_authenticated:
        return None

    def compute():
        claimant = _claimant_decision(user, claiming_for)
        if claimant is None:
            return None, catalogue_cache.TERRITORY_TTL
        decision, beneficiary, association = claimant
        # The territory its claims follow today (a successor's once its own programme has ended); none in force:
        # the catalogue is not narrowed, and a claim says why it is refused.
        if not checks.follow_programme_in_force(decision, checks.department_of(beneficiary, association)):
            return None, catalogue_cache.TERRITORY_TTL
        until = (decision.expires_at - timezone.now()).total_seconds() if decision.expires_at else None
        return (
            checks.territory_of(decision, actor=user, beneficiary=beneficiary),
            until or catalogue_cache.TERRITORY_TTL,
        )

    return catalogue_cache.territory(f"{user.pk}:{claiming_for.pk if claiming_for else ''}", compute)


def _catalogue(request, territory=UNSET, **extra):
    claiming_for = _claiming_for(request)
    if territory is UNSET:
        territory = _territory(request, claiming_for)
    params = request.GET.copy()
    params.pop("pour", None)
    everywhere = params.pop("partout", None) is not None
    filterset = CatalogueFilter(params or None, queryset=catalogue_queryset())
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else catalogue_queryset()
    if filterset.is_bound and not filterset.is_valid():
        queryset = catalogue_queryset().none()
    # By default a claimant sees what it may claim; a place it asks for (a department, near a postcode) or
    # « everywhere » shows the rest, with the same words about what it may claim.
    narrowed = bool(territory) and not (everywhere or params.get("department") or params.get("near"))
    if narrowed:
        queryset = queryset.filter(workshop__department__in=territory.departments)
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
            "filters_invalid": filterset.is_bound and not filterset.is_valid(),
            "territory": territory.departments if territory else None,
            "narrowed": narrowed,
            "everywhere_url": _catalogue_url(claiming_for, partout=1),
            "territory_url": _catalogue_url(claiming_for),
            **extra,
        },
    )


def _catalogue_url(claiming_for, **params) -> str:
    if claiming_for is not None:
        params["pour"] = claiming_for.pk
    return reverse("claims:catalogue") + ("?" + urlencode(params) if params else "")


def _territory_block(request, device, claiming_for) -> str | None:
    """Why the reader cannot claim this device where it is (the words the claim would be refused with)."""
    territory = _territory(request, claiming_for)
    return checks.territory_refusal(territory, device.workshop.department) if territory else None


def _associations_for(user) -> list:
    """The associations a person who is not a household claims for: the claim form asks which when they are several."""
    if not user.is_authenticated:
        return []
    found = standing(user)
    if OrganisationKind.ASSOCIATION not in found["kinds"] or found["household"]:
        return []
    return list(organisations_of_kind(user, OrganisationKind.ASSOCIATION).order_by("name", "pk"))


def _households_for(user):
    if not user.is_authenticated or OrganisationKind.REFERRER not in standing(user)["kinds"]:
        return None
    covered = households_covered(user, MandateScope.CLAIMS)
    people = User.objects.filter(pk__in=covered).select_related("household")
    return list(people.order_by("last_name", "first_name", "pk"))


def device_detail(request, pk):
    device = get_object_or_404(Device.objects.select_related("workshop"), pk=pk)
    if device.state != DeviceState.LISTED or device.workshop.status != OrganisationStatus.APPROVED:
        mine = _my_claim_on(request.user, device)
        if mine:
            return redirect("claims:claim", pk=mine.pk)
        return _unavailable(request, device)
    return render(request, "claims/device_detail.html", _device_context(request, device))


def _my_claim_on(user, device):
    """The person's own latest claim on this device (as claimant or for a household they act for), if any."""
    return (
        claimant_claims(user).filter(device=device).order_by("-pk").first() if user.is_authenticated else None
    )


def _already_mine(request, device):
    """The claim button sent twice (a double tap, a phone resending after a timeout, the back button): the
    device is out of the catalogue because this person holds it, so the answer is their claim, not "someone
    else took it"."""
    mine = _my_claim_on(request.user, device)
    if mine is None or mine.status not in OPEN_CLAIM_STATUSES:
        return None
    messages.info(request, _("Votre demande pour cet appareil est déjà enregistrée : la voici."))
    return redirect("claims:claim", pk=mine.pk)


def _unavailable(request, device, *, raced: bool = False):
    """A device out of the catalogue: someone reserved it (just before, when `raced`), or its workshop withdrew
    it (a repair, a suspension), which is never told as someone else's reservation."""
    taken = device.state in (DeviceState.RESERVED, DeviceState.HANDED_OVER)
    territory = _territory(request)
    return render(
        request,
        "claims/unavailable.html",
        {
            "device": device,
            "similar": reservations.similar_devices(
                device, departments=territory.departments if territory else None
            ),
            "raced": raced and taken,
            "withdrawn": not taken,
        },
        status=409 if raced else 200 if taken else 404,
    )


def _eligibility_block(user) -> str | None:
    """Why a household cannot claim yet ("pending" or "missing"), said before it tries rather than after."""
    if not user.is_authenticated:
        return None
    roles = standing(user)  # read once per request with the navigation's roles
    if not roles["household"] or OrganisationKind.REFERRER in roles["kinds"]:
        return None
    if decisions.valid_decision_for(user=user) is not None:
        return None
    latest = decisions.latest_decision(user)
    return "pending" if latest is not None and latest.status == DecisionStatus.PENDING else "missing"


def _claim_refusal(request, device, claiming_for) -> str | None:
    """Why the claim form would be refused for this reader now (reservations.create_claim's own rule), said in
    place of the form; None while the form itself asks for whom (a referrer's household, one of an association
    member's several associations)."""
    user = request.user
    if not user.is_authenticated:
        return None
    beneficiary = organisation = None
    if claiming_for is not None:
        beneficiary = claiming_for
    elif _households_for(user) is not None:
        return None
    elif not hasattr(user, "household") and OrganisationKind.ASSOCIATION in standing(user)["kinds"]:
        associations = _associations_for(user)
        if len(associations) != 1:
            return None
        organisation = associations[0]
    refusal = refusals.claim_refusal(
        actor=user, device=device, beneficiary=beneficiary, organisation=organisation
    )
    return refusal.message if refusal is not None else None


def _device_context(request, device, form=None):
    claiming_for = _claiming_for(request)
    eligibility_block = _eligibility_block(request.user)
    territory_block = None if eligibility_block else _territory_block(request, device, claiming_for)
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
            organisations=_associations_for(request.user),
            free=not device.price_cents,
            initial={"beneficiary": claiming_for.pk} if claiming_for else None,
        ),
        "eligibility_block": eligibility_block,
        "territory_block": territory_block,
        # After a refused POST the form says the refusal itself, with what was typed.
        "claim_refusal": None
        if eligibility_block or territory_block or form is not None
        else _claim_refusal(request, device, claiming_for),
        "association": bool(_associations_for(request.user)),
    }


@login_required
@require_POST
def claim_device(request, pk):
    device = get_object_or_404(Device.objects.select_related("workshop"), pk=pk)
    households = _households_for(request.user)
    form = ClaimForm(
        request.POST,
        households=households,
        organisations=_associations_for(request.user),
        free=not device.price_cents,
    )
    if not form.is_valid():
        return render(
            request, "claims/device_detail.html", _device_context(request, device, form), status=422
        )
    beneficiary = None
    organisation = None
    if households is not None:
        beneficiary = next(u for u in households if u.pk == form.cleaned_data["beneficiary"])
    elif not hasattr(request.user, "household"):
        # A member of several associations chose one on the form (another organisation's is not found).
        with domain_errors(form=form, field=form.choice_field if form.chosen else None) as attempt:
            organisation = acting_association(request.user, form.chosen)
        if not attempt.ok:
            return render(
                request,
                "claims/device_detail.html",
                _device_context(request, device, form),
                status=attempt.error.status,
            )
    if device.state != DeviceState.LISTED and (resent := _already_mine(request, device)):
        return resent
    with domain_errors(form=form) as attempt:
        try:
            claim = reservations.create_claim(
                actor=request.user,
                device_id=device.pk,
                voucher_code=form.cleaned_data.get("voucher_code", ""),
                beneficiary=beneficiary,
                organisation=organisation,
                address=client_address(request),
            )
        except Unavailable:
            device.refresh_from_db(fields=["state"])
            device.workshop.refresh_from_db(fields=["status"])
            return _already_mine(request, device) or _unavailable(request, device, raced=True)
    if not attempt.ok:
        return render(
            request,
            "claims/device_detail.html",
            _device_context(request, device, form),
            status=attempt.status,
        )
    return redirect("claims:claim", pk=claim.pk)
