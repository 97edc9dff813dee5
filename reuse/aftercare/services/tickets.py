"""Opening a warranty ticket (from a space, at the workshop with the code, or with the receipt's number), who
sees which ticket, and telling the household of each step."""

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.photos import reencode
from reuse import places, uploads
from reuse.accounts.emails import organisation_language
from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import User
from reuse.accounts.privacy import lock_open_account
from reuse.accounts.services import notify
from reuse.aftercare import texts
from reuse.aftercare.enums import TicketChannel, TicketStatus
from reuse.aftercare.models import Ticket, TicketEvent
from reuse.aftercare.services.warranty import warranty_until
from reuse.aftercare.transitions import move_ticket
from reuse.claims.enums import ClaimStatus
from reuse.claims.handover import check_code, code_matches, count_failure, lock_one
from reuse.claims.models import Claim
from reuse.claims.transitions import CLAIMS
from reuse.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound
from reuse.lifecycle import Note, readable
from reuse.policy.accounts import acting_organisations
from reuse.policy.claims import can_see_handover_code, claimant_claims, workshop_claims

# A phone's photo (12 Mpx, 4 to 8 MB) must go through: it is re-encoded down to MAX_SIDE pixels anyway.
MAX_DESCRIPTION = 2000
# Wrong receipt codes typed on the public page: per claim and per address, within the window.
CODE_MAX_FAILURES = 5
CODE_MAX_FAILURES_PER_ADDRESS = 20
CODE_WINDOW_SECONDS = 60 * 60


def tell(ticket: Ticket, note: Note = ""):
    """Tell the household of a step: by email when it has one; and the referrers who claimed for it or opened the
    ticket, while a mandate covering claims lets them act for it; else the association. A household with none of
    these reads the step on its ticket page or hears it from the workshop."""
    claim = ticket.claim
    context = {"ticket": ticket, "claim": claim, "device": ticket.device, "workshop": ticket.device.workshop}
    context["note"] = readable(note)
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
        notify(
            template="aftercare_step",
            context=context,
            to_email=claim.organisation.email,
            language_if_unknown=organisation_language(claim.organisation),
        )


def claim_note(ticket: Ticket, actor, text: Note):
    """A step of a ticket, in the claim's history (a note row: the claim's status does not change)."""
    CLAIMS.note(ticket.claim, actor=actor, note=text)


def record_opening(ticket: Ticket, claim_text: Note):
    """A new ticket in the three histories (its own, the claim's) and told to the household, however opened."""
    TicketEvent.record(subject=ticket, actor=ticket.opened_by, previous="", to=TicketStatus.OPEN)
    claim_note(ticket, ticket.opened_by, claim_text)
    tell(ticket)


def record_step(ticket: Ticket, actor, *, to: str, note: Note, claim_text: Note, **changes):
    """A triage step: the ticket moves (the note is what the household is told), the claim's history says so,
    and the household hears it."""
    move_ticket(ticket, to=to, actor=actor, note=note, **changes)
    claim_note(ticket, actor, claim_text)
    tell(ticket, note)


def check_public_code(*, claim_id: int, code: str, address: str) -> Claim:
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
    if claim is not None and code_matches(code, claim.handover_code):
        return claim
    count_failure(claim_key, address_key, window=CODE_WINDOW_SECONDS)
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
    return check_public_code(claim_id=claim_id, code=code, address=address), TicketChannel.CODE


def store_photo(upload) -> str:
    """The photo re-encoded; a refusal has the code « photo », so that a form shows it beside that field."""
    data = uploads.TICKET_PHOTO.read(upload)
    # Re-encoded from its pixels: only a real image is kept, without its metadata (place, phone, date).
    try:
        clean, _thumb, _w, _h = reencode(data)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, code="photo") from exc
    return ContentFile(clean, name="photo.jpg")


def not_in_hand(claim: Claim) -> IllegalTransition:
    """Why a claim whose device is not in the household's hands takes no ticket, said so that the household
    knows where to turn: the replacement's receipt after a swap, nothing after a refund."""
    ended = (
        Ticket.objects.filter(claim=claim, status__in=[TicketStatus.SWAPPED, TicketStatus.REFUNDED])
        .order_by("-pk")
        .first()
    )
    if ended is not None and ended.status == TicketStatus.SWAPPED:
        return IllegalTransition(
            _(
                "Cet appareil a été échangé : signalez le problème avec le reçu n° %(n)s de l’appareil qui l’a "
                "remplacé, et le code de remise écrit sur ce reçu."
            )
            % {"n": ended.replacement_claim_id},
            code="swapped",
        )
    if ended is not None:
        return IllegalTransition(
            _("Cet appareil a été rendu à l’atelier et remboursé : il n’est plus sous garantie."),
            code="refunded",
        )
    return IllegalTransition(
        _("La garantie commence à la remise de l’appareil : cette demande est « %(status)s ».")
        % {"status": claim.get_status_display()},
        code="not_handed_over",
    )


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
    content = store_photo(photo) if photo else None
    with transaction.atomic():
        if claim.beneficiary_id is not None:
            # The household before its claim, as closing its account locks them: a ticket sent while it closes
            # would keep the words and photo the closing erases.
            lock_open_account(claim.beneficiary)
        claim = Claim.objects.select_for_update().select_related("device", "programme").get(pk=claim.pk)
        if claim.status != ClaimStatus.HANDED_OVER:
            raise not_in_hand(claim)
        refusal = ticket_refusal(claim)
        if refusal is not None:
            raise refusal
        until = warranty_until(claim)
        ticket = create_ticket(
            claim=claim,
            channel=channel or found_channel,
            actor=actor,
            description=description,
            until=until,
            photo=content,
        )
        if ticket is None:
            raise Conflict(_("Un ticket est déjà ouvert pour cet appareil."), code="ticket_open")
    return ticket


def ticket_refusal(claim: Claim) -> Forbidden | Conflict | None:
    """The refusal a ticket on this handed-over claim would meet now (open_ticket's own rule), None when it would be
    opened: its after-sale page says it in place of the form."""
    until = warranty_until(claim)
    if places.day_at(timezone.now(), claim) > until:  # to the end of the last day where the device was handed
        return Forbidden(
            _(
                "La garantie de cet appareil a pris fin le %(day)s. L’atelier peut tout de même vous conseiller : "
                "appelez-le ou passez le voir."
            )
            % {"day": until.strftime("%d/%m/%Y")},
            code="warranty_ended",
        )
    existing = Ticket.objects.open().filter(device=claim.device_id).first()
    if existing is not None:
        refusal = Conflict(
            _("Un ticket est déjà ouvert pour cet appareil (n° %(n)s) : l’atelier s’en occupe.")
            % {"n": existing.pk},
            code="ticket_open",
        )
        refusal.ticket = existing
        return refusal
    return None


def create_ticket(*, claim: Claim, channel: str, actor, description: str, until, photo=None):
    """The ticket of a claim whose row the caller holds locked, however it is opened (the household's form, the
    3-month questionnaire): in its own savepoint, so that the one-open-ticket-per-device constraint refusing a
    ticket opened at the same moment leaves the caller's transaction usable. None when that happened."""
    try:
        with transaction.atomic():
            ticket = Ticket(
                claim=claim,
                device_id=claim.device_id,
                channel=channel,
                opened_by=actor if actor is not None and actor.is_authenticated else None,
                description=description,
                warranty_until=until,
            )
            if photo is not None:
                ticket.photo.save(photo.name, photo, save=False)
            ticket.save()
    except IntegrityError:
        return None
    opened = texts.OPENED_AT_FOLLOW_UP if channel == TicketChannel.FOLLOW_UP else texts.OPENED
    record_opening(ticket, opened(ticket=ticket.pk))
    return ticket


def claimant_tickets(user: User):
    return Ticket.objects.filter(claim__in=claimant_claims(user))


def workshop_tickets(user: User):
    if not user.is_authenticated:
        return Ticket.objects.none()
    return Ticket.objects.filter(device__workshop__in=acting_organisations(user, OrganisationKind.WORKSHOP))


def lock_workshop_ticket(actor: User, ticket_id: int) -> Ticket:
    return lock_one(
        workshop_tickets(actor),
        ticket_id,
        "claim",
        "device",
        "device__workshop",
        "claim__programme",
        missing=_("Ticket introuvable."),
    )
