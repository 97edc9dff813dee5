"""Reserving devices (one, a batch, so many of each type), choosing how to pay, cancelling and expiring."""

import uuid
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Func
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.enums import DeviceState, DeviceType
from inventory.models import Device
from inventory.transitions import apply_transition
from reuse.accounts.enums import OrganisationStatus
from reuse.accounts.models import Organisation, User
from reuse.accounts.services import system_user
from reuse.claims import payments, tasks, texts
from reuse.claims.enums import OPEN_CLAIM_STATUSES, ClaimStatus, WaitlistStatus
from reuse.claims.models import Claim, ClaimEvent, new_handover_code
from reuse.claims.services.card_received import paid_awaiting_webhook
from reuse.claims.services.checks import check_hold, department_of, programme_departments, programme_in_force
from reuse.claims.services.notifications import after_reservation, notify_claim
from reuse.claims.services.refusals import Claimant, check_device_for, entitled_claimant
from reuse.claims.services.vouchers import redeem_voucher, release_voucher
from reuse.claims.transitions import CLAIMS, close_offer, move_claim
from reuse.eligibility.enums import JournalAction
from reuse.eligibility.models import MandateJournalEntry
from reuse.eligibility.services.decisions import valid_decision_for
from reuse.errors import (
    Conflict,
    IllegalTransition,
    InvalidInput,
    NotFound,
    Unavailable,
    run_again_if_aborted,
)
from reuse.lifecycle import Note
from reuse.policy.claims import claimant_claims

EXPIRY_REMINDER_HOURS = 12
WARRANTY_MONTHS = 6
MAX_BATCH = 50


def _reserve_one(*, device_id: int, actor: User, claimant: Claimant, batch: str = "") -> Claim:
    beneficiary, organisation, mandate, decision = claimant
    device = Device.objects.select_for_update().select_related("workshop").filter(pk=device_id).first()
    if device is None:
        raise NotFound(_("Appareil introuvable."))
    if device.state != DeviceState.LISTED or device.workshop.status != OrganisationStatus.APPROVED:
        # A suspended workshop can no longer hand anything over: its stock waits until staff lift it.
        raise Unavailable()
    programme = decision.programme
    check_device_for(claimant, device, actor=actor)
    claim = reserve(
        Claim(
            device=device,
            beneficiary=beneficiary,
            organisation=organisation,
            claimed_by=actor,
            referrer_organisation=mandate.referrer_organisation if mandate else None,
            programme=programme,
            decision=decision,
            department=department_of(beneficiary, organisation),
            price_cents=device.price_cents or 0,
            batch=batch,
            expires_at=timezone.now() + timedelta(hours=programme.hold_hours),
        ),
        actor=actor,
        # Another live claim holds this device (the partial unique index): the loser is told kindly.
        taken=Unavailable(),
        device_note=lambda claim: texts.DEVICE_CLAIMED(claim=claim.pk),
    )
    if mandate is not None:
        # Done on the household's behalf: it reads it in its mandate journal (reuse.claims.receivers reads the facts).
        MandateJournalEntry.log(
            mandate=mandate,
            actor=actor,
            action=JournalAction.CLAIM,
            facts={
                "kind": "claim",
                "claim": claim.pk,
                "type": device.type,
                "brand": device.brand,
                "model": device.model,
            },
        )
    return claim


def reserve(
    claim: Claim,
    *,
    actor: User,
    taken: Conflict,
    device_note: Callable[[Claim], Note],
    journal_note: Note = "",
) -> Claim:
    """Save a new claim (reserved: a claim's first status) with its handover code, move its listed device to
    reserved and journal the claim's first row: every path that reserves (a claim, a batch, a swap under
    warranty) does these three steps alike. `taken` is raised when another live claim holds the device already."""
    claim.handover_code = new_handover_code()
    try:
        with transaction.atomic():
            claim.save(force_insert=True)
    except IntegrityError as exc:
        raise taken from exc
    apply_transition(
        device_id=claim.device_id,
        to=DeviceState.RESERVED,
        actor=actor,
        note=device_note(claim),
        expected_from={DeviceState.LISTED},
    )
    ClaimEvent.record(subject=claim, actor=actor, previous="", to=ClaimStatus.RESERVED, note=journal_note)
    return claim


@run_again_if_aborted
@transaction.atomic
def create_claim(
    *,
    actor: User,
    device_id: int,
    voucher_code: str = "",
    beneficiary: User | None = None,
    organisation: Organisation | None = None,
    address: str = "",
) -> Claim:
    """Check a valid decision, the caps and that the device is listed, then reserve it until the hold ends.
    `address` is the network the request came from, whose wrong voucher codes are counted (vouchers.py)."""
    claimant = entitled_claimant(actor=actor, beneficiary=beneficiary, organisation=organisation, devices=1)
    claim = _reserve_one(device_id=device_id, actor=actor, claimant=claimant)
    if voucher_code.strip():
        redeem_voucher(claim=claim, code=voucher_code, actor=actor, address=address)
    after_reservation(claim, actor)
    return claim


@run_again_if_aborted
@transaction.atomic
def create_batch_claims(*, actor: User, organisation: Organisation, device_ids: list[int]) -> list[Claim]:
    """An association reserves several devices at once, all or none, within its yearly cap."""
    device_ids = list(dict.fromkeys(int(pk) for pk in device_ids))
    if not device_ids:
        raise InvalidInput(_("Choisissez au moins un appareil."))
    if len(device_ids) > MAX_BATCH:
        raise InvalidInput(_("Au plus %(n)s appareils par demande.") % {"n": MAX_BATCH})
    claimant = entitled_claimant(
        actor=actor, beneficiary=None, organisation=organisation, devices=len(device_ids)
    )
    batch = uuid.uuid4().hex
    claims = [
        _reserve_one(device_id=pk, actor=actor, claimant=claimant, batch=batch)
        for pk in sorted(device_ids)  # always lock in the same order: no deadlock between two batches
    ]
    for claim in claims:
        after_reservation(claim, actor)
    return claims


def association_devices(organisation: Organisation):
    """The listed devices an association may claim: those of the workshops its programme in force covers (its
    own department while it has no valid decision or programme, which it needs before claiming anyway)."""
    decision = valid_decision_for(organisation=organisation)
    programme = programme_in_force(decision, organisation.department) if decision else None
    departments = programme_departments(programme) if programme else [organisation.department]
    return Device.objects.listed().filter(
        workshop__department__in=departments, workshop__status=OrganisationStatus.APPROVED
    )


@run_again_if_aborted
@transaction.atomic
def reserve_quantities(*, actor: User, organisation: Organisation, quantities: dict[str, int]) -> list[Claim]:
    """An association asks for N devices of each type: the cheapest listed ones are reserved, all or none.

    Devices another claimant holds locked are skipped, not waited for; if fewer than asked remain, nothing is
    reserved and the message says how many there are.
    """
    wanted = {device_type: count for device_type, count in quantities.items() if count}
    if any(count < 0 for count in wanted.values()) or not set(wanted) <= set(DeviceType.values):
        raise InvalidInput(_("Indiquez un nombre positif d’appareils par type."))
    if not wanted:
        raise InvalidInput(_("Indiquez combien d’appareils vous voulez, pour au moins un type."))
    if sum(wanted.values()) > MAX_BATCH:
        raise InvalidInput(_("Au plus %(n)s appareils par demande.") % {"n": MAX_BATCH})
    # The association first, the devices after, as every other reservation locks them: picking the devices
    # first deadlocked against another member reserving one of them at the same moment.
    entitled_claimant(actor=actor, beneficiary=None, organisation=organisation, devices=sum(wanted.values()))
    device_ids = []
    for device_type, count in sorted(wanted.items()):
        found = list(
            association_devices(organisation)
            .filter(type=device_type)
            .order_by("price_cents", "pk")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:count]
        )
        if len(found) < count:
            raise Unavailable(
                _(
                    "Il n’y a que %(found)s appareil(s) « %(type)s » disponible(s) dans les départements de votre "
                    "programme pour %(count)s demandé(s) : réduisez la quantité."
                )
                % {"found": len(found), "type": DeviceType(device_type).label, "count": count}
            )
        device_ids += found
    return create_batch_claims(actor=actor, organisation=organisation, device_ids=device_ids)


def similar_devices(device: Device, limit=4, departments=None):
    """What to show someone who just missed a device: the same type, listed, nearest price first; only in
    `departments` when given (those the reader may claim in)."""
    devices = Device.objects.listed()
    if departments is not None:
        devices = devices.filter(workshop__department__in=departments)
    return (
        devices.filter(type=device.type, workshop__status=OrganisationStatus.APPROVED)
        .exclude(pk=device.pk)
        .select_related("workshop")
        .annotate(gap=Func(F("price_cents") - (device.price_cents or 0), function="ABS"))
        .order_by("gap", "-pk")[:limit]
    )


def choose_pay_at_workshop(*, claim_id: int, actor) -> Claim:
    return _choose_payment(claim_id=claim_id, actor=actor, at_workshop=True)


def choose_pay_online(*, claim_id: int, actor) -> Claim:
    """Back from "I will pay at the workshop" to paying now, by card or with a voucher."""
    return _choose_payment(claim_id=claim_id, actor=actor, at_workshop=False)


@transaction.atomic
def _choose_payment(*, claim_id: int, actor, at_workshop: bool) -> Claim:
    claim = Claim.objects.select_for_update().get(pk=claim_id)
    if claim.status != ClaimStatus.RESERVED:
        raise IllegalTransition(_("Cette demande n’attend plus de paiement."))
    check_hold(claim)
    if claim.pay_at_workshop != at_workshop:
        claim.pay_at_workshop = at_workshop
        claim.save(update_fields=["pay_at_workshop"])
        CLAIMS.note(
            claim,
            actor=actor,
            note=texts.CHOSE_WORKSHOP() if at_workshop else texts.CHOSE_ONLINE(),
        )
        if at_workshop:
            # Paid at the counter: a card intent left open in another tab must not charge the household as well.
            payments.abandon_open_payments(claim)
            notify_claim(claim, "claim_ready")
    return claim


def _free_device(claim: Claim, actor, note: Note):
    apply_transition(
        device_id=claim.device_id,
        to=DeviceState.LISTED,
        actor=actor,
        note=note,
        expected_from={DeviceState.RESERVED},
    )
    release_voucher(claim)
    payments.abandon_open_payments(claim)
    device_id = claim.device_id
    transaction.on_commit(lambda: tasks.offer_device_task.delay(device_id))


def cancel_claim(*, claim_id: int, actor, reason: str = "") -> Claim:
    """Before payment the device is listed again; after a card payment, Stripe refunds it and we record it.

    Whoever cancels (the claimant, staff in the admin, a command or a task), a card being confirmed is refused
    first: Stripe is asked (bounded, see card_received) before any lock."""
    check_card_not_confirming(Claim.objects.get(pk=claim_id), cancelling=True, actor=actor)
    with transaction.atomic():
        claim = Claim.objects.select_for_update().select_related("device").get(pk=claim_id)
        if claim.status not in OPEN_CLAIM_STATUSES:
            raise IllegalTransition(_("Cette demande ne peut plus être annulée."))
        move_claim(claim, to=ClaimStatus.CANCELLED, actor=actor, note=reason or texts.CANCELLED())
        _free_device(claim, actor, note=texts.DEVICE_CLAIM_CANCELLED(claim=claim.pk))
        close_offer(claim, to=WaitlistStatus.CANCELLED)
        refunds = payments.open_refunds(claim=claim, actor=actor)
    for refund in refunds:
        payments.execute_refund(refund_id=refund.pk)
    claim.refresh_from_db()
    return claim


PAYMENT_BEING_CONFIRMED = "payment_being_confirmed"


def check_card_not_confirming(claim: Claim, *, cancelling: bool = False, actor=None) -> None:
    """Raise the refusal card_confirming_refusal finds, if any."""
    refusal = card_confirming_refusal(claim, cancelling=cancelling, actor=actor)
    if refusal is not None:
        raise refusal


def card_confirming_refusal(claim: Claim, *, cancelling: bool = False, actor=None) -> Conflict | None:
    """The refusal of a cancellation, or a change of how to pay, while a card Stripe says is paid waits for its
    webhook (None when there is none).
    Cancelling then would free the device at once and leave the money to be refunded only when the webhook comes,
    with nobody told: minutes later the claim is confirmed, and cancelling it refunds the card as for any paid
    claim. Paying at the counter or with a voucher (from a tab left open) would abandon the card payment the bank
    already made. When Stripe cannot be asked, the action goes ahead: a payment whose webhook comes after it is
    refunded by that webhook. The message speaks to `actor`: the claimant's side, or staff (anyone else)."""
    if not paid_awaiting_webhook(claim):
        return None
    if not cancelling:
        message = _("Le paiement par carte est déjà reçu et en cours de confirmation : rien d’autre à payer.")
    elif actor is None or claimant_claims(actor).filter(pk=claim.pk).exists():
        message = _(
            "Le paiement par carte est en cours de confirmation : la demande pourra être annulée dans quelques"
            " minutes, une fois le paiement confirmé, et la somme sera alors remboursée."
        )
    else:
        message = _(
            "Le paiement par carte de cette demande est accepté par la banque et en cours de confirmation par"
            " Stripe : l’annuler maintenant libérerait l’appareil et laisserait la somme à rembourser sans que"
            " personne n’en soit prévenu. Attendez la réponse du paiement (quelques minutes) : s’il réussit,"
            " annulez alors la demande, ce qui rembourse la carte ; s’il échoue, l’annulation ne laisse rien à"
            " rembourser."
        )
    return Conflict(message, code=PAYMENT_BEING_CONFIRMED)


def expire_claim(*, claim_id: int) -> bool:
    """A reservation not paid in time: the device goes back to the catalogue (or to the next on the waitlist)."""
    with transaction.atomic():
        claim = Claim.objects.select_for_update().filter(pk=claim_id).first()
        if claim is None or claim.status != ClaimStatus.RESERVED or claim.expires_at > timezone.now():
            return False
        robot = system_user()
        move_claim(claim, to=ClaimStatus.EXPIRED, actor=robot, note=texts.LAPSED())
        _free_device(claim, robot, note=texts.DEVICE_CLAIM_LAPSED(claim=claim.pk))
        close_offer(claim, to=WaitlistStatus.LAPSED)
        notify_claim(claim, "claim_expired")
    return True


def remind_expiring(*, claim_id: int) -> bool:
    with transaction.atomic():
        claim = Claim.objects.select_for_update().filter(pk=claim_id, reminder_sent_at__isnull=True).first()
        if claim is None or claim.status != ClaimStatus.RESERVED:
            return False
        claim.reminder_sent_at = timezone.now()
        claim.save(update_fields=["reminder_sent_at"])
        notify_claim(claim, "claim_expiring")
    return True


def warranty_months() -> int:
    return getattr(settings, "CLAIMS_WARRANTY_MONTHS", WARRANTY_MONTHS)
