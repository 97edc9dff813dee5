"""Handing a device over at the workshop's counter, against the code only the claimant holds.

The workshop names the claim (its number, or a line of the waiting list) and types the code the person shows. A
wrong code counts against that claim: at HANDOVER_MAX_FAILURES the claim is locked, staff are alerted (email and
the admin), and only staff can unlock it. Wrong codes also count per workshop in the shared cache: after
HANDOVER_WORKSHOP_MAX_FAILURES within HANDOVER_WINDOW_SECONDS, the workshop's counter waits for the window to end.
"""

import hmac
import logging
import uuid

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inventory.enums import DeviceState
from inventory.transitions import apply_transition
from reuse import places
from reuse.accounts.counters import count_up
from reuse.accounts.models import User
from reuse.accounts.services import notify
from reuse.claims import texts
from reuse.claims.enums import ClaimStatus, LedgerKind, PaymentMethod, PaymentStatus, WaitlistStatus
from reuse.claims.models import Claim, LedgerEntry, Payment, normalise_handover_code
from reuse.claims.transitions import close_offer, move_claim
from reuse.errors import Forbidden, IllegalTransition, InvalidInput, NotFound
from reuse.money import format_euros
from reuse.policy.accounts import coordinators
from reuse.policy.claims import workshop_claims

logger = logging.getLogger(__name__)

HANDOVER_MAX_FAILURES = 5
HANDOVER_WORKSHOP_MAX_FAILURES = 10
HANDOVER_WINDOW_SECONDS = 15 * 60


def awaiting_handover(user: User):
    """The claims the person's workshops may hand over now: paid (or nothing due), or to be paid at the counter
    while their hold runs."""
    return (
        workshop_claims(user)
        .filter(status__in=[ClaimStatus.CONFIRMED, ClaimStatus.RESERVED])
        .exclude(status=ClaimStatus.RESERVED, pay_at_workshop=False)
        .exclude(pk__in=Claim.objects.overdue())  # its hold ended: the sweep is about to free the device
        .select_related("device", "beneficiary", "organisation")
        .order_by("-confirmed_at", "-pk")
    )


def lock_one(queryset, pk: int, *related: str, missing: str):
    """The row `pk` of `queryset` (what the actor may act on), locked with its `related` rows read along, or
    NotFound with the `missing` message: one answer whether the row does not exist or is someone else's."""
    row = queryset.select_for_update(of=("self",)).select_related(*related).filter(pk=pk).first()
    if row is None:
        raise NotFound(missing)
    return row


def code_matches(typed: str, expected: str) -> bool:
    """A code as typed (any case, spaces or dashes) against the stored one, in constant time."""
    # compare_digest takes str only when ASCII: compare the bytes, whatever a stored code may hold.
    typed, expected = normalise_handover_code(typed).encode(), (expected or "").encode()
    return bool(expected) and hmac.compare_digest(typed, expected)


def count_failure(*keys: str, window: int):
    """One more wrong code under each key of the shared cache, forgotten `window` seconds after the first."""
    for key in keys:
        count_up(key, window)


def _workshop_key(workshop_id: int) -> str:
    return f"handover:workshop:{workshop_id}"


def _locked_message(claim: Claim) -> str:
    return _(
        "La demande n° %(number)s est bloquée : trop de codes erronés ont été saisis. L’équipe Rebond est "
        "prévenue et la débloquera après vérification avec la personne."
    ) % {"number": claim.pk}


def _alert_staff(claim: Claim, actor: User) -> None:
    recipients = coordinators().exclude(email__isnull=True).exclude(email="")
    for person in recipients:
        notify(
            user=person,
            template="handover_locked",
            context={"claim": claim, "workshop": claim.device.workshop, "actor": actor},
        )
    logger.warning("Claim %s locked at the counter after %s wrong codes", claim.pk, HANDOVER_MAX_FAILURES)


def check_hold_at_counter(claim: Claim) -> None:
    """A claim to be paid at the counter is handed over only within its hold, the date the household was given
    (claim page, emails, printed code): after it, the device goes to the next household or back to the catalogue,
    whenever the sweep runs, so the counter does not take the money nor give the device."""
    if claim.hold_ended:
        raise IllegalTransition(
            _(
                "Le délai de réservation de la demande n° %(number)s a pris fin le %(ended)s : l’appareil ne "
                "peut plus être remis ni payé sur cette demande, il retourne au catalogue. La personne peut "
                "choisir un autre appareil dans le catalogue ou s’inscrire sur la liste d’attente."
            )
            % {"number": claim.pk, "ended": places.when_at(claim.expires_at, claim, _("j F Y à H:i"))},
            code="hold_expired",
        )


def check_code(*, actor: User, claim_id: int, code: str) -> Claim:
    """The claim of the actor's workshop that `code` opens, or a typed refusal.

    Not wrapped in the caller's transaction: a wrong code is counted (and a claim locked) even though the
    caller is refused.
    """
    with transaction.atomic():
        claim = lock_one(
            workshop_claims(actor),
            claim_id,
            "device",
            "device__workshop",
            "beneficiary",
            "organisation",
            missing=_("Aucune demande de votre atelier ne porte ce numéro."),
        )
        if claim.handover_locked_at is not None:
            raise Forbidden(_locked_message(claim), code="handover_locked")
        workshop_key = _workshop_key(claim.device.workshop_id)
        if cache.get(workshop_key, 0) >= HANDOVER_WORKSHOP_MAX_FAILURES:
            raise Forbidden(
                _(
                    "Trop de codes erronés à ce comptoir : attendez 15 minutes avant de saisir un nouveau code. "
                    "Vérifiez le numéro de la demande et le code avec la personne."
                ),
                code="rate_limited",
            )
        if code_matches(code, claim.handover_code):
            check_hold_at_counter(claim)
            return claim
        count_failure(workshop_key, window=HANDOVER_WINDOW_SECONDS)
        failures = claim.handover_failures + 1
        locked = failures >= HANDOVER_MAX_FAILURES
        Claim.objects.filter(pk=claim.pk).update(
            handover_failures=failures, handover_locked_at=timezone.now() if locked else None
        )
        if locked:
            _alert_staff(claim, actor)
    if locked:
        raise Forbidden(_locked_message(claim), code="handover_locked")
    left = HANDOVER_MAX_FAILURES - failures
    raise InvalidInput(
        ngettext(
            "Ce code ne correspond pas à la demande n° %(number)s. Encore %(left)s essai avant que la demande "
            "soit bloquée.",
            "Ce code ne correspond pas à la demande n° %(number)s. Encore %(left)s essais avant que la demande "
            "soit bloquée.",
            left,
        )
        % {"number": claim.pk, "left": left},
        code="bad_code",
    )


def hand_over(*, actor: User, claim_id: int, code: str, collected_cents: int | None = None) -> Claim:
    """The workshop enters the claimant's code: the device and the claim are handed over, in one go."""
    check_code(actor=actor, claim_id=claim_id, code=code)
    with transaction.atomic():
        claim = Claim.objects.select_for_update().select_related("device").get(pk=claim_id)
        if claim.handover_locked_at is not None:
            raise Forbidden(_locked_message(claim), code="handover_locked")
        if claim.status == ClaimStatus.RESERVED and claim.pay_at_workshop:
            check_hold_at_counter(claim)  # the hold may have ended since the code was checked
            _collect_at_counter(claim, actor, collected_cents)
        elif claim.status != ClaimStatus.CONFIRMED:
            raise IllegalTransition(
                _("Cette demande est « %(status)s » : remise impossible.")
                % {"status": claim.get_status_display()}
            )
        # The claim first: the device's guard lets a reserved device be handed over only with its claim.
        move_claim(
            claim,
            to=ClaimStatus.HANDED_OVER,
            actor=actor,
            handed_over_at=timezone.now(),
            handed_over_by=actor,
        )
        apply_transition(
            device_id=claim.device_id,
            to=DeviceState.HANDED_OVER,
            actor=actor,
            note=texts.DEVICE_HANDED_OVER(claim=claim.pk),
            expected_from={DeviceState.RESERVED},
            changes={"outcome_department": claim.department},
        )
        close_offer(claim, to=WaitlistStatus.FULFILLED)
    return claim


def _collect_at_counter(claim: Claim, actor: User, collected_cents: int | None) -> None:
    due = claim.amount_due_cents
    if due:
        if collected_cents != due:
            raise InvalidInput(_("Encaissez %(amount)s avant la remise.") % {"amount": format_euros(due)})
        payment = Payment.objects.create(
            claim=claim,
            method=PaymentMethod.WORKSHOP,
            amount_cents=due,
            status=PaymentStatus.SUCCEEDED,
            idempotency_key=f"workshop-{claim.pk}-{uuid.uuid4().hex[:12]}",
            recorded_by=actor,
        )
        LedgerEntry.log(claim=claim, payment=payment, kind=LedgerKind.WORKSHOP_COLLECTED, amount_cents=due)
    move_claim(claim, to=ClaimStatus.CONFIRMED, actor=actor, note=texts.PAID_AT_WORKSHOP())


@transaction.atomic
def unlock(*, claim: Claim, by: User) -> Claim:
    """Staff, having checked with the claimant, let the counter try the code again."""
    Claim.objects.filter(pk=claim.pk, handover_locked_at__isnull=False).update(
        handover_locked_at=None,
        handover_failures=0,
        handover_unlocked_at=timezone.now(),
        handover_unlocked_by=by,
    )
    claim.refresh_from_db()
    return claim
