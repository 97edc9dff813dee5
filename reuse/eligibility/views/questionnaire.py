"""The household's eligibility questionnaire: one question per screen, each at its own address (`?etape=`), so that
the browser's Back and the page's « Retour » lead to the previous question with its answer. The answers are kept
on the household's account while it is under way (services/drafts.py), so that a session that ends mid-way (a
phone locked a long while, a browser killed to free memory) loses nothing; works without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from reuse.eligibility import api_particulier
from reuse.eligibility.enums import Criterion, Evidence, MandateScope
from reuse.eligibility.forms import (
    AidStepForm,
    DocumentForm,
    EvidenceStepForm,
    IdentityForm,
    QuotientStepForm,
)
from reuse.eligibility.services import decisions, documents, drafts
from reuse.policy.eligibility import own_household
from reuse.views import KEPT_FORM_KEY, domain_errors, kept_typed

# This session was told its answers were taken up again (told once per session).
SESSION_KEY = "eligibility_questionnaire"
# The decision the questionnaire last ended on, for an answer that comes again once it has ended.
DONE_KEY = "eligibility_questionnaire_done"
FIRST = "aids"
# The questions whose answers are kept; the last screens (a document, an identity) are sent, never kept.
KEPT_STEPS = ("aids", "qf", "evidence")


def _evidence_choices(programme):
    choices = []
    if programme.accepts(Evidence.DOCUMENT):
        choices.append(Evidence.DOCUMENT)
    if programme.accepts(Evidence.API_PARTICULIER) and api_particulier.is_configured(programme):
        choices.append(Evidence.API_PARTICULIER)
    if programme.accepts(Evidence.DECLARATION):
        choices.append(Evidence.DECLARATION)
    return choices


def _next_step(step: str, answers: dict, programme) -> str:
    """The question after `step` given its answer; « decide » when the decision can be made at once."""
    if step == "aids":
        if answers["aids"]:
            return "evidence"
        return "qf" if Criterion.QUOTIENT_FAMILIAL in programme.criteria else "decide"
    if step == "qf":
        return "evidence" if answers["qf"] is not None else "decide"
    return {Evidence.DOCUMENT: "document", Evidence.API_PARTICULIER: "identity"}.get(
        answers["evidence"], "decide"
    )


def _step_url(step: str) -> str:
    return f"{reverse('eligibility:questionnaire')}?etape={step}"


def _form(step, data, files, programme, initial=None):
    initial = initial or {}
    if step == "aids":
        return AidStepForm(data, initial=initial, programme=programme)
    if step == "qf":
        return QuotientStepForm(data, initial=initial)
    if step == "evidence":
        return EvidenceStepForm(data, initial=initial, choices=_evidence_choices(programme))
    if step == "document":
        return DocumentForm(data, files)
    return IdentityForm(data)


def _initial(step: str, answers: dict) -> dict:
    """The answer given before to `step`, as its form's initial values."""
    if step not in answers:
        return {}
    if step == "aids":
        return {"aids": answers["aids"]}
    if step == "qf":
        return {"quotient_familial_eur": answers["qf"], "unknown": answers["qf"] is None}
    return {"evidence": answers["evidence"]}


def _answer(step: str, cleaned: dict):
    return {"aids": cleaned.get("aids"), "qf": cleaned.get("quotient_familial_eur")}.get(
        step, cleaned.get("evidence")
    )


@login_required
def questionnaire(request):
    # Answering is acting on eligibility: a session opened with a code under a claims-only mandate finds nothing.
    household = own_household(request.user, scope=MandateScope.ELIGIBILITY)
    with domain_errors() as attempt:
        programme = decisions.household_programme(household)
    if not attempt.ok:
        return render(request, "eligibility/no_programme.html", {"message": attempt.error.message})
    if request.method == "POST" and request.POST.get("recommencer"):
        drafts.forget_draft(household)
        return redirect(_step_url(FIRST))
    draft = drafts.load_draft(household, programme)
    answers, path = (draft.answers, draft.path) if draft else ({}, [FIRST])
    if request.method != "POST":
        return _show(request, programme, draft, answers, path)

    step = request.POST.get("step")
    if step not in path:
        if DONE_KEY in request.session and draft is None:
            # The last answer sent again (a phone resending after a timeout, the back button): it was taken, and
            # the decision says what came of it; starting the questions over would read as if it had been lost.
            messages.info(request, _("Vos réponses sont déjà enregistrées : voici ce qui a été décidé."))
            return redirect("eligibility:decision", pk=request.session[DONE_KEY])
        return redirect(_step_url(path[-1]))
    # Sent from a question answered before (Back, « Retour », a double tap): the path goes on from there.
    path = path[: path.index(step) + 1]
    form = _form(step, request.POST, request.FILES, programme)
    if form.is_valid():
        if step in KEPT_STEPS:
            answers = {**answers, step: _answer(step, form.cleaned_data)}
            following = _next_step(step, answers, programme)
            if following != "decide":
                drafts.save_draft(household, programme, answers=answers, path=[*path, following])
                request.session[SESSION_KEY] = True
                return redirect(_step_url(following))
            return _decide(request, household, programme, answers, path)
        decision = _send(form, step, household, answers, path)
        if decision is not None:
            return _finished(request, household, decision)
    return _page(request, form, step, path, programme)


def _show(request, programme, draft, answers, path):
    if request.GET.get("etape") not in path:
        # The questionnaire's address, or a question not reached yet: the question the person is at.
        return redirect(_step_url(path[-1]))
    step = request.GET["etape"]
    request.session.pop(DONE_KEY, None)
    if draft is not None and not request.session.get(SESSION_KEY):
        request.session[SESSION_KEY] = True
        messages.info(
            request,
            _("Nous avions gardé vos réponses : vous reprenez où vous en étiez. « Recommencer » les efface."),
        )
    initial = _initial(step, answers)
    # What was typed on this very question as the session ended (never a file: the document screen has none), given
    # back once; what was typed on another question waits for that one.
    typed_on = request.session.get(KEPT_FORM_KEY, {}).get("data", {}).get("step")
    if typed_on == [step] and step != "document":
        initial = kept_typed(request) or initial
    return _page(request, _form(step, None, None, programme, initial), step, path, programme)


def _page(request, form, step, path, programme):
    index = path.index(step)
    return render(
        request,
        "eligibility/questionnaire.html",
        {
            "form": form,
            "step": step,
            "step_number": index + 1,
            "programme": programme,
            "back_url": _step_url(path[index - 1]) if index else None,
            "draft_days": drafts.DRAFT_DAYS,
        },
    )


def _send(form, step, household, answers, path):
    """The last screen's answer (a document, an identity) sent: the decision, or None with the form's error."""
    criteria = _answered_criteria(answers, path)
    with domain_errors(form=form, field="file" if step == "document" else None):
        if step == "document":
            return documents.upload_document(
                household=household,
                uploaded_by=household,
                criteria=criteria,
                quotient_familial_eur=_answered_qf(answers, path),
                upload=form.cleaned_data["file"],
            )
        identity = api_particulier.Identity(
            birth_name=form.cleaned_data["birth_name"],
            first_names=form.cleaned_data["first_names"].split(),
            birth_date=form.cleaned_data["birth_date"],
            sex=form.cleaned_data["sex"],
            birth_country_code=form.cleaned_data["birth_country_code"],
            birth_commune_code=form.cleaned_data["birth_commune_code"],
        )
        return decisions.decide_for_household(
            household=household,
            author=household,
            criteria=criteria,
            evidence=Evidence.API_PARTICULIER,
            identity=identity,
        )
    return None


def _decide(request, household, programme, answers, path):
    """Nothing declared (or declaration chosen): the decision is immediate, with its reasons."""
    evidence_choices = _evidence_choices(programme)
    evidence = (answers.get("evidence") if "evidence" in path else None) or (
        Evidence.DECLARATION
        if programme.accepts(Evidence.DECLARATION)
        else (evidence_choices or [Evidence.DOCUMENT])[0]
    )
    with domain_errors() as attempt:
        decision = decisions.decide_for_household(
            household=household,
            author=household,
            criteria=_answered_criteria(answers, path),
            evidence=evidence,
            quotient_familial_eur=_answered_qf(answers, path),
        )
    if not attempt.ok:
        drafts.forget_draft(household)
        return render(request, "eligibility/no_programme.html", {"message": attempt.error.message})
    return _finished(request, household, decision)


def _finished(request, household, decision):
    drafts.forget_draft(household)
    request.session.pop(SESSION_KEY, None)
    request.session[DONE_KEY] = decision.pk
    return redirect("eligibility:decision", pk=decision.pk)


def _answered_qf(answers, path) -> int | None:
    """The quotient familial, when the question was on the path taken (an aid ticked since skips it)."""
    return answers.get("qf") if "qf" in path else None


def _answered_criteria(answers, path) -> list[str]:
    criteria = list(answers.get("aids") or [])
    if _answered_qf(answers, path) is not None:
        criteria.append(Criterion.QUOTIENT_FAMILIAL)
    return criteria
