"""Pages under /eligibilite/: household space and questionnaire, code sign-in, associations, referrers."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db.models import Max, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reuse.accounts import services as accounts
from reuse.accounts.auth import has_own_credentials
from reuse.accounts.enums import Role
from reuse.eligibility import api_particulier, sign_in_codes
from reuse.eligibility.enums import Criterion, Evidence, MandateScope
from reuse.eligibility.forms import (
    AidStepForm,
    AssociationSignupForm,
    AttestationForm,
    CodeLoginForm,
    DocumentForm,
    EvidenceStepForm,
    HouseholdSignupForm,
    IdentityForm,
    MandateForm,
    MandateRequestForm,
    QuotientStepForm,
    ReferrerDocumentForm,
    ReferrerHouseholdForm,
)
from reuse.eligibility.middleware import CODE_SESSION_KEY
from reuse.eligibility.models import Mandate
from reuse.eligibility.services import associations, decisions, documents, duplicates, households, mandates
from reuse.errors import DomainError
from reuse.policy.accounts import has_role
from reuse.policy.eligibility import (
    accredited_organisations,
    referrer_organisations,
    renewable_households,
    visible_decisions,
    visible_households,
    visible_journal,
    visible_mandates,
)
from reuse.policy.mandates import code_session
from reuse.programmes import services as programmes
from reuse.views import domain_errors

SESSION_KEY = "eligibility_questionnaire"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _household_or_404(user):
    if not has_role(user, Role.HOUSEHOLD):
        raise Http404
    return user


def _client_key(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


# --- Household ------------------------------------------------------------------------------------------------


@login_required
def dashboard(request):
    household = _household_or_404(request.user)
    decision = decisions.latest_decision(household)
    mandates = (
        visible_mandates(household)
        .filter(household=household, consented_at__isnull=False)
        .select_related("referrer_organisation")
    )
    code = code_session(household)
    return render(
        request,
        "eligibility/dashboard.html",
        {
            "decision": decision,
            "renewal_due": decisions.renewal_due(decision),
            "mandates": mandates,
            "requests": Mandate.objects.pending()
            .filter(household=household)
            .select_related("referrer_organisation", "referrer"),
            "code_mandate": code.mandate if code is not None else None,
            "journal": visible_journal(household)
            .filter(household=household)
            .select_related("actor", "organisation")[:50],
            "programme": programmes.programme_for_department(household.household.department),
        },
    )


def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = HouseholdSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors(form=form) as attempt:
            user = accounts.create_household(
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                password=data["password"],
                postcode=data["postcode"],
                household_size=data["household_size"],
                birth_date=data["birth_date"],
            )
            duplicates.record_fingerprint(user)
        if attempt.ok:
            login(request, user, backend=BACKEND)
            return redirect("eligibility:questionnaire")
    return render(request, "eligibility/signup.html", {"form": form})


def code_login(request):
    form = CodeLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors(form=form, field="code") as attempt:
            code = sign_in_codes.sign_in_with_code(
                code=form.cleaned_data["code"], client_key=_client_key(request)
            )
        if attempt.ok:
            login(request, code.user, backend=BACKEND)
            # The session is bound to the code (and its mandate): see SignInCodeSessionMiddleware.
            request.session[CODE_SESSION_KEY] = code.pk
            return redirect("eligibility:dashboard")
    return render(request, "eligibility/code_login.html", {"form": form})


def _household_evidence_choices(programme):
    choices = []
    if programme.accepts(Evidence.DOCUMENT):
        choices.append(Evidence.DOCUMENT)
    if programme.accepts(Evidence.API_PARTICULIER) and api_particulier.is_configured(programme):
        choices.append(Evidence.API_PARTICULIER)
    if programme.accepts(Evidence.DECLARATION):
        choices.append(Evidence.DECLARATION)
    return choices


@login_required
def questionnaire(request):
    """One question per screen; answers kept in the session; works without JavaScript."""
    household = _household_or_404(request.user)
    try:
        programme = decisions.household_programme(household)
    except DomainError as exc:
        return render(request, "eligibility/no_programme.html", {"message": exc.message})
    if request.GET.get("recommencer"):
        request.session.pop(SESSION_KEY, None)
        return redirect("eligibility:questionnaire")
    state = request.session.get(SESSION_KEY) or {"step": "aids"}
    step = state["step"]
    evidence_choices = _household_evidence_choices(programme)
    form = None
    files = request.FILES if request.method == "POST" else None
    data = request.POST if request.method == "POST" and request.POST.get("step") == step else None

    if step == "aids":
        form = AidStepForm(data, programme=programme)
        if data is not None and form.is_valid():
            state["aids"] = form.cleaned_data["aids"]
            qf_possible = Criterion.QUOTIENT_FAMILIAL in programme.criteria
            state["step"] = "qf" if not state["aids"] and qf_possible else "evidence"
            if not state["aids"] and not qf_possible:
                state["step"] = "decide"
    elif step == "qf":
        form = QuotientStepForm(data)
        if data is not None and form.is_valid():
            state["qf"] = form.cleaned_data["quotient_familial_eur"]
            state["step"] = "evidence" if state["qf"] is not None else "decide"
    elif step == "evidence":
        form = EvidenceStepForm(data, choices=evidence_choices)
        if data is not None and form.is_valid():
            state["evidence"] = form.cleaned_data["evidence"]
            state["step"] = {
                Evidence.DOCUMENT: "document",
                Evidence.API_PARTICULIER: "identity",
            }.get(state["evidence"], "decide")
    elif step == "document":
        form = DocumentForm(data, files)
        if data is not None and form.is_valid():
            with domain_errors(form=form, field="file") as attempt:
                decision = documents.upload_document(
                    household=household,
                    uploaded_by=household,
                    criteria=_answered_criteria(state),
                    quotient_familial_eur=state.get("qf"),
                    upload=form.cleaned_data["file"],
                )
            if attempt.ok:
                request.session.pop(SESSION_KEY, None)
                return redirect("eligibility:decision", pk=decision.pk)
    elif step == "identity":
        form = IdentityForm(data)
        if data is not None and form.is_valid():
            identity = api_particulier.Identity(
                birth_name=form.cleaned_data["birth_name"],
                first_names=form.cleaned_data["first_names"].split(),
                birth_date=form.cleaned_data["birth_date"],
                sex=form.cleaned_data["sex"],
                birth_country_code=form.cleaned_data["birth_country_code"],
                birth_commune_code=form.cleaned_data["birth_commune_code"],
            )
            with domain_errors(form=form) as attempt:
                decision = decisions.decide_for_household(
                    household=household,
                    author=household,
                    criteria=_answered_criteria(state),
                    evidence=Evidence.API_PARTICULIER,
                    identity=identity,
                )
            if attempt.ok:
                request.session.pop(SESSION_KEY, None)
                return redirect("eligibility:decision", pk=decision.pk)

    if state["step"] == "decide":
        # Nothing declared (or declaration chosen): the decision is immediate, with its reasons.
        evidence = state.get("evidence") or (
            Evidence.DECLARATION
            if programme.accepts(Evidence.DECLARATION)
            else (evidence_choices or [Evidence.DOCUMENT])[0]
        )
        try:
            decision = decisions.decide_for_household(
                household=household,
                author=household,
                criteria=_answered_criteria(state),
                evidence=evidence,
                quotient_familial_eur=state.get("qf"),
            )
        except DomainError as exc:
            request.session.pop(SESSION_KEY, None)
            return render(request, "eligibility/no_programme.html", {"message": exc.message})
        request.session.pop(SESSION_KEY, None)
        return redirect("eligibility:decision", pk=decision.pk)

    if data is not None and state["step"] != step:
        request.session[SESSION_KEY] = state
        return redirect("eligibility:questionnaire")
    # Questions are numbered along the path this person takes: a skipped question leaves no gap.
    asked = state.setdefault("asked", [])
    if step not in asked:
        asked.append(step)
    request.session[SESSION_KEY] = state
    return render(
        request,
        "eligibility/questionnaire.html",
        {"form": form, "step": step, "step_number": asked.index(step) + 1, "programme": programme},
    )


def _answered_criteria(state) -> list[str]:
    criteria = list(state.get("aids") or [])
    if state.get("qf") is not None:
        criteria.append(Criterion.QUOTIENT_FAMILIAL)
    return criteria


@login_required
def decision_detail(request, pk: int):
    decision = get_object_or_404(
        visible_decisions(request.user).select_related("programme", "author", "author_organisation"), pk=pk
    )
    return render(request, "eligibility/decision.html", {"decision": decision})


@login_required
@require_POST
def revoke_mandate(request, pk: int):
    mandate = get_object_or_404(visible_mandates(request.user), pk=pk)
    mandates.revoke_mandate(mandate=mandate, by=request.user)
    messages.success(request, _("Le mandat est retiré : cette structure ne peut plus agir pour vous."))
    if mandate.household_id == request.user.pk:
        return redirect("eligibility:dashboard")
    return redirect("eligibility:referrer_dashboard")


@login_required
@require_POST
def answer_mandate(request, pk: int, accept: bool):
    """The household accepts or refuses, in its own space, a mandate a referrer asked it for."""
    household = _household_or_404(request.user)
    mandate = get_object_or_404(Mandate.objects.pending().filter(household=household), pk=pk)
    with domain_errors(request) as attempt:
        if accept:
            mandates.accept_mandate(mandate=mandate, household=household)
        else:
            mandates.refuse_mandate(mandate=mandate, household=household)
    if attempt.ok:
        name = mandate.referrer_organisation.name
        if accept:
            messages.success(request, _("Mandat accepté : %(name)s peut agir pour vous.") % {"name": name})
        else:
            messages.success(
                request, _("Mandat refusé : %(name)s ne peut pas agir pour vous.") % {"name": name}
            )
    return redirect("eligibility:dashboard")


# --- Associations ---------------------------------------------------------------------------------------------


def association_signup(request):
    form = AssociationSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors(form=form) as attempt:
            associations.register_association(**data)
        if attempt.ok:
            return render(request, "eligibility/association_registered.html", {"name": data["name"]})
    return render(request, "eligibility/association_signup.html", {"form": form})


# --- Referrers ------------------------------------------------------------------------------------------------


def _referrer_or_404(user):
    if not has_role(user, Role.REFERRER):
        raise Http404
    return user


def _mandated_household(request, pk):
    _referrer_or_404(request.user)
    return get_object_or_404(
        visible_households(request.user).exclude(pk=request.user.pk).select_related("household"), pk=pk
    )


@login_required
def referrer_dashboard(request):
    referrer = _referrer_or_404(request.user)
    organisations = referrer_organisations(referrer)
    households = (
        visible_households(referrer).exclude(pk=referrer.pk).select_related("household").order_by("last_name")
    )
    mandate_ends = dict(
        Mandate.objects.active()
        .filter(referrer_organisation__in=organisations, household__in=households)
        .values("household")
        .annotate(end=Max("expires_at"))
        .values_list("household", "end")
    )
    rows = [
        (
            household,
            decisions.latest_decision(household),
            mandate_ends.get(household.pk),
            mandates.mandate_ends_soon(mandate_ends.get(household.pk)),
        )
        for household in households
    ]
    # Households whose mandate with us ended or was withdrawn: a new one can be recorded with their consent.
    latest = Mandate.objects.filter(
        household=OuterRef("pk"), referrer_organisation__in=organisations
    ).order_by("-created", "-pk")
    ended = (
        renewable_households(referrer)
        .exclude(pk__in=households.values("pk"))
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
            "organisations": organisations,
            "accredited": accredited_organisations(referrer).exists(),
        },
    )


@login_required
def referrer_household_create(request):
    referrer = _referrer_or_404(request.user)
    warned = request.POST.get("lookalikes_shown") == "1"
    form = ReferrerHouseholdForm(request.POST or None, lookalikes_shown=warned)
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
            form = ReferrerHouseholdForm(request.POST, lookalikes_shown=True)
            form.is_valid()
            followed = set(visible_households(referrer).values_list("pk", flat=True))
            return render(
                request,
                "eligibility/referrer_household_form.html",
                {"form": form, "lookalikes": [(person, person.pk in followed) for person in lookalikes]},
            )
        with domain_errors(form=form) as attempt:
            household, _mandate = households.create_household_under_mandate(
                referrer=referrer,
                first_name=data["first_name"],
                last_name=data["last_name"],
                birth_date=data["birth_date"],
                postcode=data["postcode"],
                household_size=data["household_size"],
                email=data["email"] or None,
                **form.mandate_terms(),
            )
        if attempt.ok:
            messages.success(request, _("Le compte et le mandat sont enregistrés."))
            return redirect("eligibility:referrer_household", pk=household.pk)
    return render(request, "eligibility/referrer_household_form.html", {"form": form, "lookalikes": []})


@login_required
def referrer_household(request, pk: int):
    household = _mandated_household(request, pk)
    held = visible_mandates(request.user).filter(household=household).select_related("referrer_organisation")
    current = mandates.current_mandate(referrer=request.user, household=household)
    return render(
        request,
        "eligibility/referrer_household.html",
        {
            "household": household,
            "has_own_credentials": has_own_credentials(household),
            "pending_request": mandates.pending_request(referrer=request.user, household=household),
            "decision": decisions.latest_decision(household),
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


@login_required
def referrer_attest(request, pk: int):
    household = _mandated_household(request, pk)
    try:
        programme = decisions.household_programme(household)
    except DomainError as exc:
        return render(request, "eligibility/no_programme.html", {"message": exc.message})
    form = AttestationForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        with domain_errors(form=form) as attempt:
            decision = decisions.attest(
                referrer=request.user,
                household=household,
                criteria=form.cleaned_data["criteria"],
                quotient_familial_eur=form.cleaned_data["quotient_familial_eur"],
                priorities=form.cleaned_data["priorities"],
            )
        if attempt.ok:
            return redirect("eligibility:decision", pk=decision.pk)
    return render(
        request,
        "eligibility/referrer_attest.html",
        {"form": form, "household": household, "programme": programme},
    )


@login_required
@require_POST
def referrer_sign_in_code(request, pk: int):
    household = _mandated_household(request, pk)
    try:
        issued = sign_in_codes.issue_sign_in_code(referrer=request.user, household=household)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("eligibility:referrer_household", pk=household.pk)
    response = render(
        request,
        "eligibility/sign_in_code.html",
        {
            "household": household,
            "code": issued.code,
            "mandate": issued.mandate,
            "notices": issued.notices,
            "login_url": request.build_absolute_uri(reverse("eligibility:code_login")),
            "valid_days": sign_in_codes.SIGN_IN_CODE_VALIDITY_DAYS,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def referrer_mandate_print(request, pk: int):
    mandate = get_object_or_404(
        visible_mandates(request.user)
        .exclude(household=request.user)
        .select_related("household", "referrer_organisation", "consent_recorded_by"),
        pk=pk,
    )
    _referrer_or_404(request.user)
    return render(request, "eligibility/mandate_print.html", {"mandate": mandate})


@login_required
def referrer_document(request, pk: int):
    """A referrer sends a proof for staff to review, for a household that cannot do it alone."""
    household = _mandated_household(request, pk)
    try:
        programme = decisions.household_programme(household)
    except DomainError as exc:
        return render(request, "eligibility/no_programme.html", {"message": exc.message})
    form = ReferrerDocumentForm(request.POST or None, request.FILES or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        with domain_errors(form=form, field="file") as attempt:
            decision = documents.upload_document(
                household=household,
                uploaded_by=request.user,
                criteria=form.cleaned_data["criteria"],
                quotient_familial_eur=form.cleaned_data["quotient_familial_eur"],
                upload=form.cleaned_data["file"],
            )
        if attempt.ok:
            return redirect("eligibility:decision", pk=decision.pk)
    return render(
        request,
        "eligibility/referrer_document.html",
        {"form": form, "household": household, "programme": programme},
    )
