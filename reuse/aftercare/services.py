"""After-care use-cases: open a warranty ticket, triage it (advice, repair, swap, refund), the 3-month follow-up.

Keyword-only, atomic, typed errors. The device moves only through inventory.transitions.apply_transition (its
guards, registered in reuse.aftercare.receivers, let a handed-over device come back only for an open ticket),
the claims only through claims.transitions.move_claim, and refunds through the payments' refund path.
"""

import calendar
import hmac
import logging
from datetime import date

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.enums import DeviceState
from inventory.models import Device
from inventory.photos import reencode
from inventory.transitions import apply_transition
from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import User
from reuse.accounts.services import notify
from reuse.aftercare.enums import (
    OPEN_TICKET_STATUSES,
    ReturnedTo,
    TicketChannel,
    TicketStatus,
    Usage,
    UsePurpose,
)
from reuse.aftercare.models import (
    DEFAULT_FOLLOW_UP_DAYS,
    DEFAULT_WARRANTY_MONTHS,
    AftercareRules,
    FollowUp,
    Ticket,
    TicketEvent,
    new_follow_up_code,
)
from reuse.aftercare.transitions import move_ticket
from reuse.claims import payments
from reuse.claims.enums import ClaimStatus, LedgerKind, PaymentMethod, PaymentStatus, RefundStatus
from reuse.claims.handover import check_code
from reuse.claims.models import (
    Claim,
    ClaimEvent,
    LedgerEntry,
    Refund,
    new_handover_code,
    normalise_handover_code,
)
from reuse.claims.transitions import CLAIMS, PAYMENTS, REFUNDS, move_claim
from reuse.eligibility.enums import MandateScope
from reuse.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound, TooLarge
from reuse.policy.accounts import organisations_of_kind
from reuse.policy.claims import can_see_handover_code, claimant_claims, workshop_claims
from reuse.policy.mandates import households_covered

logger = logging.getLogger(__name__)

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_DESCRIPTION = 2000
# Wrong receipt codes typed on the public page: per claim and per address, within the window.
CODE_MAX_FAILURES = 5
CODE_MAX_FAILURES_PER_ADDRESS = 20
CODE_WINDOW_SECONDS = 60 * 60


# --- the programme's promise ---------------------------------------------------------------------------------


def rules_for(programme) -> tuple[int, int]:
    """(warranty months, follow-up days) of a programme; the defaults when staff set nothing."""
    rules = AftercareRules.objects.filter(programme=programme).first()
    if rules is None:
        return DEFAULT_WARRANTY_MONTHS, DEFAULT_FOLLOW_UP_DAYS
    return rules.warranty_months, rules.follow_up_days


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def warranty_until(claim: Claim) -> date:
    """The last day of the warranty, counted in calendar months from the handover day (Europe/Paris)."""
    handed = timezone.localdate(claim.handed_over_at or timezone.now())
    months, _days = rules_for(claim.programme)
    return add_months(handed, months)


# --- telling the household -------------------------------------------------------------------------------


def _tell(ticket: Ticket, note: str = ""):
    """Tell the household of a step: by email when it has one; and the referrers who claimed for it or opened the
    ticket, while a mandate covering claims lets them act for it; else the association. A household with none of
    these reads the step on its ticket page or hears it from the workshop."""
    claim = ticket.claim
    context = {"ticket": ticket, "claim": claim, "device": ticket.device, "workshop": ticket.device.workshop}
    context["note"] = note
    recipients = []
    if claim.beneficiary_id and claim.beneficiary.email:
        recipients.append(claim.beneficiary)
    for person in (claim.claimed_by, ticket.opened_by):
        if (
            person is not None
            and person.pk != claim.beneficiary_id
            and person.email
            and person not in recipients
            and can_see_handover_code(person, claim)
        ):
            recipients.append(person)
    for person in recipients:
        notify(template="aftercare_step", context=context, user=person)
    if not recipients and claim.organisation_id and claim.organisation.email:
        notify(template="aftercare_step", context=context, to_email=claim.organisation.email)


def _claim_note(ticket: Ticket, actor, text: str):
    """A step of a ticket, in the claim's history (a note row: the claim's status does not change)."""
    CLAIMS.note(ticket.claim, actor=actor, note=text)


# --- opening a ticket --------------------------------------------------------------------------------------


def _check_public_code(*, claim_id: int, code: str, address: str) -> Claim:
    """The receipt number and handover code typed by someone not signed in, with wrong tries counted."""
    claim_key = f"aftercare:code:claim:{claim_id}"
    address_key = f"aftercare:code:addr:{address}"
    if (
        cache.get(claim_key, 0) >= CODE_MAX_FAILURES
        or cache.get(address_key, 0) >= CODE_MAX_FAILURES_PER_ADDRESS
    ):
        raise Forbidden(
            _(
                "Trop de codes erronés : attendez une heure, ou appelez l’atelier (son numéro est sur votre reçu) "
                "qui ouvrira le ticket avec vous."
            ),
            code="rate_limited",
        )
    claim = Claim.objects.filter(pk=claim_id).select_related("device", "programme").first()
    if (
        claim is not None
        and claim.handover_code
        and hmac.compare_digest(normalise_handover_code(code), claim.handover_code)
    ):
        return claim
    for key in (claim_key, address_key):
        cache.add(key, 0, timeout=CODE_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=CODE_WINDOW_SECONDS)
    # The same answer whether the number exists or not: nobody learns which receipts there are.
    raise InvalidInput(
        _("Ce numéro de reçu et ce code ne vont pas ensemble. Vérifiez-les sur votre reçu de remise."),
        code="bad_code",
    )


def find_claim_for_ticket(
    *, actor: User | None, claim_id: int, code: str = "", address: str = ""
) -> tuple[Claim, str]:
    """The claim a ticket may be opened on by `actor`, and the channel it is opened through.

    The household (or its association) and a referrer under a running mandate covering claims open it from their
    space; a workshop on the household's behalf with the handover code (wrong codes count as at the counter);
    anyone else with the receipt number and the handover code.
    """
    if actor is not None and actor.is_authenticated:
        claim = claimant_claims(actor).filter(pk=claim_id).first()
        if claim is not None:
            own = claim.beneficiary_id == actor.pk or claim.organisation_id is not None
            return claim, TicketChannel.HOUSEHOLD if own else TicketChannel.REFERRER
        if workshop_claims(actor).filter(pk=claim_id).exists():
            return check_code(actor=actor, claim_id=claim_id, code=code), TicketChannel.WORKSHOP
        if not code:
            raise NotFound(_("Aucune remise de ce numéro ne vous concerne."))
    return _check_public_code(claim_id=claim_id, code=code, address=address), TicketChannel.CODE


def _store_photo(upload) -> str:

    size = getattr(upload, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise TooLarge(_("La photo dépasse 5 Mo : prenez-la de plus loin ou envoyez-la sans photo."))
    data = upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise TooLarge(_("La photo dépasse 5 Mo : prenez-la de plus loin ou envoyez-la sans photo."))
    # Re-encoded from its pixels: only a real image is kept, without its metadata (place, phone, date).
    clean, _thumb, _w, _h = reencode(data)
    return ContentFile(clean, name="photo.jpg")


def open_ticket(
    *,
    actor: User | None,
    claim_id: int,
    description: str,
    photo=None,
    code: str = "",
    address: str = "",
    channel: str | None = None,
) -> Ticket:
    claim, found_channel = find_claim_for_ticket(actor=actor, claim_id=claim_id, code=code, address=address)
    description = (description or "").strip()
    if not description:
        raise InvalidInput(_("Dites en quelques mots ce qui ne va pas."), code="description")
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(
            _("Le message dépasse %(n)s caractères : raccourcissez-le.") % {"n": MAX_DESCRIPTION},
            code="description",
        )
    content = _store_photo(photo) if photo else None
    with transaction.atomic():
        claim = Claim.objects.select_for_update().select_related("device", "programme").get(pk=claim.pk)
        if claim.status != ClaimStatus.HANDED_OVER:
            raise IllegalTransition(
                _("La garantie commence à la remise de l’appareil : cette demande est « %(status)s ».")
                % {"status": claim.get_status_display()},
                code="not_handed_over",
            )
        until = warranty_until(claim)
        if timezone.localdate() > until:
            raise Forbidden(
                _(
                    "La garantie de cet appareil a pris fin le %(day)s. L’atelier peut tout de même vous conseiller : "
                    "appelez-le ou passez le voir."
                )
                % {"day": until.strftime("%d/%m/%Y")},
                code="warranty_ended",
            )
        existing = Ticket.objects.open().filter(device=claim.device).first()
        if existing is not None:
            raise Conflict(
                _("Un ticket est déjà ouvert pour cet appareil (n° %(n)s) : l’atelier s’en occupe.")
                % {"n": existing.pk},
                code="ticket_open",
            )
        try:
            with transaction.atomic():
                ticket = Ticket(
                    claim=claim,
                    device=claim.device,
                    channel=channel or found_channel,
                    opened_by=actor if actor is not None and actor.is_authenticated else None,
                    description=description,
                    warranty_until=until,
                )
                if content is not None:
                    ticket.photo.save(content.name, content, save=False)
                ticket.save()
        except IntegrityError as exc:
            raise Conflict(_("Un ticket est déjà ouvert pour cet appareil."), code="ticket_open") from exc

        TicketEvent.record(subject=ticket, actor=ticket.opened_by, previous="", to=TicketStatus.OPEN)
        _claim_note(ticket, ticket.opened_by, f"Ticket de garantie n° {ticket.pk} ouvert")
        _tell(ticket)
    return ticket


# --- who sees which ticket -----------------------------------------------------------------------------------


def claimant_tickets(user: User):
    return Ticket.objects.filter(claim__in=claimant_claims(user))


def workshop_tickets(user: User):
    if not user.is_authenticated:
        return Ticket.objects.none()
    return Ticket.objects.filter(device__workshop__in=organisations_of_kind(user, OrganisationKind.WORKSHOP))


def _lock_workshop_ticket(actor: User, ticket_id: int) -> Ticket:
    ticket = (
        workshop_tickets(actor)
        .select_for_update(of=("self",))
        .select_related("claim", "device", "device__workshop", "claim__programme")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None:
        raise NotFound(_("Ticket introuvable."))
    return ticket


# --- triage -------------------------------------------------------------------------------------------------


def _note_required(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Écrivez ce que vous dites au foyer, en mots simples."), code="note")
    return note


@transaction.atomic
def give_advice(*, actor: User, ticket_id: int, note: str) -> Ticket:
    note = _note_required(note)
    ticket = _lock_workshop_ticket(actor, ticket_id)
    move_ticket(ticket, to=TicketStatus.ADVISED, actor=actor, note=note)
    _claim_note(ticket, actor, f"Ticket n° {ticket.pk} : conseil donné")
    _tell(ticket, note)
    return ticket


@transaction.atomic
def start_repair(*, actor: User, ticket_id: int, note: str = "") -> Ticket:
    """The household leaves the device with the workshop: it goes back through `in_repair`."""
    ticket = _lock_workshop_ticket(actor, ticket_id)
    note = note.strip() or _("L’atelier a repris l’appareil pour le réparer.")
    # The ticket moves first: the device's guard lets a handed-over device back in only for an open ticket.
    move_ticket(ticket, to=TicketStatus.IN_REPAIR, actor=actor, note=note)
    apply_transition(
        device_id=ticket.device_id,
        to=DeviceState.IN_REPAIR,
        actor=actor,
        note=f"Garantie, ticket n° {ticket.pk}",
        expected_from={DeviceState.HANDED_OVER},
    )
    _claim_note(ticket, actor, f"Ticket n° {ticket.pk} : appareil repris pour réparation")
    _tell(ticket, note)
    return ticket


@transaction.atomic
def finish_repair(*, actor: User, ticket_id: int, note: str = "") -> Ticket:
    """The repaired device is given back to the household: in repair → handed over again."""
    ticket = _lock_workshop_ticket(actor, ticket_id)
    if ticket.status != TicketStatus.IN_REPAIR:
        raise IllegalTransition(_("Ce ticket n’est pas en réparation."))
    note = note.strip() or _("L’appareil est réparé et vous a été rendu.")
    apply_transition(
        device_id=ticket.device_id,
        to=DeviceState.HANDED_OVER,
        actor=actor,
        note=f"Rendu après réparation, ticket n° {ticket.pk}",
        expected_from={DeviceState.IN_REPAIR},
        changes={"outcome_department": ticket.claim.department},
    )
    move_ticket(ticket, to=TicketStatus.REPAIRED, actor=actor, note=note)
    _claim_note(ticket, actor, f"Ticket n° {ticket.pk} : réparé et rendu")
    _tell(ticket, note)
    return ticket


def _take_back(ticket: Ticket, actor: User, returned_to: str, channel: str, reference: str):
    """The faulty device comes back from the household: to the stock (in repair, to be made good and wiped
    again before it is listed), or out for good (parts, recycling with its channel)."""
    if returned_to not in ReturnedTo.values:
        raise InvalidInput(_("Choisissez où va l’appareil rendu."), code="returned_to")
    device = Device.objects.get(pk=ticket.device_id)
    changes = {}
    if returned_to == ReturnedTo.RECYCLED:
        changes = {"recycle_channel": channel.strip(), "recycle_reference": reference.strip()}
    if device.state != returned_to:
        apply_transition(
            device_id=device.pk,
            to=returned_to,
            actor=actor,
            note=f"Rendu sous garantie, ticket n° {ticket.pk}",
            expected_from={DeviceState.HANDED_OVER, DeviceState.IN_REPAIR},
            changes=changes,
        )
    claim = Claim.objects.select_for_update().get(pk=ticket.claim_id)
    move_claim(
        claim, to=ClaimStatus.RETURNED, actor=actor, note=f"Rendu sous garantie, ticket n° {ticket.pk}"
    )
    ticket.claim = claim


def swap_candidates(ticket: Ticket):
    """What the workshop may give instead: its own devices of the same type, online or ready to be."""
    return (
        Device.objects.filter(
            workshop_id=ticket.device.workshop_id,
            type=ticket.device.type,
            state__in=[DeviceState.LISTED, DeviceState.READY],
        )
        .exclude(pk=ticket.device_id)
        .order_by("-grade", "pk")
    )


@transaction.atomic
def swap(
    *,
    actor: User,
    ticket_id: int,
    replacement_id: int,
    returned_to: str,
    note: str = "",
    recycle_channel: str = "",
    recycle_reference: str = "",
) -> Ticket:
    """Another device is reserved for the household, nothing to pay and outside its cap (it replaces the one it
    received); the faulty one comes back to the stock or goes to parts or recycling."""
    ticket = _lock_workshop_ticket(actor, ticket_id)
    if ticket.status not in OPEN_TICKET_STATUSES:
        raise IllegalTransition(_("Ce ticket est clos."))
    replacement = swap_candidates(ticket).filter(pk=replacement_id).first()
    if replacement is None:
        raise NotFound(_("Choisissez un appareil de votre atelier, du même type, en ligne ou prêt."))
    original = ticket.claim
    _take_back(ticket, actor, returned_to, recycle_channel, recycle_reference)
    if replacement.state == DeviceState.READY:
        apply_transition(
            device_id=replacement.pk,
            to=DeviceState.LISTED,
            actor=actor,
            note=f"Échange, ticket n° {ticket.pk}",
        )
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                device=replacement,
                beneficiary=original.beneficiary,
                organisation=original.organisation,
                claimed_by=original.claimed_by,
                referrer_organisation=original.referrer_organisation,
                programme=original.programme,
                decision=original.decision,
                status=ClaimStatus.RESERVED,
                department=original.department,
                price_cents=0,
                handover_code=new_handover_code(),
                expires_at=None,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("Cet appareil vient d’être réservé par quelqu’un d’autre : choisissez-en un autre.")
        ) from exc
    apply_transition(
        device_id=replacement.pk,
        to=DeviceState.RESERVED,
        actor=actor,
        note=f"Échange sous garantie, ticket n° {ticket.pk} (demande #{claim.pk})",
        expected_from={DeviceState.LISTED},
    )
    ClaimEvent.record(
        subject=claim,
        actor=actor,
        previous="",
        to=ClaimStatus.RESERVED,
        note=f"Remplace la demande #{original.pk} (ticket de garantie n° {ticket.pk})",
    )
    move_claim(claim, to=ClaimStatus.CONFIRMED, actor=actor, note=_("Échange sous garantie : rien à payer."))
    note = note.strip() or _(
        "Un autre appareil vous attend à l’atelier, sans rien à payer. Montrez le nouveau code de remise au comptoir."
    )
    move_ticket(ticket, to=TicketStatus.SWAPPED, actor=actor, note=note, replacement_claim=claim)
    _claim_note(ticket, actor, f"Ticket n° {ticket.pk} : échangé contre la demande #{claim.pk}")
    _tell(ticket, note)
    return ticket


def refund(
    *,
    actor: User,
    ticket_id: int,
    returned_to: str,
    note: str = "",
    recycle_channel: str = "",
    recycle_reference: str = "",
) -> Ticket:
    """The household gives the device back and is paid back what it paid: a card payment through Stripe's
    refund (the payments' refund path), money paid at the counter handed back and written in the ledger. What a
    voucher paid stays with its funder."""

    with transaction.atomic():
        ticket = _lock_workshop_ticket(actor, ticket_id)
        if ticket.status not in OPEN_TICKET_STATUSES:
            raise IllegalTransition(_("Ce ticket est clos."))
        _take_back(ticket, actor, returned_to, recycle_channel, recycle_reference)
        claim = ticket.claim
        card_refunds = payments.open_refunds(claim=claim, actor=actor)
        for payment in claim.payments.select_for_update().filter(
            method=PaymentMethod.WORKSHOP, status=PaymentStatus.SUCCEEDED
        ):
            # Handed back at the counter: the refund is done as it is written (no bank to wait for).
            refund_row = Refund.objects.create(
                payment=payment, amount_cents=payment.amount_cents, requested_by=actor
            )
            REFUNDS.move(refund_row, RefundStatus.SUCCEEDED, actor=actor)
            PAYMENTS.move(payment, PaymentStatus.REFUNDED, actor=actor)
            LedgerEntry.log(
                claim=claim,
                payment=payment,
                kind=LedgerKind.REFUNDED,
                amount_cents=-payment.amount_cents,
                reference=f"atelier, ticket {ticket.pk}",
            )
        paid = sum(
            p.amount_cents
            for p in claim.payments.all()
            if p.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED)
        )
        note = note.strip() or (
            _("Vous êtes remboursé(e) de %(amount)s €.") % {"amount": f"{paid / 100:.2f}".replace(".", ",")}
            if paid
            else _("Vous n’aviez rien payé : l’appareil est repris, sans frais.")
        )
        move_ticket(ticket, to=TicketStatus.REFUNDED, actor=actor, note=note)
        _claim_note(ticket, actor, f"Ticket n° {ticket.pk} : appareil repris et remboursé")
        _tell(ticket, note)
    for refund_row in card_refunds:
        payments.execute_refund(refund_id=refund_row.pk)
    ticket.refresh_from_db()
    return ticket


# --- the 3-month follow-up ----------------------------------------------------------------------------------


def follow_up_for(claim: Claim) -> FollowUp:
    """The follow-up of a handed-over claim, created on first need (the handover, the receipt)."""
    existing = FollowUp.objects.filter(claim=claim).first()
    if existing is not None:
        return existing
    _months, days = rules_for(claim.programme)
    handed = timezone.localdate(claim.handed_over_at or timezone.now())
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return FollowUp.objects.create(
                    claim=claim, code=new_follow_up_code(), due_on=handed + timezone.timedelta(days=days)
                )
        except IntegrityError:
            existing = FollowUp.objects.filter(claim=claim).first()
            if existing is not None:
                return existing
    raise Conflict(_("Impossible de créer le code du questionnaire, réessayez."))


def follow_up_by_code(code: str, address: str = "") -> FollowUp:
    key = f"aftercare:followup:addr:{address}"
    if cache.get(key, 0) >= CODE_MAX_FAILURES_PER_ADDRESS:
        raise Forbidden(_("Trop de codes erronés : attendez une heure."), code="rate_limited")
    wanted = normalise_handover_code(code)
    follow_up = FollowUp.objects.filter(code=wanted).select_related("claim", "claim__device").first()
    if follow_up is None:
        cache.add(key, 0, timeout=CODE_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=CODE_WINDOW_SECONDS)
        raise InvalidInput(
            _("Ce code ne correspond à aucun questionnaire. Il est imprimé sur votre reçu."), code="bad_code"
        )
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
            claim = follow_up.claim
            existing = Ticket.objects.open().filter(device_id=claim.device_id).first()
            if existing is not None:
                follow_up.ticket = None
            elif timezone.localdate() <= warranty_until(claim):
                ticket = Ticket.objects.create(
                    claim=claim,
                    device_id=claim.device_id,
                    channel=TicketChannel.FOLLOW_UP,
                    opened_by=follow_up.answered_by,
                    description=problem.strip()[:MAX_DESCRIPTION],
                    warranty_until=warranty_until(claim),
                )

                TicketEvent.record(
                    subject=ticket, actor=follow_up.answered_by, previous="", to=TicketStatus.OPEN
                )
                _claim_note(
                    ticket,
                    follow_up.answered_by,
                    f"Ticket de garantie n° {ticket.pk} ouvert (suivi à 3 mois)",
                )
                _tell(ticket)
                follow_up.ticket = ticket
        follow_up.save()
    return follow_up


def send_due_follow_ups(*, limit: int = 500) -> int:
    """Offer the questionnaire by email to households that have one, once, when it falls due."""
    sent = 0
    due = FollowUp.objects.due().filter(
        emailed_at__isnull=True,
        claim__status=ClaimStatus.HANDED_OVER,
        claim__beneficiary__email__isnull=False,
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
