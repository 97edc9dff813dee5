"""The household's own pages under /eligibilite/: its space, its decisions and mandates (the questionnaire is in
questionnaire.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reuse.eligibility.enums import MandateScope
from reuse.eligibility.models import Mandate
from reuse.eligibility.services import decisions, mandates
from reuse.errors import NotFound
from reuse.policy.eligibility import (
    decision_summary_only,
    own_household,
    visible_decisions,
    visible_journal,
    visible_mandates,
)
from reuse.policy.mandates import code_session, session_allows
from reuse.programmes import services as programmes
from reuse.views import domain_errors

# --- Household ------------------------------------------------------------------------------------------------


@login_required
def dashboard(request):
    household = own_household(request.user)
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
            # A code printed under a mandate for claims only does not open the questionnaire.
            "may_answer": session_allows(household, MandateScope.ELIGIBILITY),
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
    household = own_household(request.user)
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
