"""The referrer's pages under /eligibilite/prescripteur/: households followed, mandates, attestations, proofs,
printed sign-in codes."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reuse.accounts.auth import has_own_credentials, in_someone_elses_care
from reuse.accounts.emails import language_of
from reuse.accounts.enums import Role
from reuse.accounts.forms import EmailChangeForm
from reuse.eligibility import sign_in_codes
from reuse.eligibility.enums import MandateScope
from reuse.eligibility.forms import (
    AttestationForm,
    MandateForm,
    MandateRequestForm,
    ReferrerDocumentForm,
    ReferrerHouseholdForm,
)
from reuse.eligibility.models import Mandate
from reuse.eligibility.services import decisions, documents, duplicates, households, mandates
from reuse.policy.accounts import has_role
from reuse.policy.eligibility import (
    decision_summary_only,
    followed_households,
    followed_mandates,
    get_followed_household,
    referrer_organisations,
    renewable_households,
    visible_journal,
)
from reuse.policy.mandates import accredited_organisations, gives_address, running_mandates
from reuse.views import domain_errors, kept_typed

# --- Referrers ------------------------------------------------------------------------------------------------


# A page of the followed households: a social worker following 150 people scrolls a short table, and finds
# anyone else with the search box.
HOUSEHOLDS_PER_PAGE = 25


def _referrer_or_404(user):
    if not has_role(user, Role.REFERRER):
        raise Http404
    return user


def _mandated_household(request, pk, scope=None):
    return get_followed_household(request.user, pk, scope=scope)


@login_required
def referrer_dashboard(request):
    """The households the referrer's organisations follow, and those whose mandate ended. A social worker seeing
    many people in an afternoon finds each by name or birth date (`q`), or lists only the mandates to renew."""
    referrer = _referrer_or_404(request.user)
    query = request.GET.get("q", "").strip()[:100]
    renewals_only = request.GET.get("a_renouveler") == "1"
    eligibility_ending = request.GET.get("eligibilite_a_renouveler") == "1"
    organisations = referrer_organisations(referrer)
    followed = followed_households(referrer)
    ends = running_mandates(referrer).filter(household=OuterRef("pk")).order_by("-expires_at")
    chosen = (
        households.search(followed, query)
        .annotate(mandate_end=Subquery(ends.values("expires_at")[:1]))
        .select_related("household")
        .order_by("last_name", "first_name", "pk")
    )
    if renewals_only:
        chosen = chosen.filter(mandate_end__lte=mandates.renewal_notice_from())
    if eligibility_ending:
        # Whose eligibility ended or ends within the reminder's notice: the soonest first, to attest again.
        chosen = decisions.eligibility_ending(chosen).order_by("eligibility_end", "pk")
    page = Paginator(chosen, HOUSEHOLDS_PER_PAGE).get_page(request.GET.get("page"))
    decided = decisions.latest_decisions(page.object_list)
    rows = [
        (
            household,
            decided.get(household.pk),
            household.mandate_end,
            mandates.mandate_ends_soon(household.mandate_end),
        )
        for household in page
    ]
    # Households whose mandate with us ended or was withdrawn: a new one can be recorded with their consent.
    latest = Mandate.objects.filter(
        household=OuterRef("pk"), referrer_organisation__in=organisations
    ).order_by("-created", "-pk")
    ended = (
        households.search(renewable_households(referrer), query)
        .exclude(pk__in=followed.values("pk"))
        .annotate(
            mandate_end=Subquery(latest.values("expires_at")[:1]),
            mandate_revoked=Subquery(latest.values("revoked_at")[:1]),
            mandate_consented=Subquery(latest.values("consented_at")[:1]),
            mandate_created=Subquery(latest.values("created")[:1]),
        )
        .select_related("household")
        .order_by("last_name", "first_name")
    )
    return render(
        request,
        "eligibility/referrer_dashboard.html",
        {
            "rows": rows,
            "ended": ended,
            "page": page,
            "query": query,
            "renewals_only": renewals_only,
            "eligibility_ending": eligibility_ending,
            "eligibility_notice_days": decisions.REMINDER_DAYS_BEFORE_EXPIRY,
            "searched": bool(query) or renewals_only or eligibility_ending,
            "organisations": organisations,
            "accredited": accredited_organisations(referrer).exists(),
        },
    )


@login_required
def referrer_household_create(request):
    referrer = _referrer_or_404(request.user)
    warned = request.POST.get("lookalikes_shown") == "1"
    structures = list(accredited_organisations(referrer).order_by("name", "pk"))
    form = ReferrerHouseholdForm(
        request.POST or None, lookalikes_shown=warned, organisations=structures, initial=kept_typed(request)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lookalikes = duplicates.followed_lookalikes(
            referrer=referrer,
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_date=data["birth_date"],
        )
        if lookalikes and not data.get("confirm_new"):
            # Probably a person the organisation already follows: say so before a second account exists.
            form = ReferrerHouseholdForm(request.POST, lookalikes_shown=True, organisations=structures)
            form.is_valid()
            followed = set(followed_households(referrer).values_list("pk", flat=True))
            return render(
                request,
                "eligibility/referrer_household_form.html",
                {"form": form, "lookalikes": [(person, person.pk in followed) for person in lookalikes]},
            )
        with domain_errors(form=form) as attempt:
            household, _mandate = households.create_household_under_mandate(
                referrer=referrer, **form.household_fields(), **form.mandate_terms()
            )
        if attempt.ok:
            messages.success(request, _("Le compte et le mandat sont enregistrés."))
            return redirect("eligibility:referrer_household", pk=household.pk)
    return render(request, "eligibility/referrer_household_form.html", {"form": form, "lookalikes": []})


@login_required
def referrer_household(request, pk: int):
    household = _mandated_household(request, pk)
    held = followed_mandates(request.user).filter(household=household).select_related("referrer_organisation")
    current = mandates.current_mandate(referrer=request.user, household=household)
    decision = decisions.latest_decision(household)
    return render(
        request,
        "eligibility/referrer_household.html",
        {
            "household": household,
            "has_own_credentials": has_own_credentials(household),
            # The link to give an address, only to whom the address may be given by (gives_address).
            "in_care": in_someone_elses_care(household) and gives_address(request.user, household),
            "pending_request": mandates.pending_request(referrer=request.user, household=household),
            "decision": decision,
            "summary_only": decision_summary_only(request.user, decision),
            "mandates": held,
            "current_mandate": current,
            "mandate_renewal_due": mandates.mandate_renewal_due(current),
            "can_attest": mandates.active_mandate(
                referrer=request.user, household=household, scope=MandateScope.ELIGIBILITY
            )
            is not None,
            "can_claim": mandates.active_mandate(
                referrer=request.user, household=household, scope=MandateScope.CLAIMS
            )
            is not None,
            "journal": visible_journal(request.user).filter(household=household).select_related("actor")[:50],
        },
    )


@login_required
def referrer_mandate_renew(request, pk: int):
    """A new mandate, with the person's new consent, for a household our organisation held a mandate for."""
    referrer = _referrer_or_404(request.user)
    household = get_object_or_404(renewable_households(referrer).select_related("household"), pk=pk)
    previous = mandates.last_mandate_held(referrer=referrer, household=household)
    if previous is None:
        raise Http404
    # A person with access of their own accepts the new mandate in their space; the others sign it here.
    in_own_space = has_own_credentials(household)
    form_class = MandateRequestForm if in_own_space else MandateForm
    form = form_class(request.POST if request.method == "POST" else None, initial={"scopes": previous.scopes})
    if request.method == "POST" and form.is_valid():
        with domain_errors(form=form) as attempt:
            mandate = mandates.renew_mandate(referrer=referrer, household=household, **form.mandate_terms())
        if attempt.ok:
            if mandate.is_pending:
                messages.success(
                    request,
                    _(
                        "Demande envoyée : le mandat commencera quand %(name)s l’aura accepté dans son espace "
                        "Rebond."
                    )
                    % {"name": household.get_full_name()},
                )
                return redirect("eligibility:referrer_dashboard")
            day = date_format(timezone.localtime(mandate.expires_at, decisions.PARIS), "j F Y")
            messages.success(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Le nouveau mandat est enregistré jusqu’au %(day)s.") % {"day": day},
                    reverse("eligibility:referrer_mandate_print", args=[mandate.pk]),
                    _("Imprimer le mandat"),
                ),
            )
            return redirect("eligibility:referrer_household", pk=household.pk)
    return render(
        request,
        "eligibility/referrer_mandate_renew.html",
        {
            "form": form,
            "household": household,
            "previous": previous,
            "in_own_space": in_own_space,
            "pending_request": mandates.pending_request(referrer=referrer, household=household),
            "accredited": accredited_organisations(referrer)
            .filter(pk=previous.referrer_organisation_id)
            .exists(),
        },
    )


def _decide_for_household(request, pk: int, *, form_class, template: str, field=None, decide):
    """A referrer's form that leads to a decision for a household they hold a mandate for (attestation, proof):
    the programme first (without one, nothing to ask), then the form, the service `decide(household, data)`,
    and the decision page."""
    household = _mandated_household(request, pk, MandateScope.ELIGIBILITY)
    with domain_errors() as attempt:
        programme = decisions.household_programme(household)
    if not attempt.ok:
        return render(request, "eligibility/no_programme.html", {"message": attempt.error.message})
    form = form_class(request.POST or None, request.FILES or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        with domain_errors(form=form, field=field) as attempt:
            decision = decide(household, form.cleaned_data)
        if attempt.ok:
            return redirect("eligibility:decision", pk=decision.pk)
    return render(request, template, {"form": form, "household": household, "programme": programme})


@login_required
def referrer_attest(request, pk: int):
    return _decide_for_household(
        request,
        pk,
        form_class=AttestationForm,
        template="eligibility/referrer_attest.html",
        decide=lambda household, data: decisions.attest(
            referrer=request.user,
            household=household,
            criteria=data["criteria"],
            quotient_familial_eur=data["quotient_familial_eur"],
            priorities=data["priorities"],
        ),
    )


@login_required
@require_POST
def referrer_sign_in_code(request, pk: int):
    household = _mandated_household(request, pk)
    with domain_errors(request) as attempt:
        issued = sign_in_codes.issue_sign_in_code(referrer=request.user, household=household)
    if not attempt.ok:
        return redirect("eligibility:referrer_household", pk=household.pk)
    response = render(
        request,
        "eligibility/sign_in_code.html",
        {
            "household": household,
            "code": issued.code,
            "mandate": issued.mandate,
            "notices": issued.notices,
            # The public address, as in every email: never the Host header the request came with.
            "login_url": settings.PUBLIC_BASE_URL + reverse("eligibility:code_login"),
            "valid_days": sign_in_codes.SIGN_IN_CODE_VALIDITY_DAYS,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def referrer_household_email(request, pk: int):
    """Give an address to a household whose account is still in the referrer's care; a link goes to it. A 404 to a
    referrer whose mandate does not cover the whole account (gives_address), before the form is shown."""
    household = _mandated_household(request, pk)
    if not gives_address(request.user, household):
        raise Http404
    form = EmailChangeForm(request.POST or None, with_password=False)
    if request.method == "POST" and form.is_valid():
        with domain_errors(form=form, field="new_email") as attempt:
            households.give_email(
                referrer=request.user, household=household, email=form.cleaned_data["new_email"]
            )
        if attempt.ok:
            messages.success(
                request,
                _(
                    "Un lien de confirmation est parti vers %(email)s : l’adresse sera celle du compte quand la "
                    "personne l’aura ouvert."
                )
                % {"email": form.cleaned_data["new_email"]},
            )
            return redirect("eligibility:referrer_household", pk=household.pk)
    in_care = in_someone_elses_care(household)
    return render(
        request,
        "eligibility/referrer_household_email.html",
        {"form": form, "household": household, "in_care": in_care},
        status=403 if request.method == "POST" and not in_care else 200,
    )


@login_required
def referrer_mandate_print(request, pk: int):
    mandate = get_object_or_404(
        followed_mandates(request.user).select_related(
            "household", "referrer_organisation", "consent_recorded_by"
        ),
        pk=pk,
    )
    return render(
        request,
        "eligibility/mandate_print.html",
        {"mandate": mandate, "paper_language": language_of(mandate.household)},
    )


@login_required
def referrer_document(request, pk: int):
    """A referrer sends a proof for staff to review, for a household that cannot do it alone."""
    return _decide_for_household(
        request,
        pk,
        form_class=ReferrerDocumentForm,
        template="eligibility/referrer_document.html",
        field="file",
        decide=lambda household, data: documents.upload_document(
            household=household,
            uploaded_by=request.user,
            criteria=data["criteria"],
            quotient_familial_eur=data["quotient_familial_eur"],
            upload=data["file"],
        ),
    )
