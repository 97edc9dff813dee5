"""The 3-month questionnaire: its code, found by code or by a referrer, answered once, offered by email."""

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse import places
from reuse.accounts.models import User
from reuse.accounts.services import notify
from reuse.aftercare.enums import TicketChannel, Usage, UsePurpose
from reuse.aftercare.models import FollowUp, Ticket, new_follow_up_code
from reuse.aftercare.services.tickets import (
    CODE_MAX_FAILURES_PER_ADDRESS,
    CODE_WINDOW_SECONDS,
    MAX_DESCRIPTION,
    create_ticket,
)
from reuse.aftercare.services.warranty import rules_for, swap_chain, warranty_until
from reuse.claims.enums import ClaimStatus
from reuse.claims.handover import count_failure
from reuse.claims.models import Claim, normalise_handover_code
from reuse.eligibility.enums import MandateScope
from reuse.errors import Conflict, Forbidden, InvalidInput
from reuse.policy.mandates import households_covered


def follow_up_for(claim: Claim) -> FollowUp | None:
    """The follow-up of a handed-over claim, created on first need (the handover, the receipt).

    One device in the household's hands, one questionnaire: a replacement given under warranty takes over the
    questionnaire of the device it replaces while that one is unanswered (the code printed on the first receipt
    still opens it; it falls due the programme's delay after the replacement's handover, unless it was already
    offered by email), and has none when the household already answered it (None): a swap never asks twice, and
    the figures count one answer per household's device."""
    existing = FollowUp.objects.filter(claim=claim).first()
    if existing is not None:
        return existing
    _months, days = rules_for(claim.programme)
    handed = places.day_at(claim.handed_over_at or timezone.now(), claim)
    due_on = handed + timezone.timedelta(days=days)
    if earlier := swap_chain(claim)[1:]:
        with transaction.atomic():
            previous = FollowUp.objects.select_for_update().filter(claim__in=earlier).first()
            if previous is not None:
                if previous.answered_at is not None:
                    return None
                previous.claim = claim
                if previous.emailed_at is None:
                    previous.due_on = due_on
                previous.save(update_fields=["claim", "due_on"])
                return previous
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return FollowUp.objects.create(claim=claim, code=new_follow_up_code(), due_on=due_on)
        except IntegrityError:
            existing = FollowUp.objects.filter(claim=claim).first()
            if existing is not None:
                return existing
    raise Conflict(_("Impossible de créer le code du questionnaire, réessayez."))


def check_due(follow_up: FollowUp) -> None:
    """The questionnaire opens on its day, whoever holds its code (printed on the receipt at the counter): an
    answer given on the day of the handover would count as the use at three months in every report."""
    if places.day_at(timezone.now(), follow_up.claim) < follow_up.due_on:
        raise Conflict(
            _("Ce questionnaire s’ouvre à partir du %(day)s : revenez ce jour-là.")
            % {"day": follow_up.due_on.strftime("%d/%m/%Y")},
            code="not_due",
        )


def follow_up_by_code(code: str, address: str = "") -> FollowUp:
    key = f"aftercare:followup:addr:{address}"
    if cache.get(key, 0) >= CODE_MAX_FAILURES_PER_ADDRESS:
        raise Forbidden(_("Trop de codes erronés : attendez une heure."), code="rate_limited")
    wanted = normalise_handover_code(code)
    follow_up = FollowUp.objects.filter(code=wanted).select_related("claim", "claim__device").first()
    if follow_up is None:
        count_failure(key, window=CODE_WINDOW_SECONDS)
        raise InvalidInput(
            _("Ce code ne correspond à aucun questionnaire. Il est imprimé sur votre reçu."), code="bad_code"
        )
    return follow_up


def stop_emails(*, code: str, address: str = "") -> FollowUp:
    """The person asks, from the email's link, for no more questionnaire by email: none is sent to the household
    of this follow-up again (its later devices included); the questionnaire stays open with the printed code."""
    follow_up = follow_up_by_code(code, address)
    FollowUp.objects.filter(pk=follow_up.pk, stopped_at__isnull=True).update(stopped_at=timezone.now())
    follow_up.refresh_from_db()
    return follow_up


def referrer_follow_ups(user: User):
    """Follow-ups of the households a referrer may act for (running mandate covering claims)."""

    return FollowUp.objects.filter(claim__beneficiary__in=households_covered(user, MandateScope.CLAIMS))


def answer_follow_up(
    *,
    follow_up_id: int,
    actor: User | None,
    channel: str,
    usage: str,
    purposes: list[str],
    has_problem: bool,
    problem: str = "",
    wants_help: bool,
) -> FollowUp:
    """Record the answers once. "A problem" opens a warranty ticket while the warranty runs."""
    if usage not in Usage.values:
        raise InvalidInput(_("Dites si l’appareil sert."), code="usage")
    purposes = [p for p in dict.fromkeys(purposes) if p in UsePurpose.values]
    if has_problem and not (problem or "").strip():
        raise InvalidInput(_("Dites en quelques mots quel est le problème."), code="problem")
    with transaction.atomic():
        follow_up = FollowUp.objects.select_for_update().select_related("claim").get(pk=follow_up_id)
        if follow_up.answered_at is not None:
            raise Conflict(_("Ce questionnaire a déjà été rempli. Merci !"), code="answered")
        check_due(follow_up)
        if follow_up.claim.status not in (ClaimStatus.HANDED_OVER, ClaimStatus.RETURNED):
            raise Conflict(_("Ce questionnaire n’est pas encore ouvert."))
        follow_up.answered_at = timezone.now()
        follow_up.answered_by = actor if actor is not None and actor.is_authenticated else None
        follow_up.channel = channel
        follow_up.usage = usage
        follow_up.purposes = purposes
        follow_up.has_problem = has_problem
        follow_up.wants_help = wants_help
        if has_problem and follow_up.claim.status == ClaimStatus.HANDED_OVER:
            # Locked as the household's own form locks it: a ticket opened at the same moment is found, or
            # refused by the constraint, and the answers are kept either way (that ticket handles the problem).
            claim = Claim.objects.select_for_update().get(pk=follow_up.claim_id)
            if not Ticket.objects.open().filter(device_id=claim.device_id).exists() and places.day_at(
                timezone.now(), claim
            ) <= warranty_until(claim):
                follow_up.ticket = create_ticket(
                    claim=claim,
                    channel=TicketChannel.FOLLOW_UP,
                    actor=follow_up.answered_by,
                    description=problem.strip()[:MAX_DESCRIPTION],
                    until=warranty_until(claim),
                )
        follow_up.save()
    return follow_up


def send_due_follow_ups(*, limit: int = 500) -> int:
    """Offer the questionnaire by email to households that have one, once, when it falls due."""
    sent = 0
    stopped = FollowUp.objects.filter(stopped_at__isnull=False, claim__beneficiary__isnull=False)
    due = (
        FollowUp.objects.due()
        .filter(
            emailed_at__isnull=True,
            claim__status=ClaimStatus.HANDED_OVER,
            claim__beneficiary__email__isnull=False,
        )
        .exclude(claim__beneficiary__in=stopped.values("claim__beneficiary"))
    )
    for pk in due.values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            follow_up = (
                FollowUp.objects.select_for_update(of=("self",))
                .select_related("claim__beneficiary")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if follow_up is None or not follow_up.claim.beneficiary.email:
                continue
            follow_up.emailed_at = timezone.now()
            follow_up.save(update_fields=["emailed_at"])
            notify(
                template="aftercare_follow_up",
                context={"follow_up": follow_up, "claim": follow_up.claim, "device": follow_up.claim.device},
                user=follow_up.claim.beneficiary,
            )
            sent += 1
    return sent
