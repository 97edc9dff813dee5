"""Eligibility use-cases. The lookups at the top are what the claims side relies on."""

import hashlib
import hmac
import secrets
import unicodedata
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse.accounts import services as accounts
from reuse.accounts.auth import has_own_credentials
from reuse.accounts.enums import OrganisationKind, OrganisationStatus
from reuse.accounts.models import Organisation, User
from reuse.eligibility import documents
from reuse.eligibility.enums import (
    ConsentMethod,
    Criterion,
    DecisionStatus,
    DocumentStatus,
    Evidence,
    JournalAction,
    MandateScope,
    PrioritySituation,
)
from reuse.eligibility.models import (
    AssociationProfile,
    DuplicateFlag,
    EligibilityDecision,
    EligibilityDocument,
    HouseholdFingerprint,
    Mandate,
    MandateJournalEntry,
    ReferrerAccreditation,
    SignInCode,
)
from reuse.eligibility.reasons import is_pending_reason, reason
from reuse.eligibility.transitions import DECISIONS, DOCUMENTS
from reuse.errors import Conflict, Forbidden, InvalidInput, NotFound
from reuse.policy.mandates import acting_mandate, running_mandates
from reuse.programmes.models import Programme
from reuse.programmes.services import programme_for_department

PARIS = ZoneInfo("Europe/Paris")
REMINDER_DAYS_BEFORE_EXPIRY = 30
MANDATE_MAX_MONTHS = 24
MANDATE_RENEWAL_NOTICE_DAYS = 30


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


def active_mandate(*, referrer: User, household: User, scope: str) -> Mandate | None:
    """The mandate under which `referrer` may act for `household` in `scope`, if any (reuse.policy.mandates)."""
    return running_mandates(referrer, scope=scope, household=household).order_by("-created", "-pk").first()


# --- Rules --------------------------------------------------------------------------------------------------


def expiry_for(programme: Programme, at=None) -> datetime:
    """An eligible decision counts until the end of the same day, N months later, in Europe/Paris."""
    today = timezone.localdate(at or timezone.now(), PARIS)
    last_day = today + relativedelta(months=programme.decision_validity_months)
    return datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=PARIS)


def latest_decision(user: User) -> EligibilityDecision | None:
    return (
        EligibilityDecision.objects.filter(beneficiary=user, replaced_by__isnull=True)
        .order_by("-created")
        .first()
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


def _replace_previous(decision: EligibilityDecision) -> None:
    """A final decision replaces every earlier open one of the same beneficiary."""
    previous = EligibilityDecision.objects.filter(replaced_by__isnull=True, created__lte=decision.created)
    if decision.beneficiary_id:
        previous = previous.filter(beneficiary_id=decision.beneficiary_id)
    else:
        previous = previous.filter(beneficiary_organisation_id=decision.beneficiary_organisation_id)
    previous.exclude(pk=decision.pk).update(replaced_by=decision)


def _create_decision(**fields) -> EligibilityDecision:
    decision = EligibilityDecision.objects.create(**fields)
    if decision.status != DecisionStatus.PENDING:
        _replace_previous(decision)
    return decision


def _lock_beneficiary(user: User) -> None:
    # Serialise decisions of one household so that two concurrent ones cannot both stay current.
    User.objects.select_for_update().filter(pk=user.pk).first()


def _notify_decision(decision: EligibilityDecision) -> None:
    if decision.beneficiary_id and decision.status != DecisionStatus.PENDING:
        accounts.notify(
            user=decision.beneficiary, template="eligibility_decided", context={"decision": decision}
        )


# --- Decisions for households -------------------------------------------------------------------------------


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
    _lock_beneficiary(household)
    extra_reasons = []
    if evidence == Evidence.API_PARTICULIER:
        from reuse.eligibility.api_particulier import ApiParticulierClient

        if identity is None:
            raise InvalidInput(_("L’identité de naissance est nécessaire pour la vérification automatique."))
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
    decision = _create_decision(
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
        expires_at=expiry_for(programme) if status == DecisionStatus.ELIGIBLE else None,
    )
    if mandate is not None:
        action = (
            JournalAction.DOCUMENT_UPLOADED if evidence == Evidence.DOCUMENT else JournalAction.ATTESTATION
        )
        MandateJournalEntry.log(
            mandate=mandate,
            actor=author,
            action=action,
            detail=f"{decision.get_status_display()} — {', '.join(decision.criteria_labels) or '-'}",
        )
    _notify_decision(decision)
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


@transaction.atomic
def upload_document(
    *, household: User, uploaded_by: User, criteria, upload, quotient_familial_eur=None
) -> EligibilityDecision:
    """A proof for staff to review. An answer the programme cannot accept is refused before any file is kept."""
    acting_mandate(actor=uploaded_by, household=household, scope=MandateScope.ELIGIBILITY)
    checked = documents.check_upload(upload)
    open_pending = (
        EligibilityDecision.objects.filter(
            beneficiary=household,
            status=DecisionStatus.PENDING,
            replaced_by__isnull=True,
            documents__isnull=True,
        )
        .order_by("-created")
        .first()
    )
    if open_pending is not None and open_pending.evidence == Evidence.DOCUMENT and not criteria:
        decision = open_pending
    else:
        decision = decide_for_household(
            household=household,
            author=uploaded_by,
            criteria=criteria,
            evidence=Evidence.DOCUMENT,
            quotient_familial_eur=quotient_familial_eur,
        )
    if decision.status != DecisionStatus.PENDING:
        return decision
    document = EligibilityDocument(
        decision=decision,
        token=secrets.token_hex(16),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=uploaded_by,
    )
    upload.seek(0)
    document.file.save(document.token, upload, save=False)
    document.save()
    return decision


@transaction.atomic
def review_document(
    *, document: EligibilityDocument, reviewer: User, approve: bool, note: str = "", priorities=()
):
    """Staff accept or refuse a proof; the pending decision becomes final and replaces the previous one.

    Accepting, staff also record the priority situations the document shows (they count on the waitlist).
    """
    priorities = clean_priorities(priorities) if approve else []
    document = EligibilityDocument.objects.select_for_update().get(pk=document.pk)
    if document.status != DocumentStatus.WAITING:
        raise Conflict(_("Ce justificatif a déjà été examiné."), code="already_reviewed")
    decision = DECISIONS.lock(document.decision_id)
    target = DecisionStatus.ELIGIBLE if approve else DecisionStatus.INELIGIBLE
    DECISIONS.check(decision, target)
    now = timezone.now()
    DOCUMENTS.move(
        document,
        DocumentStatus.APPROVED if approve else DocumentStatus.REJECTED,
        changes={"reviewed_by": reviewer, "reviewed_at": now, "review_note": note[:255]},
    )
    # The pending reason is found by its code, whatever language the decision was made in.
    reasons = [item for item in decision.reasons if not is_pending_reason(item)]
    if approve:
        reasons.append(reason("document_verified"))
    else:
        reasons.append(reason("document_refused", note=note))
    DECISIONS.move(
        decision,
        target,
        changes={
            "reasons": reasons,
            "priorities": priorities,
            "expires_at": expiry_for(decision.programme, now) if approve else decision.expires_at,
            "reviewed_by": reviewer,
            "reviewed_at": now,
        },
    )
    _replace_previous(decision)
    _notify_decision(decision)
    return decision


def purge_documents(at=None) -> int:
    """Delete the files whose decision is older than the programme's retention period. The row stays."""
    deleted = 0
    for document in EligibilityDocument.objects.due_for_deletion(at):
        with transaction.atomic():
            locked = EligibilityDocument.objects.select_for_update().get(pk=document.pk)
            if locked.deleted_at is not None:
                continue
            if locked.file:
                locked.file.delete(save=False)
            locked.file = ""
            locked.deleted_at = timezone.now()
            locked.save(update_fields=["file", "deleted_at"])
            deleted += 1
    return deleted


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


# --- Associations -------------------------------------------------------------------------------------------


@transaction.atomic
def register_association(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    name: str,
    address: str,
    postcode: str,
    city: str,
    purpose: str,
    public: str,
    siret: str = "",
    rna: str = "",
) -> Organisation:
    email = (email or "").strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise InvalidInput(_("Un compte existe déjà avec cette adresse e-mail."), code="email_taken")
    if not purpose.strip() or not public.strip():
        raise InvalidInput(_("Décrivez l’objet de l’association et le public accompagné."))
    user = User.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name
    )
    organisation = accounts.register_organisation(
        kind=OrganisationKind.ASSOCIATION,
        name=name,
        address=address,
        postcode=postcode,
        city=city,
        siret=siret,
        rna=rna,
        email=email,
        admin=user,
    )
    AssociationProfile.objects.create(
        organisation=organisation, purpose=purpose.strip(), public=public.strip()
    )
    return organisation


@transaction.atomic
def decide_for_association(*, organisation: Organisation, author: User) -> EligibilityDecision:
    programme = programme_for_department(organisation.department)
    if programme is None:
        raise Forbidden(
            _("Aucun programme ne couvre le département %(dep)s.") % {"dep": organisation.department},
            code="no_programme",
        )
    profile = AssociationProfile.objects.filter(organisation=organisation).first()
    reasons = []
    if organisation.status != OrganisationStatus.APPROVED:
        reasons.append(reason("association_not_approved"))
    if profile is None or not profile.is_verified:
        reasons.append(reason("association_not_verified"))
    if not programme.associations_eligible:
        reasons.append(reason("programme_not_for_associations", p=programme.name))
    status = DecisionStatus.INELIGIBLE if reasons else DecisionStatus.ELIGIBLE
    if not reasons:
        reasons.append(
            reason("association_eligible", p=programme.name, cap=programme.association_cap_per_year)
        )
    return _create_decision(
        beneficiary_organisation=organisation,
        programme=programme,
        status=status,
        criteria=[],
        evidence=Evidence.DOCUMENT,
        reasons=reasons,
        author=author,
        author_organisation=None,
        expires_at=expiry_for(programme) if status == DecisionStatus.ELIGIBLE else None,
    )


@transaction.atomic
def verify_association(*, organisation: Organisation, by: User) -> EligibilityDecision:
    accounts.approve_organisation(organisation=organisation, by=by)
    AssociationProfile.objects.filter(organisation=organisation, verified_at__isnull=True).update(
        verified_at=timezone.now(), verified_by=by
    )
    return decide_for_association(organisation=organisation, author=by)


# --- Referrers and mandates ---------------------------------------------------------------------------------


@transaction.atomic
def accredit_referrer(*, organisation: Organisation, by: User, note: str = "") -> ReferrerAccreditation:
    if organisation.kind != OrganisationKind.REFERRER:
        raise InvalidInput(_("Seule une structure prescriptrice peut être accréditée."))
    if organisation.status != OrganisationStatus.APPROVED:
        accounts.approve_organisation(organisation=organisation, by=by)
    accreditation, created = ReferrerAccreditation.objects.get_or_create(
        organisation=organisation, defaults={"accredited_by": by, "note": note}
    )
    if not created and accreditation.revoked_at is not None:
        accreditation.revoked_at = None
        accreditation.accredited_by, accreditation.accredited_at = by, timezone.now()
        accreditation.save(update_fields=["revoked_at", "accredited_by", "accredited_at"])
    return accreditation


@transaction.atomic
def revoke_accreditation(*, organisation: Organisation, by: User) -> None:
    ReferrerAccreditation.objects.filter(organisation=organisation, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def acting_organisation(referrer: User, organisation: Organisation | None = None) -> Organisation:
    """The accredited referrer organisation `referrer` acts for: `organisation` if given, else their first."""
    from reuse.policy.eligibility import accredited_organisations

    if organisation is not None:
        if not accredited_organisations(referrer).filter(pk=organisation.pk).exists():
            raise Forbidden(
                _(
                    "%(name)s n’est pas accréditée par l’équipe Rebond : elle ne peut pas enregistrer de mandat."
                )
                % {"name": organisation.name},
                code="not_accredited",
            )
        return organisation
    organisation = accredited_organisations(referrer).order_by("pk").first()
    if organisation is None:
        raise Forbidden(
            _("Votre structure n’est pas encore accréditée : l’équipe Rebond doit la vérifier."),
            code="not_accredited",
        )
    return organisation


def _clean_scopes_and_months(scopes, months) -> list[str]:
    scopes = list(dict.fromkeys(scopes or []))
    if not scopes or any(scope not in MandateScope.values for scope in scopes):
        raise InvalidInput(_("Choisissez ce que le mandat permet : éligibilité, demandes ou les deux."))
    if not isinstance(months, int) or not 1 <= months <= MANDATE_MAX_MONTHS:
        raise InvalidInput(_("Un mandat dure de 1 à %(max)s mois.") % {"max": MANDATE_MAX_MONTHS})
    return scopes


def _clean_mandate(scopes, months, consent_given, consent_method, signed_name):
    """A mandate signed in person: what it allows, how long, and how the person gave their consent."""
    scopes = _clean_scopes_and_months(scopes, months)
    if not consent_given:
        raise InvalidInput(_("Le consentement de la personne est nécessaire."), code="no_consent")
    if consent_method not in (ConsentMethod.PRINTED, ConsentMethod.ON_SCREEN):
        raise InvalidInput(_("Indiquez comment le mandat a été signé."))
    if consent_method == ConsentMethod.ON_SCREEN and not (signed_name or "").strip():
        raise InvalidInput(_("Pour une signature à l’écran, la personne écrit son nom."))
    return scopes


# What the household is told of, by email when it has an address, otherwise on its next printed code sheet.
HOUSEHOLD_NOTICES = (
    JournalAction.MANDATE_RECORDED,
    JournalAction.MANDATE_REQUESTED,
    JournalAction.MANDATE_ACCEPTED,
    JournalAction.MANDATE_REFUSED,
    JournalAction.MANDATE_REVOKED,
    JournalAction.SIGN_IN_CODE,
)


def journal(*, mandate: Mandate, actor: User, action: str, detail="") -> MandateJournalEntry:
    """Write what was done under a mandate, and tell the household of every mandate change and code."""
    entry = MandateJournalEntry.log(mandate=mandate, actor=actor, action=action, detail=detail)
    if action in HOUSEHOLD_NOTICES and mandate.household.email:
        accounts.notify(
            user=mandate.household,
            template="mandate_changed",
            context={"entry": entry, "mandate": mandate, "pending": mandate.is_pending},
        )
    return entry


def _mandate_detail(mandate: Mandate, months: int) -> str:
    return f"{', '.join(mandate.scope_labels)} — {months} mois — {mandate.get_consent_method_display()}"


def _end_sign_in_codes(mandate: Mandate, at) -> None:
    """Codes issued under a mandate stop working with it (and the sessions they opened end at the next request)."""
    SignInCode.objects.filter(mandate=mandate, revoked_at__isnull=True).update(revoked_at=at)


def _replace_running(*, household: User, organisation: Organisation, keep: Mandate, actor: User) -> None:
    """The organisation's other running mandates for the household end: the latest consent is the one that counts."""
    now = timezone.now()
    running = (
        Mandate.objects.active(now)
        .filter(household=household, referrer_organisation=organisation)
        .exclude(pk=keep.pk)
    )
    for replaced in running:
        Mandate.objects.filter(pk=replaced.pk).update(revoked_at=now)
        _end_sign_in_codes(replaced, now)
        journal(
            mandate=replaced,
            actor=actor,
            action=JournalAction.MANDATE_REVOKED,
            detail=_("remplacé par le mandat renouvelé"),
        )


def _new_mandate(*, referrer, household, organisation, scopes, months: int, **consent) -> Mandate:
    now = timezone.now()
    return Mandate.objects.create(
        household=household,
        referrer_organisation=organisation,
        referrer=referrer,
        scopes=scopes,
        months=months,
        starts_at=now,
        expires_at=now + relativedelta(months=months),
        **consent,
    )


@transaction.atomic
def record_mandate(
    *,
    referrer: User,
    household: User,
    scopes,
    months: int,
    consent_given: bool,
    consent_method: str = ConsentMethod.PRINTED,
    signed_name: str = "",
    organisation: Organisation | None = None,
    new_account: bool = False,
) -> Mandate:
    """A mandate the person signed in front of the referrer (printed, or on screen), running from now.

    Only for a person who has no access of their own, or whose account the referrer opens now (`new_account`):
    a person who signs in by themselves gives a new consent in their own space (`request_mandate`).
    """
    scopes = _clean_mandate(scopes, months, consent_given, consent_method, signed_name)
    organisation = acting_organisation(referrer, organisation)
    if not new_account and has_own_credentials(household):
        raise Forbidden(
            _(
                "Cette personne a son propre accès à Rebond : elle donne son accord elle-même, depuis son "
                "espace. Envoyez-lui une demande de mandat."
            ),
            code="consent_in_own_space",
        )
    mandate = _new_mandate(
        referrer=referrer,
        household=household,
        organisation=organisation,
        scopes=scopes,
        months=months,
        consent_method=consent_method,
        signed_name=(signed_name or "").strip(),
        consented_at=timezone.now(),
        consent_recorded_by=referrer,
    )
    journal(
        mandate=mandate,
        actor=referrer,
        action=JournalAction.MANDATE_RECORDED,
        detail=_mandate_detail(mandate, months),
    )
    return mandate


@transaction.atomic
def request_mandate(
    *, referrer: User, household: User, scopes, months: int, organisation: Organisation | None = None
) -> Mandate:
    """Ask a person who signs in by themselves for a mandate: nothing runs until they accept it in their space."""
    scopes = _clean_scopes_and_months(scopes, months)
    organisation = acting_organisation(referrer, organisation)
    if not has_own_credentials(household):
        raise InvalidInput(
            _("Cette personne n’a pas d’accès à elle : recueillez son accord en personne (papier ou écran)."),
            code="consent_in_person",
        )
    # One open request per organisation: a new one replaces the previous, unanswered one.
    Mandate.objects.pending().filter(household=household, referrer_organisation=organisation).update(
        revoked_at=timezone.now()
    )
    mandate = _new_mandate(
        referrer=referrer,
        household=household,
        organisation=organisation,
        scopes=scopes,
        months=months,
        consent_method=ConsentMethod.HOUSEHOLD_ACCOUNT,
        consented_at=None,
    )
    journal(
        mandate=mandate,
        actor=referrer,
        action=JournalAction.MANDATE_REQUESTED,
        detail=f"{', '.join(mandate.scope_labels)} — {months} mois",
    )
    return mandate


def _pending_of(household: User, mandate: Mandate) -> Mandate:
    from reuse.policy.mandates import code_session

    if code_session(household) is not None:
        # Whoever holds a printed code is not necessarily the person: a consent is given with one's own access.
        raise Forbidden(
            _("Un mandat s’accepte ou se refuse avec votre propre accès, pas avec un code de connexion."),
            code="mandate_scope",
        )
    pending = (
        Mandate.objects.pending()
        .select_for_update()
        .select_related("referrer_organisation", "household")
        .filter(pk=mandate.pk, household=household)
        .first()
    )
    if pending is None:
        raise NotFound(_("Cette demande de mandat n’attend plus de réponse."))
    return pending


@transaction.atomic
def accept_mandate(*, mandate: Mandate, household: User) -> Mandate:
    """The person accepts, in their own space: the mandate runs from now for the months asked."""
    mandate = _pending_of(household, mandate)
    now = timezone.now()
    months = mandate.months or 12
    Mandate.objects.filter(pk=mandate.pk).update(
        consented_at=now,
        consent_recorded_by=household,
        starts_at=now,
        expires_at=now + relativedelta(months=months),
    )
    mandate.refresh_from_db()
    journal(
        mandate=mandate,
        actor=household,
        action=JournalAction.MANDATE_ACCEPTED,
        detail=_mandate_detail(mandate, months),
    )
    _replace_running(
        household=household, organisation=mandate.referrer_organisation, keep=mandate, actor=household
    )
    return mandate


@transaction.atomic
def refuse_mandate(*, mandate: Mandate, household: User) -> Mandate:
    mandate = _pending_of(household, mandate)
    Mandate.objects.filter(pk=mandate.pk).update(revoked_at=timezone.now())
    mandate.refresh_from_db()
    journal(mandate=mandate, actor=household, action=JournalAction.MANDATE_REFUSED)
    return mandate


@transaction.atomic
def create_household_under_mandate(
    *,
    referrer: User,
    first_name: str,
    last_name: str,
    birth_date,
    postcode: str,
    household_size: int = 1,
    email: str | None = None,
    scopes,
    months: int,
    consent_given: bool,
    consent_method: str = ConsentMethod.PRINTED,
    signed_name: str = "",
) -> tuple[User, Mandate]:
    """A referrer opens the account of a person who cannot do it alone, and records their mandate."""
    acting_organisation(referrer)
    _clean_mandate(scopes, months, consent_given, consent_method, signed_name)
    if not (first_name or "").strip() or not (last_name or "").strip():
        raise InvalidInput(_("Indiquez le prénom et le nom."))
    household = accounts.create_household(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        postcode=postcode,
        household_size=household_size,
        email=email,
        birth_date=birth_date,
    )
    mandate = record_mandate(
        referrer=referrer,
        household=household,
        scopes=scopes,
        months=months,
        consent_given=consent_given,
        consent_method=consent_method,
        signed_name=signed_name,
        new_account=True,
    )
    journal(mandate=mandate, actor=referrer, action=JournalAction.HOUSEHOLD_CREATED)
    record_fingerprint(household)
    return household, mandate


def last_mandate_held(*, referrer: User, household: User) -> Mandate | None:
    """The latest mandate, active, ended or revoked, that an organisation of `referrer` held for `household`."""
    from reuse.policy.eligibility import referrer_organisations

    return (
        Mandate.objects.filter(
            household=household,
            referrer_organisation__in=referrer_organisations(referrer),
            consented_at__isnull=False,
        )
        .select_related("referrer_organisation")
        .order_by("-created", "-pk")
        .first()
    )


def pending_request(*, referrer: User, household: User) -> Mandate | None:
    """The request an organisation of `referrer` sent the household and that waits for its answer."""
    from reuse.policy.eligibility import referrer_organisations

    return (
        Mandate.objects.pending()
        .filter(household=household, referrer_organisation__in=referrer_organisations(referrer))
        .order_by("-created", "-pk")
        .first()
    )


def current_mandate(*, referrer: User, household: User, at=None) -> Mandate | None:
    """Of the active mandates the organisations of `referrer` hold for `household`, the one that ends last."""
    return running_mandates(referrer, household=household, at=at).order_by("-expires_at", "-pk").first()


def mandate_ends_soon(expires_at: datetime | None, at=None) -> bool:
    """A mandate ending at `expires_at` ends within MANDATE_RENEWAL_NOTICE_DAYS (or has ended)."""
    at = at or timezone.now()
    return expires_at is not None and expires_at - timedelta(days=MANDATE_RENEWAL_NOTICE_DAYS) <= at


def mandate_renewal_due(mandate: Mandate | None, at=None) -> bool:
    """No running mandate, or one that ends within MANDATE_RENEWAL_NOTICE_DAYS: time to record a new one."""
    return mandate is None or mandate.revoked_at is not None or mandate_ends_soon(mandate.expires_at, at)


@transaction.atomic
def renew_mandate(
    *,
    referrer: User,
    household: User,
    scopes,
    months: int,
    consent_given: bool = False,
    consent_method: str = ConsentMethod.PRINTED,
    signed_name: str = "",
) -> Mandate:
    """A new mandate, with a new consent, for a household an organisation of `referrer` already had one for.

    A withdrawn or ended mandate is never renewed without the person: one who signs in by themselves accepts
    the new mandate in their own space (until then it is only a request, and nothing runs); one without access
    of their own signs it in front of the referrer. Once the new consent is given, the organisation's mandates
    still running for the household end: the latest consent (its scopes and duration) is the one that counts.
    """
    previous = last_mandate_held(referrer=referrer, household=household)
    if previous is None:
        raise NotFound()
    _lock_beneficiary(household)
    if has_own_credentials(household):
        return request_mandate(
            referrer=referrer,
            household=household,
            scopes=scopes,
            months=months,
            organisation=previous.referrer_organisation,
        )
    mandate = record_mandate(
        referrer=referrer,
        household=household,
        scopes=scopes,
        months=months,
        consent_given=consent_given,
        consent_method=consent_method,
        signed_name=signed_name,
        organisation=previous.referrer_organisation,
    )
    _replace_running(
        household=household, organisation=mandate.referrer_organisation, keep=mandate, actor=referrer
    )
    return mandate


@transaction.atomic
def revoke_mandate(*, mandate: Mandate, by: User) -> Mandate:
    now = timezone.now()
    updated = Mandate.objects.filter(pk=mandate.pk, revoked_at__isnull=True).update(revoked_at=now)
    mandate.refresh_from_db()
    if updated:
        _end_sign_in_codes(mandate, now)
        journal(mandate=mandate, actor=by, action=JournalAction.MANDATE_REVOKED)
    return mandate


# --- Duplicates -----------------------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if ch.isalnum()).lower()


def fingerprint(*, first_name: str, last_name: str, birth_date, postcode: str) -> str:
    """Keyed hash of who the household is: comparable, not reversible without the key."""
    material = "|".join(
        [_normalise(last_name), _normalise(first_name), birth_date.isoformat(), postcode or ""]
    )
    key = getattr(settings, "HOUSEHOLD_FINGERPRINT_KEY", "") or settings.SECRET_KEY
    return hmac.new(key.encode(), b"household:" + material.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def record_fingerprint(user: User) -> list[DuplicateFlag]:
    profile = getattr(user, "household", None)
    if profile is None or profile.birth_date is None:
        return []
    digest = fingerprint(
        first_name=user.first_name,
        last_name=user.last_name,
        birth_date=profile.birth_date,
        postcode=profile.postcode,
    )
    HouseholdFingerprint.objects.update_or_create(user=user, defaults={"digest": digest})
    flags = []
    for other in HouseholdFingerprint.objects.filter(digest=digest).exclude(user=user).select_related("user"):
        first, second = sorted([other.user, user], key=lambda person: person.pk)
        try:
            with transaction.atomic():
                flag, _created = DuplicateFlag.objects.get_or_create(
                    first=first,
                    second=second,
                    defaults={"reason": _("Même nom, même date de naissance et même code postal.")},
                )
        except IntegrityError:
            continue
        flags.append(flag)
    return flags


def followed_lookalikes(*, referrer: User, first_name: str, last_name: str, birth_date) -> list[User]:
    """Households an organisation of `referrer` follows or followed that look like the person about to be
    created: same first name, last name and birth date (the postcode may have changed since)."""
    from reuse.policy.eligibility import renewable_households

    wanted = (_normalise(first_name), _normalise(last_name))
    candidates = renewable_households(referrer).filter(household__birth_date=birth_date)
    return [
        user
        for user in candidates.select_related("household").order_by("pk")
        if (_normalise(user.first_name), _normalise(user.last_name)) == wanted
    ]


def open_duplicates():
    return DuplicateFlag.objects.filter(resolved_at__isnull=True)


def decisions_of(user: User):
    return EligibilityDecision.objects.filter(Q(beneficiary=user)).select_related(
        "programme", "author_organisation"
    )
