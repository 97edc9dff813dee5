"""Mandates: a household's consent that a referrer organisation acts for it, signed in person or accepted in
the household's own space, renewed, revoked, and journaled (the household is told of every change)."""

from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse.accounts import services as accounts
from reuse.accounts.auth import has_own_credentials
from reuse.accounts.models import Organisation, User
from reuse.eligibility import journal_facts
from reuse.eligibility.enums import (
    ConsentMethod,
    JournalAction,
    MandateScope,
)
from reuse.eligibility.models import (
    Mandate,
    MandateJournalEntry,
    SignInCode,
)
from reuse.eligibility.services.accreditations import acting_organisation
from reuse.eligibility.services.decisions import lock_beneficiary
from reuse.errors import Forbidden, InvalidInput, NotFound
from reuse.policy.eligibility import referrer_organisations
from reuse.policy.mandates import code_session, running_mandates

MANDATE_MAX_MONTHS = 24
MANDATE_RENEWAL_NOTICE_DAYS = 30
# A renewal with the same terms as one the same referrer recorded this long ago at most is the same one sent again.
RENEWAL_SENT_AGAIN_WITHIN = timedelta(minutes=10)


def active_mandate(*, referrer: User, household: User, scope: str) -> Mandate | None:
    """The mandate under which `referrer` may act for `household` in `scope`, if any (reuse.policy.mandates)."""
    return running_mandates(referrer, scope=scope, household=household).order_by("-created", "-pk").first()


def _clean_scopes_and_months(scopes, months) -> list[str]:
    scopes = list(dict.fromkeys(scopes or []))
    if not scopes or any(scope not in MandateScope.values for scope in scopes):
        raise InvalidInput(_("Choisissez ce que le mandat permet : éligibilité, demandes ou les deux."))
    if not isinstance(months, int) or not 1 <= months <= MANDATE_MAX_MONTHS:
        raise InvalidInput(_("Un mandat dure de 1 à %(max)s mois.") % {"max": MANDATE_MAX_MONTHS})
    return scopes


def clean_mandate(
    scopes,
    months,
    consent_given: bool = False,
    consent_method: str = ConsentMethod.PRINTED,
    signed_name: str = "",
) -> list[str]:
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


def journal(*, mandate: Mandate, actor: User, action: str, facts=None) -> MandateJournalEntry:
    """Write what was done under a mandate (`facts`: journal_facts.py), and tell the household of every mandate
    change and code."""
    entry = MandateJournalEntry.log(mandate=mandate, actor=actor, action=action, facts=facts)
    if action in HOUSEHOLD_NOTICES and mandate.household.email:
        accounts.notify(
            user=mandate.household,
            template="mandate_changed",
            context={"entry": entry, "mandate": mandate, "pending": mandate.is_pending},
        )
    return entry


def _signed_terms(mandate: Mandate, months: int) -> dict:
    return journal_facts.terms(scopes=mandate.scopes, months=months, consent=mandate.consent_method)


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
            facts=journal_facts.replaced(),
        )


def _new_mandate(
    *, referrer, household, organisation, scopes, months: int, action: str, **consent
) -> Mandate:
    """Create the mandate and journal it: `action` says whether it was recorded in person or requested."""
    now = timezone.now()
    mandate = Mandate.objects.create(
        household=household,
        referrer_organisation=organisation,
        referrer=referrer,
        scopes=scopes,
        months=months,
        starts_at=now,
        expires_at=now + relativedelta(months=months),
        **consent,
    )
    facts = journal_facts.terms(scopes=mandate.scopes, months=months)
    if action == JournalAction.MANDATE_RECORDED:
        facts = _signed_terms(mandate, months)
    journal(mandate=mandate, actor=referrer, action=action, facts=facts)
    return mandate


@transaction.atomic
def record_mandate(
    *,
    referrer: User,
    household: User,
    scopes,
    months: int,
    consent_given: bool = False,
    consent_method: str = ConsentMethod.PRINTED,
    signed_name: str = "",
    organisation: Organisation | None = None,
    new_account: bool = False,
) -> Mandate:
    """A mandate the person signed in front of the referrer (printed, or on screen), running from now.

    Only for a person who has no access of their own, or whose account the referrer opens now (`new_account`):
    a person who signs in by themselves gives a new consent in their own space (`request_mandate`).
    """
    scopes = clean_mandate(scopes, months, consent_given, consent_method, signed_name)
    organisation = acting_organisation(referrer, organisation)
    if not new_account and has_own_credentials(household):
        raise Forbidden(
            _(
                "Cette personne a son propre accès à Rebond : elle donne son accord elle-même, depuis son "
                "espace. Envoyez-lui une demande de mandat."
            ),
            code="consent_in_own_space",
        )
    return _new_mandate(
        action=JournalAction.MANDATE_RECORDED,
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
    return _new_mandate(
        action=JournalAction.MANDATE_REQUESTED,
        referrer=referrer,
        household=household,
        organisation=organisation,
        scopes=scopes,
        months=months,
        consent_method=ConsentMethod.HOUSEHOLD_ACCOUNT,
        consented_at=None,
    )


def _pending_of(household: User, mandate: Mandate) -> Mandate:
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
        facts=_signed_terms(mandate, months),
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


def last_mandate_held(*, referrer: User, household: User) -> Mandate | None:
    """The latest mandate, active, ended or revoked, that an organisation of `referrer` held for `household`."""
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
    return (
        Mandate.objects.pending()
        .filter(household=household, referrer_organisation__in=referrer_organisations(referrer))
        .order_by("-created", "-pk")
        .first()
    )


def current_mandate(*, referrer: User, household: User, at=None) -> Mandate | None:
    """Of the active mandates the organisations of `referrer` hold for `household`, the one that ends last."""
    return running_mandates(referrer, household=household, at=at).order_by("-expires_at", "-pk").first()


def renewal_notice_from(at=None) -> datetime:
    """The latest end of a mandate that is due for renewal at `at`: one ending within MANDATE_RENEWAL_NOTICE_DAYS
    (or already ended), the same bound for a row (mandate_ends_soon) and for a list filtered by the database."""
    return (at or timezone.now()) + timedelta(days=MANDATE_RENEWAL_NOTICE_DAYS)


def mandate_ends_soon(expires_at: datetime | None, at=None) -> bool:
    """A mandate ending at `expires_at` ends within MANDATE_RENEWAL_NOTICE_DAYS (or has ended)."""
    return expires_at is not None and expires_at <= renewal_notice_from(at)


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
    **consent,
) -> Mandate:
    """A new mandate, with a new consent, for a household an organisation of `referrer` already had one for.

    A withdrawn or ended mandate is never renewed without the person: one who signs in by themselves accepts
    the new mandate in their own space (until then it is only a request, and nothing runs); one without access
    of their own signs it in front of the referrer. Once the new consent is given, the organisation's mandates
    still running for the household end: the latest consent (its scopes and duration) is the one that counts.
    """
    lock_beneficiary(household)  # a renewal sent twice waits here for the first, then finds it
    previous = last_mandate_held(referrer=referrer, household=household)
    if previous is None:
        raise NotFound()
    # The same terms, asked of the person in their space or signed in front of the referrer.
    terms = {
        "referrer": referrer,
        "household": household,
        "scopes": scopes,
        "months": months,
        "organisation": previous.referrer_organisation,
    }
    if has_own_credentials(household):
        return request_mandate(**terms)
    acting_organisation(referrer, previous.referrer_organisation)  # still accredited, a repeat too
    if _same_renewal_sent_again(previous, referrer=referrer, scopes=scopes, months=months, **consent):
        return previous
    # `consent`: how the person signed it in front of the referrer, as record_mandate takes it.
    mandate = record_mandate(**terms, **consent)
    _replace_running(
        household=household, organisation=mandate.referrer_organisation, keep=mandate, actor=referrer
    )
    return mandate


def _same_renewal_sent_again(previous: Mandate, *, referrer: User, scopes, months, **consent) -> bool:
    """`previous` is the mandate this same renewal recorded moments ago (a double tap, a form sent again): the same
    referrer, terms and signature, still running. Answering with it keeps the first consent instead of recording
    a second that would end it at once (a stray « retiré » line in the household's journal)."""
    return (
        previous.revoked_at is None
        and previous.referrer_id == referrer.pk
        and previous.consent_recorded_by_id == referrer.pk
        and previous.created >= timezone.now() - RENEWAL_SENT_AGAIN_WITHIN
        and consent.get("consent_given")
        and previous.scopes == list(dict.fromkeys(scopes or []))
        and previous.months == months
        and previous.consent_method == consent.get("consent_method", ConsentMethod.PRINTED)
        and previous.signed_name == (consent.get("signed_name") or "").strip()
    )


@transaction.atomic
def revoke_mandate(*, mandate: Mandate, by: User) -> Mandate:
    """End a mandate now (the household, or a member of the organisation holding it), and the codes issued under it.

    In a session opened with a printed code, only the mandate that code was issued under: whoever holds the paper
    (the referrer who printed it, perhaps) never ends another structure's mandate in the person's name."""
    code = code_session(by)
    if code is not None and code.mandate_id != mandate.pk:
        raise Forbidden(
            _(
                "Vous êtes entré(e) avec un code de connexion : il permet de retirer seulement le mandat de la "
                "structure qui vous l’a donné. Pour retirer le mandat de %(name)s, demandez-le à cette structure."
            )
            % {"name": mandate.referrer_organisation.name},
            code="mandate_scope",
        )
    now = timezone.now()
    updated = Mandate.objects.filter(pk=mandate.pk, revoked_at__isnull=True).update(revoked_at=now)
    mandate.refresh_from_db()
    if updated:
        _end_sign_in_codes(mandate, now)
        journal(mandate=mandate, actor=by, action=JournalAction.MANDATE_REVOKED)
    return mandate
