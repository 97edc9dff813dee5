"""The household's own pages under /eligibilite/: its space, the questionnaire, its decisions and mandates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reuse.accounts.enums import Role
from reuse.eligibility import api_particulier
from reuse.eligibility.enums import Criterion, Evidence
from reuse.eligibility.forms import (
    AidStepForm,
    DocumentForm,
    EvidenceStepForm,
    IdentityForm,
    QuotientStepForm,
)
from reuse.eligibility.models import Mandate
from reuse.eligibility.services import decisions, documents, mandates
from reuse.errors import DomainError, NotFound
from reuse.policy.accounts import has_role
from reuse.policy.eligibility import (
    decision_summary_only,
    visible_decisions,
    visible_journal,
    visible_mandates,
)
from reuse.policy.mandates import code_session
from reuse.programmes import services as programmes
from reuse.views import domain_errors

SESSION_KEY = "eligibility_questionnaire"
# The decision the questionnaire last ended on, for an answer that comes again once it has ended.
DONE_KEY = "eligibility_questionnaire_done"


def _household_or_404(user):
    if not has_role(user, Role.HOUSEHOLD):
        raise Http404
    return user


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
            "summary_only": decision_summary_only(household, decision),
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
    if request.method == "GET":
        request.session.pop(DONE_KEY, None)
    elif data is None and DONE_KEY in request.session and SESSION_KEY not in request.session:
        # The last answer sent again (a phone resending after a timeout, the back button): it was taken, and
        # the decision says what came of it; starting the questions over would read as if it had been lost.
        messages.info(request, _("Vos réponses sont déjà enregistrées : voici ce qui a été décidé."))
        return redirect("eligibility:decision", pk=request.session[DONE_KEY])

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
                return _finished(request, decision)
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
                return _finished(request, decision)

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
        return _finished(request, decision)

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


def _finished(request, decision):
    request.session.pop(SESSION_KEY, None)
    request.session[DONE_KEY] = decision.pk
    return redirect("eligibility:decision", pk=decision.pk)


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
    with domain_errors(request) as attempt:
        mandates.revoke_mandate(mandate=mandate, by=request.user)
    if attempt.ok:
        messages.success(request, _("Le mandat est retiré : cette structure ne peut plus agir pour vous."))
    if mandate.household_id == request.user.pk:
        return redirect("eligibility:dashboard")
    return redirect("eligibility:referrer_dashboard")


def _answered(mandate, accept: bool) -> bool:
    """Whether the request was already answered as `accept` says: accepted (and not withdrawn since), or refused."""
    if accept:
        return mandate.consented_at is not None and mandate.revoked_at is None
    return mandate.consented_at is None and mandate.revoked_at is not None


@login_required
@require_POST
def answer_mandate(request, pk: int, accept: bool):
    """The household accepts or refuses, in its own space, a mandate a referrer asked it for."""
    household = _household_or_404(request.user)
    # Any request of theirs, answered or not: the service says when one no longer waits for an answer.
    mandate = get_object_or_404(Mandate.objects.filter(household=household), pk=pk)
    answer = mandates.accept_mandate if accept else mandates.refuse_mandate
    with domain_errors(request) as attempt:
        try:
            answer(mandate=mandate, household=household)
        except NotFound:
            mandate.refresh_from_db()
            if not _answered(mandate, accept):
                raise
            # Sent again (a double tap, a phone resending): the browser shows this answer only, so it says
            # what the first one did.
    if attempt.ok:
        name = mandate.referrer_organisation.name
        if accept:
            messages.success(request, _("Mandat accepté : %(name)s peut agir pour vous.") % {"name": name})
        else:
            messages.success(
                request, _("Mandat refusé : %(name)s ne peut pas agir pour vous.") % {"name": name}
            )
    return redirect("eligibility:dashboard")
