"""Eligibility decisions: the rules a programme applies, the decision for a household (its own answers, a
referrer's attestation, API Particulier), renewal reminders. The lookups at the top are what the claims side
relies on."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse import bounds, places
from reuse.accounts import services as accounts
from reuse.accounts.counters import count_up
from reuse.accounts.models import Organisation, User
from reuse.accounts.privacy import lock_open_account
from reuse.eligibility import journal_facts
from reuse.eligibility.api_particulier import ApiParticulierClient
from reuse.eligibility.enums import (
    Criterion,
    DecisionStatus,
    Evidence,
    JournalAction,
    MandateScope,
    PrioritySituation,
)
from reuse.eligibility.models import (
    EligibilityDecision,
    MandateJournalEntry,
    ReferrerAccreditation,
)
from reuse.eligibility.models.decisions import decision_place
from reuse.eligibility.reasons import reason
from reuse.eligibility.services import duplicates
from reuse.errors import Forbidden, InvalidInput, NotFound
from reuse.policy.mandates import acting_mandate, running_mandates
from reuse.programmes.models import Programme
from reuse.programmes.services import programme_for_department

PARIS = ZoneInfo("Europe/Paris")
# API Particulier tells whether a person receives a benefit: a household checks its own rights, a few times a
# day at most (a mistyped identity, a second criterion), never a stream of other people's identities.
API_PARTICULIER_CHECKS_PER_DAY = 3
API_PARTICULIER_WINDOW_SECONDS = 24 * 60 * 60
REMINDER_DAYS_BEFORE_EXPIRY = 30


def valid_decision_for(*, user: User | None = None, organisation: Organisation | None = None, at=None):
    """The decision that currently makes a household (user) or an association (organisation) eligible."""
    decisions = EligibilityDecision.objects.valid(at or timezone.now()).filter(replaced_by__isnull=True)
    if user is not None:
        decisions = decisions.filter(beneficiary=user)
    elif organisation is not None:
        decisions = decisions.filter(beneficiary_organisation=organisation)
    else:
        return None
    return decisions.order_by("-created").first()


# --- Rules --------------------------------------------------------------------------------------------------


def expiry_for(programme: Programme, at=None, place=None) -> datetime:
    """An eligible decision counts until the end of the same day, N months later, where its beneficiary lives
    (reuse.places: Europe/Paris, or La Réunion's, Guadeloupe's… time; `place` a household or an organisation)."""
    zone = places.zone_of(decision_place(place))
    today = timezone.localdate(at or timezone.now(), zone)
    last_day = today + relativedelta(months=programme.decision_validity_months)
    return datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=zone)


def latest_decision(user: User) -> EligibilityDecision | None:
    return (
        EligibilityDecision.objects.filter(beneficiary=user, replaced_by__isnull=True)
        # Its last valid day is counted in the household's département's time (reuse.places).
        .select_related("beneficiary__household")
        .order_by("-created")
        .first()
    )


def latest_decisions(users) -> dict[int, EligibilityDecision]:
    """latest_decision of each of `users` (a queryset or list of users), by user id, in one query: a referrer's
    list of the households it follows reads them all."""
    found = {}
    decisions = EligibilityDecision.objects.filter(beneficiary__in=users, replaced_by__isnull=True)
    # With each household's profile: its last valid day is counted in its département's time (reuse.places).
    related = decisions.select_related("programme", "beneficiary__household")
    for decision in related.order_by("beneficiary", "-created"):
        found.setdefault(decision.beneficiary_id, decision)
    return found


def eligibility_ending(people, at=None):
    """`people` (a User queryset) whose eligibility ended or ends within REMINDER_DAYS_BEFORE_EXPIRY (renewal_due
    of their latest decision, read by the database), each with its `eligibility_end`."""
    at = at or timezone.now()
    latest = EligibilityDecision.objects.filter(
        beneficiary=OuterRef("pk"), replaced_by__isnull=True, status=DecisionStatus.ELIGIBLE
    ).order_by("-created", "-pk")
    return people.annotate(eligibility_end=Subquery(latest.values("expires_at")[:1])).filter(
        eligibility_end__lte=at + timedelta(days=REMINDER_DAYS_BEFORE_EXPIRY)
    )


def renewal_due(decision: EligibilityDecision | None, at=None) -> bool:
    at = at or timezone.now()
    return bool(
        decision
        and decision.status == DecisionStatus.ELIGIBLE
        and decision.expires_at - timedelta(days=REMINDER_DAYS_BEFORE_EXPIRY) <= at
    )


def clean_priorities(priorities) -> list[str]:
    priorities = list(dict.fromkeys(priorities or []))
    unknown = [code for code in priorities if code not in PrioritySituation.values]
    if unknown:
        raise InvalidInput(
            _("Situation prioritaire inconnue : %(codes)s.") % {"codes": ", ".join(unknown)}, code="invalid"
        )
    return priorities


def clean_criteria(criteria) -> list[str]:
    criteria = list(dict.fromkeys(criteria or []))
    unknown = [code for code in criteria if code not in Criterion.values]
    if unknown:
        raise InvalidInput(_("Critère inconnu : %(codes)s.") % {"codes": ", ".join(unknown)}, code="invalid")
    return criteria


def evaluate(
    *, programme: Programme, criteria, quotient_familial_eur=None
) -> tuple[str, list[str], list[str]]:
    """Which of the declared criteria the programme retains, and why (reason codes, see reasons.py)."""
    matched, reasons = [], []
    for code in criteria:
        if code not in (programme.criteria or []):
            reasons.append(reason("criterion_not_in_programme", criterion=code, programme=programme.name))
        elif code == Criterion.QUOTIENT_FAMILIAL:
            ceiling = programme.quotient_familial_max_eur
            if quotient_familial_eur is None:
                reasons.append(reason("quotient_missing"))
            elif ceiling is not None and quotient_familial_eur <= ceiling:
                matched.append(code)
                reasons.append(reason("quotient_within", qf=quotient_familial_eur, max=ceiling))
            else:
                reasons.append(reason("quotient_above", qf=quotient_familial_eur, max=ceiling))
        else:
            matched.append(code)
            reasons.append(reason("criterion_retained", criterion=code, programme=programme.name))
    if not criteria:
        reasons.append(reason("nothing_declared"))
    status = DecisionStatus.ELIGIBLE if matched else DecisionStatus.INELIGIBLE
    return status, matched, reasons


def household_programme(household: User) -> Programme:
    profile = getattr(household, "household", None)
    if profile is None:
        raise NotFound()
    programme = programme_for_department(profile.department)
    if programme is None:
        raise Forbidden(
            _("Aucun programme ne couvre encore votre département (%(dep)s).") % {"dep": profile.department},
            code="no_programme",
        )
    return programme


def replace_previous(decision: EligibilityDecision) -> None:
    """A final decision replaces every earlier open one of the same beneficiary."""
    previous = EligibilityDecision.objects.filter(replaced_by__isnull=True, created__lte=decision.created)
    if decision.beneficiary_id:
        previous = previous.filter(beneficiary_id=decision.beneficiary_id)
    else:
        previous = previous.filter(beneficiary_organisation_id=decision.beneficiary_organisation_id)
    previous.exclude(pk=decision.pk).update(replaced_by=decision)


def create_decision(**fields) -> EligibilityDecision:
    decision = EligibilityDecision(**fields)
    # Whoever gave the quotient (a form, the API, API Particulier's answer), it is kept within its bounds.
    bounds.check(decision, ["quotient_familial_eur"])
    decision.save(force_insert=True)
    if decision.status != DecisionStatus.PENDING:
        replace_previous(decision)
    return decision


def lock_beneficiary(user: User) -> None:
    # Serialise decisions of one household so that two concurrent ones cannot both stay current; one sent while
    # the account closes finds it closed.
    lock_open_account(user)


def notify_decision(decision: EligibilityDecision) -> None:
    if not decision.beneficiary_id or decision.status == DecisionStatus.PENDING:
        return
    household = decision.beneficiary
    if household.email:
        accounts.notify(user=household, template="eligibility_decided", context={"decision": decision})
    elif (
        decision.evidence == Evidence.DOCUMENT
        and decision.mandate_id
        and running_mandates(decision.author, scope=MandateScope.ELIGIBILITY, household=household).exists()
    ):
        # A household without email learns the answer to the proof its referrer sent from that referrer (while
        # the mandate runs): otherwise a refusal, and what to send instead, reaches nobody.
        accounts.notify(
            user=decision.author,
            template="eligibility_decided_for_referrer",
            context={"decision": decision, "household": household},
            about=household,
        )


# --- Decisions for households -------------------------------------------------------------------------------


def _check_own_identity(household: User, identity) -> None:
    """Before API Particulier is asked about `identity`: it is the household's own (its birth date, where the
    account holds one) and the household has checks left today. Every check asked for counts.

    An account created without a birth date (it is optional at sign-up) takes the first identity's: from then on
    the account checks that person's rights only, instead of anyone's a few times a day."""
    profile = getattr(household, "household", None)
    known = profile.birth_date if profile is not None else None
    if known is None and profile is not None:
        profile.birth_date = identity.birth_date
        profile.save(update_fields=["birth_date"])
        duplicates.record_fingerprint(household)
    elif known is not None and identity.birth_date != known:
        raise InvalidInput(
            _(
                "La date de naissance ne correspond pas à celle du compte : la vérification automatique porte "
                "sur la personne du compte. Corrigez-la, ou envoyez un justificatif."
            ),
            code="identity_mismatch",
        )
    done = count_up(f"api-particulier:checks:{household.pk}", API_PARTICULIER_WINDOW_SECONDS)
    if done > API_PARTICULIER_CHECKS_PER_DAY:
        raise Forbidden(
            _(
                "Trop de vérifications automatiques aujourd’hui pour ce foyer : réessayez demain, ou envoyez un "
                "justificatif."
            ),
            code="rate_limited",
        )


@transaction.atomic
def decide_for_household(
    *,
    household: User,
    author: User,
    criteria,
    evidence: str,
    quotient_familial_eur: int | None = None,
    identity=None,
    priorities=(),
) -> EligibilityDecision:
    """Record a decision for a household, acting as itself or as a referrer under a mandate.

    Priority situations (waitlist) are recorded only with an attestation: the referrer checked them with the
    rights. A household never backs its own (staff do, when they accept a document: review_document).
    """
    criteria = clean_criteria(criteria)
    priorities = clean_priorities(priorities)
    if priorities and evidence != Evidence.ATTESTATION:
        raise InvalidInput(
            _(
                "Les situations prioritaires se vérifient : un prescripteur les atteste, ou l’équipe Rebond les "
                "reconnaît sur un justificatif. Elles ne se déclarent pas seules."
            ),
            code="priorities_need_evidence",
        )
    if evidence not in Evidence.values:
        raise InvalidInput(_("Type de justificatif inconnu."))
    if quotient_familial_eur is not None and quotient_familial_eur < 0:
        raise InvalidInput(_("Le quotient familial ne peut pas être négatif."))
    mandate = None
    author_organisation = None
    acting_under = acting_mandate(actor=author, household=household, scope=MandateScope.ELIGIBILITY)
    if author.pk != household.pk:
        mandate = acting_under
        author_organisation = mandate.referrer_organisation
    elif evidence == Evidence.ATTESTATION:
        raise Forbidden(_("Seul un prescripteur accrédité peut attester."), code="not_accredited")
    if (
        evidence == Evidence.ATTESTATION
        and not ReferrerAccreditation.objects.active().filter(organisation=author_organisation).exists()
    ):
        raise Forbidden(
            _("Votre structure n’est pas encore accréditée : l’équipe Rebond doit la vérifier."),
            code="not_accredited",
        )
    programme = household_programme(household)
    if not programme.accepts(evidence):
        raise Forbidden(
            _("Le programme « %(programme)s » n’accepte pas ce type de justificatif.")
            % {"programme": programme.name},
            code="evidence_not_accepted",
        )
    lock_beneficiary(household)
    extra_reasons = []
    if evidence == Evidence.API_PARTICULIER:
        if identity is None:
            raise InvalidInput(_("L’identité de naissance est nécessaire pour la vérification automatique."))
        _check_own_identity(household, identity)
        asked = [code for code in criteria if code in programme.criteria] or list(programme.criteria)
        result = ApiParticulierClient(programme).check_all(asked, identity)
        criteria = result.verified
        quotient_familial_eur = result.quotient_familial_eur
        extra_reasons = result.reasons
    status, matched, reasons = evaluate(
        programme=programme, criteria=criteria, quotient_familial_eur=quotient_familial_eur
    )
    reasons = extra_reasons + reasons
    if evidence == Evidence.DOCUMENT and status == DecisionStatus.ELIGIBLE:
        status = DecisionStatus.PENDING
        reasons.append(reason("document_to_review"))
    decision = create_decision(
        beneficiary=household,
        programme=programme,
        status=status,
        criteria=matched if status != DecisionStatus.INELIGIBLE else criteria,
        priorities=priorities if status == DecisionStatus.ELIGIBLE else [],
        evidence=evidence,
        quotient_familial_eur=quotient_familial_eur,
        reasons=reasons,
        author=author,
        author_organisation=author_organisation,
        mandate=mandate,
        expires_at=expiry_for(programme, place=household) if status == DecisionStatus.ELIGIBLE else None,
    )
    if mandate is not None:
        action = (
            JournalAction.DOCUMENT_UPLOADED if evidence == Evidence.DOCUMENT else JournalAction.ATTESTATION
        )
        MandateJournalEntry.log(
            mandate=mandate,
            actor=author,
            action=action,
            facts=journal_facts.decision(status=decision.status, criteria=decision.criteria),
        )
    notify_decision(decision)
    return decision


def attest(
    *, referrer: User, household: User, criteria, quotient_familial_eur=None, priorities=()
) -> EligibilityDecision:
    """An accredited referrer ticks the criteria (and priority situations) they verified: immediate decision."""
    return decide_for_household(
        household=household,
        author=referrer,
        criteria=criteria,
        evidence=Evidence.ATTESTATION,
        quotient_familial_eur=quotient_familial_eur,
        priorities=priorities,
    )


def send_renewal_reminders(at=None) -> int:
    """Email, once, the households whose decision ends within 30 days."""
    at = at or timezone.now()
    due = EligibilityDecision.objects.valid(at).filter(
        replaced_by__isnull=True,
        reminder_sent_at__isnull=True,
        beneficiary__isnull=False,
        beneficiary__email__isnull=False,
        expires_at__lte=at + timedelta(days=REMINDER_DAYS_BEFORE_EXPIRY),
    )
    sent = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            claimed = EligibilityDecision.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=at
            )
            if not claimed:
                continue
            decision = EligibilityDecision.objects.select_related("beneficiary").get(pk=pk)
            accounts.notify(
                user=decision.beneficiary, template="eligibility_renewal", context={"decision": decision}
            )
            sent += 1
    return sent


def decisions_of(user: User):
    return EligibilityDecision.objects.filter(Q(beneficiary=user)).select_related(
        "programme", "author_organisation"
    )
