"""Printed sign-in codes for households without credentials of their own.

A code is issued by a referrer, under one running mandate of their organisation, for a household that has neither
an email nor a password: the session it opens may do only what that mandate covers (reuse.policy.mandates), and
ends with the mandate. A code is 12 characters: the first 4 name it (`selector`), the other 8 are its secret;
only a keyed hash of the whole code is stored.

Wrong guesses are counted in the shared cache (Django's cache: Redis in production), never in process memory:
- per code: after SIGN_IN_CODE_MAX_FAILURES wrong secrets, whoever types them, the code is refused (even right)
  for SIGN_IN_WINDOW_SECONDS;
- per address: after SIGN_IN_ADDRESS_MAX_FAILURES failures, the address is told to slow down on every wrong
  attempt, and its attempts can no longer tell a code that exists from one that does not.
A valid code is never refused because of someone else's failures at the same address (a shared terminal at a
social services office).
"""

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse.accounts.auth import has_own_credentials
from reuse.accounts.counters import count, count_up
from reuse.accounts.models import User
from reuse.eligibility.enums import JournalAction
from reuse.eligibility.models import Mandate, MandateJournalEntry, SignInCode
from reuse.eligibility.services.mandates import HOUSEHOLD_NOTICES, journal
from reuse.errors import Conflict, Forbidden, InvalidInput, NotFound
from reuse.policy.mandates import code_session_is_valid, running_mandates

logger = logging.getLogger(__name__)

SIGN_IN_CODE_VALIDITY_DAYS = 30
SIGN_IN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed from paper
SELECTOR_LENGTH = 4
SECRET_LENGTH = 8
SIGN_IN_CODE_LENGTH = SELECTOR_LENGTH + SECRET_LENGTH
SIGN_IN_CODE_MAX_FAILURES = 5
SIGN_IN_ADDRESS_MAX_FAILURES = 10
SIGN_IN_WINDOW_SECONDS = 15 * 60
SHEET_NOTICES_MAX = 20


@dataclass(frozen=True)
class IssuedCode:
    code: str  # in clear, shown once
    mandate: Mandate
    notices: list  # journal entries the household is told of on the sheet


def normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _digest(normalised: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), b"sign-in-code:" + normalised.encode(), hashlib.sha256
    ).hexdigest()


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _random(length: int) -> str:
    return "".join(secrets.choice(SIGN_IN_CODE_ALPHABET) for _ in range(length))


def sheet_notices(*, household: User, mandate: Mandate, printed: MandateJournalEntry) -> list:
    """What the household reads on its new sheet: the latest mandate changes and codes printed by this
    organisation, earlier sheets included, so that a code printed without the person knowing shows on the next
    sheet they are given."""
    entries = MandateJournalEntry.objects.filter(
        household=household, organisation=mandate.referrer_organisation, action__in=HOUSEHOLD_NOTICES
    ).exclude(pk=printed.pk)
    return list(entries.select_related("actor").order_by("-created", "-pk")[:SHEET_NOTICES_MAX])


@transaction.atomic
def issue_sign_in_code(*, referrer: User, household: User) -> IssuedCode:
    """A new printed code under the organisation's running mandate: the codes this organisation printed for the
    household before stop working, never another structure's (the person keeps the paper it gave them).

    Only for a household with no credentials of its own: one with an email or a password signs in by itself.
    """
    mandate = running_mandates(referrer, household=household).order_by("-created", "-pk").first()
    if mandate is None:
        raise NotFound()
    if has_own_credentials(household):
        raise Forbidden(
            _(
                "Cette personne a son propre accès (adresse e-mail ou mot de passe) : elle se connecte elle-même. "
                "Un code de connexion ne peut pas lui être imprimé."
            ),
            code="has_own_credentials",
        )
    now = timezone.now()
    SignInCode.objects.filter(
        user=household, mandate__referrer_organisation=mandate.referrer_organisation, revoked_at__isnull=True
    ).update(revoked_at=now)
    for _attempt in range(20):
        selector = _random(SELECTOR_LENGTH)
        # An expired code still holds its selector until it is retired.
        SignInCode.objects.filter(selector=selector, revoked_at__isnull=True, expires_at__lte=now).update(
            revoked_at=now
        )
        code = selector + _random(SECRET_LENGTH)
        try:
            with transaction.atomic():
                SignInCode.objects.create(
                    user=household,
                    mandate=mandate,
                    selector=selector,
                    digest=_digest(code),
                    created_by=referrer,
                    expires_at=now + timedelta(days=SIGN_IN_CODE_VALIDITY_DAYS),
                )
        except IntegrityError:
            continue  # another live code has this selector: draw again
        break
    else:
        raise Conflict(_("Impossible de créer un code pour l’instant. Réessayez dans un moment."))
    printed = journal(mandate=mandate, actor=referrer, action=JournalAction.SIGN_IN_CODE)
    return IssuedCode(
        code=format_code(code),
        mandate=mandate,
        notices=sheet_notices(household=household, mandate=mandate, printed=printed),
    )


def _failures(key: str) -> int:
    return count(key)


def _count_failure(key: str) -> int:
    return count_up(key, SIGN_IN_WINDOW_SECONDS)


def _address_key(client_key: str) -> str:
    return f"signin-code:address:{hashlib.sha256(client_key.encode()).hexdigest()[:24]}"


def _code_key(code: SignInCode) -> str:
    return f"signin-code:code:{code.pk}"


def sign_in_with_code(*, code: str, client_key: str) -> SignInCode:
    """The code a household typed, if it opens a session now. Wrong guesses count per code and per address."""
    normalised = normalise(code)
    address_key = _address_key(client_key)
    found = None
    if len(normalised) == SIGN_IN_CODE_LENGTH:
        found = (
            SignInCode.objects.usable()
            .select_related("user", "mandate")
            .filter(selector=normalised[:SELECTOR_LENGTH])
            .first()
        )
    if found is not None:
        code_key = _code_key(found)
        if _failures(code_key) >= SIGN_IN_CODE_MAX_FAILURES:
            raise Forbidden(
                _(
                    "Ce code est bloqué pendant 15 minutes après plusieurs essais qui ne correspondaient pas. "
                    "Réessayez plus tard, ou demandez un nouveau code à la personne qui vous accompagne."
                ),
                code="code_locked",
            )
        if hmac.compare_digest(found.digest, _digest(normalised)):
            return _open(found)
        if _count_failure(code_key) == SIGN_IN_CODE_MAX_FAILURES:
            logger.warning(
                "Sign-in code %s locked after %s wrong secrets", found.pk, SIGN_IN_CODE_MAX_FAILURES
            )
    if _count_failure(address_key) > SIGN_IN_ADDRESS_MAX_FAILURES:
        raise Forbidden(
            _(
                "Ce code ne marche pas, et beaucoup d’essais ont échoué depuis cet appareil. Vérifiez chaque "
                "caractère de votre feuille : les erreurs des autres personnes sur cet appareil n’empêchent pas "
                "votre code de marcher."
            ),
            code="rate_limited",
        )
    raise InvalidInput(_("Ce code ne marche pas. Vérifiez-le ou demandez un nouveau code."), code="bad_code")


def _open(found: SignInCode) -> SignInCode:
    household = found.user
    if not household.is_active or not found.mandate.is_active:
        SignInCode.objects.filter(pk=found.pk).update(revoked_at=timezone.now())
        raise Forbidden(
            _(
                "Ce code ne marche plus : le mandat sous lequel il a été imprimé a pris fin. Demandez un nouveau "
                "code à la personne qui vous accompagne."
            ),
            code="mandate_ended",
        )
    if has_own_credentials(household):
        raise Forbidden(
            _(
                "Ce compte a son propre accès : connectez-vous avec votre adresse e-mail et votre mot de passe."
            ),
            code="has_own_credentials",
        )
    now = timezone.now()
    SignInCode.objects.filter(pk=found.pk).update(last_used_at=now)
    found.last_used_at = now
    return found


def session_code(*, user: User, code_id) -> SignInCode | None:
    """The code a session was opened with, if that session may go on (see policy.mandates.code_session_is_valid)."""
    code = SignInCode.objects.select_related("mandate").filter(pk=code_id, user_id=user.pk).first()
    return code if code_session_is_valid(code, user) else None
