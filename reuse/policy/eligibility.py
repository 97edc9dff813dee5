"""Who sees what of eligibility: a household itself, a referrer the households under an active mandate of one
of its organisations, staff everything. Donors and workshops see nothing of it."""

import operator
from functools import reduce

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from reuse.accounts.enums import OrganisationKind, Role
from reuse.accounts.models import User
from reuse.eligibility.enums import JournalAction, MandateScope
from reuse.eligibility.models import (
    EligibilityDecision,
    EligibilityDocument,
    Mandate,
    MandateJournalEntry,
    QuestionnaireDraft,
)
from reuse.policy.accounts import has_role, is_staff, organisations_of_kind
from reuse.policy.mandates import households_covered, running_mandates, session_allows, session_scope_or_404


def referrer_organisations(user: User):
    return organisations_of_kind(user, OrganisationKind.REFERRER)


def visible_mandates(user: User):
    if not user.is_authenticated:
        return Mandate.objects.none()
    if sees_all_eligibility(user):
        return Mandate.objects.all()
    return Mandate.objects.filter(
        Q(household=user) | Q(referrer_organisation__in=referrer_organisations(user))
    ).distinct()


def visible_households(user: User):
    """Users with a household profile that `user` may see: themselves, and the households they follow."""
    households = User.objects.filter(household__isnull=False)
    if not user.is_authenticated:
        return households.none()
    if sees_all_eligibility(user):
        return households
    return households.filter(Q(pk=user.pk) | Q(pk__in=followed_households(user).values("pk")))


def own_household(user: User, *, scope: str | None = None) -> User:
    """The signed-in household acting on its own account, in `scope` when given; 404 for anyone else, and in a
    session opened with a printed code whose mandate does not cover `scope` (session_scope_or_404)."""
    if not has_role(user, Role.HOUSEHOLD):
        raise Http404
    if scope is not None:
        session_scope_or_404(user, scope)
    return user


def visible_drafts(user: User):
    """The questionnaire answers under way that `user` reads: their own, in a session that covers eligibility (the
    aids ticked tell as much as a decision's criteria, visible_decisions)."""
    if not user.is_authenticated or not session_allows(user, MandateScope.ELIGIBILITY):
        return QuestionnaireDraft.objects.none()
    return QuestionnaireDraft.objects.filter(household=user)


def followed_households(user: User, scope: str | None = None):
    """The households a referrer acts for now: those under a running mandate of one of their accredited referrer
    organisations (reuse.policy.mandates.running_mandates), never themselves; with `scope`, only those whose
    running mandate covers it.

    Every referrer page, API operation and printout that names a household reads this: once the mandate ends or
    the household withdraws it, the household and everything of it are a 404 to the referrer. Those acting on
    one scope (attesting, a proof, the territory: eligibility) give it, so that a mandate for the other scope
    alone is a 404 too (get_followed_household)."""
    if not user.is_authenticated or not has_role(user, Role.REFERRER):
        return User.objects.none()
    return User.objects.filter(
        household__isnull=False, pk__in=running_mandates(user, scope=scope).values("household")
    ).exclude(pk=user.pk)


def get_followed_household(user: User, pk, *, scope: str | None = None) -> User:
    """The household `pk` that `user` acts for in `scope` (any, without one), with its profile; 404 otherwise,
    before anything of it is shown or any form of it checked."""
    household = followed_households(user, scope).select_related("household").filter(pk=pk).first()
    if household is None:
        raise Http404
    return household


def followed_mandates(user: User):
    """The mandates, current, ended, withdrawn or still asked, that a referrer reads and prints: those held by one of
    their organisations for a household that this same organisation acts for now (followed_households). Once no
    mandate of the organisation runs for the household, none of them is shown any more."""
    running = running_mandates(user).filter(
        household=OuterRef("household"), referrer_organisation=OuterRef("referrer_organisation")
    )
    return Mandate.objects.filter(Exists(running)).exclude(household=user.pk)


def renewable_households(user: User):
    """Households for which a referrer organisation of `user` holds or held a mandate (active, ended or revoked):
    its members may record a new mandate for them. Only referrers: staff do not act for households. An account
    closed or deactivated is brought back by nobody."""
    households = User.objects.filter(household__isnull=False, is_active=True)
    if not user.is_authenticated or not has_role(user, Role.REFERRER):
        return households.none()
    held = Mandate.objects.filter(referrer_organisation__in=referrer_organisations(user))
    return households.filter(pk__in=held.values("household")).exclude(pk=user.pk)


def visible_decisions(user: User):
    """Decisions `user` may read in full (criteria, grounds, reasons, evidence, the decision's page, the offers it
    opens, GET /api/v1/eligibility/{id}): the household's own, its association's, staff all, and a referrer those
    of the households it acts for under a running mandate covering eligibility.

    A referrer whose mandate covers claims only reads none: data minimisation (a criterion such as the AAH tells a
    disability). It learns what a claim needs, whether the household is eligible, until when and for which
    programme, from decision_summary_only. So does a session opened with a sign-in code printed under such a
    mandate (the referrer who printed it may be the one typing it): the household's own decisions are read in
    full only in a session that covers eligibility (reuse.policy.mandates.session_allows)."""
    if not user.is_authenticated:
        return EligibilityDecision.objects.none()
    if sees_all_eligibility(user):
        return EligibilityDecision.objects.all()
    mine = Q(beneficiary_organisation__in=organisations_of_kind(user, OrganisationKind.ASSOCIATION))
    if session_allows(user, MandateScope.ELIGIBILITY):
        mine |= Q(beneficiary=user)
    if has_role(user, Role.REFERRER):
        mine |= Q(beneficiary__in=households_covered(user, MandateScope.ELIGIBILITY))
    return EligibilityDecision.objects.filter(mine)


def decision_summary_only(user: User, decision: EligibilityDecision | None) -> bool:
    """Whether `user` is shown only the summary of `decision` (eligible or not, until when, for which programme):
    a referrer following the household under a mandate that does not cover eligibility (visible_decisions)."""
    if decision is None:
        return False
    if decision.beneficiary_id == user.pk and session_allows(user, MandateScope.ELIGIBILITY):
        return (
            False  # the household's own decision, in a session that covers it: read in full, asked of nobody
        )
    return not visible_decisions(user).filter(pk=decision.pk).exists()


# The journal entries that tell what was done in one scope: a decision and its criteria, a claim and its device.
JOURNAL_SCOPES = {
    MandateScope.ELIGIBILITY: (JournalAction.ATTESTATION, JournalAction.DOCUMENT_UPLOADED),
    MandateScope.CLAIMS: (JournalAction.CLAIM,),
}


def visible_journal(user: User):
    """The mandate journal entries `user` reads: a household its own, a referrer its organisations', staff all.

    An entry telling what was done in a scope (JOURNAL_SCOPES) is read only where that scope is covered: by the
    household in a session that covers it (a session opened with a printed code under a narrower mandate may be
    its referrer's), by a referrer for a household it acts for now in that scope."""
    if not user.is_authenticated:
        return MandateJournalEntry.objects.none()
    if sees_all_eligibility(user):
        return MandateJournalEntry.objects.all()
    entries = MandateJournalEntry.objects.filter(
        Q(household=user) | Q(organisation__in=referrer_organisations(user))
    )
    is_referrer = has_role(user, Role.REFERRER)  # only a referrer acts for others: asked of nobody else
    for scope, actions in JOURNAL_SCOPES.items():
        covered = [Q(household__in=households_covered(user, scope))] if is_referrer else []
        if session_allows(user, scope):
            covered.append(Q(household=user))
        if not covered:
            entries = entries.exclude(action__in=actions)
            continue
        entries = entries.exclude(Q(action__in=actions) & ~reduce(operator.or_, covered))
    return entries


def can_review_documents(user: User) -> bool:
    """Coordinators and Reviewers: staff with the review permission (Wagtail groups)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("eligibility.review_eligibilitydocument")
    )


def sees_all_eligibility(user: User) -> bool:
    return is_staff(user) or can_review_documents(user)


def visible_documents(user: User):
    """Only reviewing staff ever open a document; the household sees that it was sent through its decision."""
    if can_review_documents(user):
        return EligibilityDocument.objects.all()
    return EligibilityDocument.objects.none()
