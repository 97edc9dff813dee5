"""Claim use-cases: reserve, vouchers, cancel, expire, waitlist offers, handover. Keyword-only, atomic, typed errors.

Concurrency is left to the database: the claimant's row is locked so that caps hold, the device row is locked and
moved with a conditional transition, a partial unique index allows one live claim per device, and a voucher is
redeemed with a conditional UPDATE.
"""

import logging
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from inventory.enums import DeviceState
from inventory.models import Device
from inventory.transitions import apply_transition
from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import Organisation, User
from reuse.accounts.services import notify
from reuse.claims.enums import (
    ClaimStatus,
    LedgerKind,
    PaymentStatus,
    WaitlistStatus,
)
from reuse.claims.models import (
    Claim,
    ClaimEvent,
    LedgerEntry,
    Voucher,
    WaitlistEntry,
    new_handover_code,
)
from reuse.claims.signals import voucher_redeeming, waitlist_points
from reuse.claims.transitions import CLAIMS, WAITLIST, move_claim
from reuse.eligibility.enums import MandateScope
from reuse.eligibility.models import EligibilityDecision
from reuse.eligibility.services import valid_decision_for
from reuse.errors import Forbidden, IllegalTransition, InvalidInput, NotFound, Unavailable
from reuse.policy.claims import can_see_handover_code
from reuse.policy.mandates import acting_mandate

logger = logging.getLogger(__name__)
PARIS = ZoneInfo("Europe/Paris")

SYSTEM_EMAIL = "robot@rebond.invalid"
EXPIRY_REMINDER_HOURS = 12
WARRANTY_MONTHS = 6
MAX_BATCH = 50


def system_user() -> User:
    """The actor of what the platform does by itself (expiry, waitlist offers)."""
    user, created = User.objects.get_or_create(
        email=SYSTEM_EMAIL,
        defaults={"first_name": "Rebond", "last_name": "(automatique)", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _department_of(user: User | None, organisation: Organisation | None) -> str:
    if organisation is not None:
        return organisation.department
    profile = getattr(user, "household", None)
    return profile.department if profile else ""


# --- notifications ---------------------------------------------------------------------------------------


def _notify_claim(claim: Claim, template: str, **extra):
    """Tell the claimant; a household without email is told through whoever claimed for them (a referrer)."""
    context = {"claim": claim, "device": claim.device, "workshop": claim.device.workshop, **extra}
    recipients = []
    if claim.beneficiary_id and claim.beneficiary.email:
        recipients.append(claim.beneficiary)
    # The referrer who claimed is told while a mandate covering claims still lets them act (emails carry the code).
    if (
        claim.claimed_by_id != claim.beneficiary_id
        and claim.claimed_by.email
        and can_see_handover_code(claim.claimed_by, claim)
    ):
        recipients.append(claim.claimed_by)
    if not recipients and claim.organisation_id and claim.organisation.email:
        notify(template=template, context=context, to_email=claim.organisation.email)
    for user in recipients:
        notify(template=template, context=context, user=user)


# --- caps --------------------------------------------------------------------------------------------------


def _check_household_cap(programme, beneficiary: User, device_type: str, actor: User | None = None):
    since = timezone.now() - timedelta(days=30 * programme.household_cap_months)
    taken = Claim.objects.active().filter(
        beneficiary=beneficiary, device__type=device_type, created__gte=since
    )
    if taken.count() >= programme.household_cap_devices:
        # Told to whoever asked: the household itself, or the referrer claiming on its behalf.
        if actor is not None and actor.pk != beneficiary.pk:
            message = _(
                "Plafond atteint : le programme « %(programme)s » permet %(cap)s appareil(s) de ce type par "
                "foyer sur %(months)s mois, et ce foyer en a déjà réservé ou reçu %(count)s."
            )
        else:
            message = _(
                "Plafond atteint : le programme « %(programme)s » permet %(cap)s appareil(s) de ce type par "
                "foyer sur %(months)s mois, et vous en avez déjà réservé ou reçu %(count)s."
            )
        raise Forbidden(
            message
            % {
                "programme": programme.name,
                "cap": programme.household_cap_devices,
                "months": programme.household_cap_months,
                "count": taken.count(),
            },
            code="cap_reached",
        )


def association_usage(programme, organisation: Organisation) -> int:
    year = timezone.localdate().year
    return Claim.objects.active().filter(organisation=organisation, created__year=year).count()


def _check_association_cap(programme, organisation: Organisation, wanted: int):
    used = association_usage(programme, organisation)
    if used + wanted > programme.association_cap_per_year:
        raise Forbidden(
            _(
                "Plafond annuel atteint : %(cap)s appareils par an pour une association ; %(used)s déjà "
                "réservés ou reçus cette année, %(wanted)s demandés."
            )
            % {"cap": programme.association_cap_per_year, "used": used, "wanted": wanted},
            code="cap_reached",
        )


def _check_cooldown(programme, device: Device, beneficiary, organisation):
    """After a cancelled or expired claim of a device, the same claimant waits the programme's cooldown before
    claiming it again: reserving, cancelling and reserving again does not hold a device for ever."""
    hours = programme.claim_cooldown_hours
    if not hours:
        return
    claims = Claim.objects.filter(device=device)
    claims = (
        claims.filter(organisation=organisation)
        if organisation is not None
        else claims.filter(beneficiary=beneficiary)
    )
    ended = (
        ClaimEvent.objects.filter(
            claim__in=claims,
            to_status__in=[ClaimStatus.CANCELLED, ClaimStatus.EXPIRED],
            created__gt=timezone.now() - timedelta(hours=hours),
        )
        .order_by("-created")
        .first()
    )
    if ended is None:
        return
    again = timezone.localtime(ended.created + timedelta(hours=hours), PARIS)
    raise Forbidden(
        _(
            "Vous avez déjà réservé cet appareil, et la réservation a été annulée ou a expiré le %(ended)s. "
            "Pour laisser sa chance à un autre foyer, vous pourrez le réserver de nouveau à partir du "
            "%(again)s (règle du programme « %(programme)s » : %(hours)s heures)."
        )
        % {
            "ended": date_format(timezone.localtime(ended.created, PARIS), "j F Y à H:i"),
            "again": date_format(again, "j F Y à H:i"),
            "programme": programme.name,
            "hours": hours,
        },
        code="cooldown",
    )


# --- reserve -----------------------------------------------------------------------------------------------


def _resolve_claimant(*, actor: User, beneficiary: User | None, organisation: Organisation | None):
    """Return (beneficiary, organisation, referrer_organisation) for whom the claim is made."""
    if organisation is not None:
        if not organisation.memberships.filter(user=actor).exists() or (
            organisation.kind != OrganisationKind.ASSOCIATION
        ):
            raise NotFound()
        return None, organisation, None
    if beneficiary is not None and beneficiary.pk != actor.pk:
        try:
            mandate = acting_mandate(actor=actor, household=beneficiary, scope=MandateScope.CLAIMS)
        except NotFound:
            raise NotFound(_("Foyer introuvable ou sans mandat actif pour les demandes.")) from None
        return beneficiary, None, mandate.referrer_organisation
    if not hasattr(actor, "household"):
        raise Forbidden(
            _("Seul un foyer, une association ou un prescripteur peut demander un appareil."),
            code="not_eligible",
        )
    acting_mandate(
        actor=actor, household=actor, scope=MandateScope.CLAIMS
    )  # a code session may not cover claims
    return actor, None, None


def _valid_decision(beneficiary, organisation, actor: User | None = None):
    decision = valid_decision_for(user=beneficiary, organisation=organisation)
    if decision is None:
        if organisation is not None:
            message = _(
                "Votre association n’a pas de décision d’éligibilité valide : l’équipe Rebond doit d’abord "
                "vérifier son éligibilité (ou la renouveler si elle a expiré)."
            )
        elif actor is not None and beneficiary is not None and actor.pk != beneficiary.pk:
            message = _(
                "Ce foyer n’a pas de décision d’éligibilité valide : attestez d’abord son éligibilité depuis sa "
                "fiche (ou renouvelez-la si elle a expiré)."
            )
        else:
            message = _(
                "Aucune décision d’éligibilité valide : vérifiez d’abord votre éligibilité "
                "(ou renouvelez-la si elle a expiré)."
            )
        raise Forbidden(message, code="not_eligible")
    return decision


def _reserve_one(*, device_id, actor, beneficiary, organisation, referrer_org, decision, batch="") -> Claim:
    device = Device.objects.select_for_update().select_related("workshop").filter(pk=device_id).first()
    if device is None:
        raise NotFound(_("Appareil introuvable."))
    if device.state != DeviceState.LISTED:
        raise Unavailable()
    programme = decision.programme
    _check_cooldown(programme, device, beneficiary, organisation)
    if beneficiary is not None:
        _check_household_cap(programme, beneficiary, device.type, actor)
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                device=device,
                beneficiary=beneficiary,
                organisation=organisation,
                claimed_by=actor,
                referrer_organisation=referrer_org,
                programme=programme,
                decision=decision,
                status=ClaimStatus.RESERVED,
                department=_department_of(beneficiary, organisation),
                price_cents=device.price_cents or 0,
                batch=batch,
                handover_code=new_handover_code(),
                expires_at=timezone.now() + timedelta(hours=programme.hold_hours),
            )
    except IntegrityError as exc:
        # Another live claim holds this device (the partial unique index): the loser is told kindly.
        raise Unavailable() from exc
    apply_transition(
        device_id=device.pk,
        to=DeviceState.RESERVED,
        actor=actor,
        note=f"Demande #{claim.pk}",
        expected_from={DeviceState.LISTED},
    )
    ClaimEvent.record(subject=claim, actor=actor, previous="", to=ClaimStatus.RESERVED)
    return claim


def _lock_claimant(beneficiary, organisation):
    # Serialises one claimant's claims, so that two tabs cannot both pass the cap check.
    if organisation is not None:
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    else:
        User.objects.select_for_update().filter(pk=beneficiary.pk).first()


@transaction.atomic
def create_claim(
    *,
    actor: User,
    device_id: int,
    voucher_code: str = "",
    beneficiary: User | None = None,
    organisation: Organisation | None = None,
) -> Claim:
    """Check a valid decision, the caps and that the device is listed, then reserve it until the hold ends."""
    beneficiary, organisation, referrer_org = _resolve_claimant(
        actor=actor, beneficiary=beneficiary, organisation=organisation
    )
    _lock_claimant(beneficiary, organisation)
    decision = _valid_decision(beneficiary, organisation, actor)
    if organisation is not None:
        _check_association_cap(decision.programme, organisation, 1)
    claim = _reserve_one(
        device_id=device_id,
        actor=actor,
        beneficiary=beneficiary,
        organisation=organisation,
        referrer_org=referrer_org,
        decision=decision,
    )
    if voucher_code.strip():
        _redeem_voucher(claim=claim, code=voucher_code)
    _after_reservation(claim, actor)
    return claim


@transaction.atomic
def create_batch_claims(*, actor: User, organisation: Organisation, device_ids: list[int]) -> list[Claim]:
    """An association reserves several devices at once, all or none, within its yearly cap."""
    device_ids = list(dict.fromkeys(int(pk) for pk in device_ids))
    if not device_ids:
        raise InvalidInput(_("Choisissez au moins un appareil."))
    if len(device_ids) > MAX_BATCH:
        raise InvalidInput(_("Au plus %(n)s appareils par demande.") % {"n": MAX_BATCH})
    _b, organisation, _r = _resolve_claimant(actor=actor, beneficiary=None, organisation=organisation)
    _lock_claimant(None, organisation)
    decision = _valid_decision(None, organisation, actor)
    _check_association_cap(decision.programme, organisation, len(device_ids))
    batch = uuid.uuid4().hex
    claims = [
        _reserve_one(
            device_id=pk,
            actor=actor,
            beneficiary=None,
            organisation=organisation,
            referrer_org=None,
            decision=decision,
            batch=batch,
        )
        for pk in sorted(device_ids)  # always lock in the same order: no deadlock between two batches
    ]
    for claim in claims:
        _after_reservation(claim, actor)
    return claims


def association_devices(organisation: Organisation):
    """The listed devices an association may claim: those of the workshops of its department."""
    return Device.objects.listed().filter(workshop__department=organisation.department)


@transaction.atomic
def reserve_quantities(*, actor: User, organisation: Organisation, quantities: dict[str, int]) -> list[Claim]:
    """An association asks for N devices of each type: the cheapest listed ones are reserved, all or none.

    Devices another claimant holds locked are skipped, not waited for; if fewer than asked remain, nothing is
    reserved and the message says how many there are.
    """
    from inventory.enums import DeviceType

    wanted = {device_type: count for device_type, count in quantities.items() if count}
    if any(count < 0 for count in wanted.values()) or not set(wanted) <= set(DeviceType.values):
        raise InvalidInput(_("Indiquez un nombre positif d’appareils par type."))
    if not wanted:
        raise InvalidInput(_("Indiquez combien d’appareils vous voulez, pour au moins un type."))
    if sum(wanted.values()) > MAX_BATCH:
        raise InvalidInput(_("Au plus %(n)s appareils par demande.") % {"n": MAX_BATCH})
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
                    "Il n’y a que %(found)s appareil(s) « %(type)s » disponible(s) dans votre département pour "
                    "%(count)s demandé(s) : réduisez la quantité."
                )
                % {"found": len(found), "type": DeviceType(device_type).label, "count": count}
            )
        device_ids += found
    return create_batch_claims(actor=actor, organisation=organisation, device_ids=device_ids)


def _after_reservation(claim: Claim, actor):
    if claim.amount_due_cents == 0:
        _confirm(claim, actor, note=_("Rien à payer."))
    else:
        _notify_claim(claim, "claim_reserved")


def _confirm(claim: Claim, actor, note=""):
    move_claim(claim, to=ClaimStatus.CONFIRMED, actor=actor, note=note)
    _notify_claim(claim, "claim_confirmed")
    _notify_claim(claim, "claim_ready")


def similar_devices(device: Device, limit=4):
    """What to show someone who just missed a device: the same type, listed, nearest price first."""
    from django.db.models import F, Func

    return (
        Device.objects.listed()
        .filter(type=device.type)
        .exclude(pk=device.pk)
        .select_related("workshop")
        .annotate(gap=Func(F("price_cents") - (device.price_cents or 0), function="ABS"))
        .order_by("gap", "-pk")[:limit]
    )


# --- vouchers ----------------------------------------------------------------------------------------------


def _redeem_voucher(*, claim: Claim, code: str):
    if not claim.programme.vouchers_accepted:
        raise InvalidInput(_("Ce programme n’accepte pas les chèques numériques."), code="voucher_refused")
    if claim.voucher_cents:
        raise InvalidInput(_("Un chèque numérique est déjà utilisé pour cette demande."), code="voucher_used")
    code = code.strip().upper()
    voucher = Voucher.objects.filter(code=code).first()
    if voucher is None:
        raise InvalidInput(_("Code de chèque numérique inconnu."), code="voucher_invalid")

    voucher_redeeming.send(sender=Voucher, voucher=voucher, claim=claim)
    amount = min(voucher.face_value_cents, claim.price_cents)
    # The conditional UPDATE is the redemption: of two concurrent claims, only one sees the row unused.
    redeemed = (
        Voucher.objects.usable()
        .filter(pk=voucher.pk)
        .update(redeemed_at=timezone.now(), claim=claim, redeemed_cents=amount)
    )
    if not redeemed:
        raise InvalidInput(_("Ce chèque numérique a déjà été utilisé ou a expiré."), code="voucher_used")
    Claim.objects.filter(pk=claim.pk).update(voucher_cents=amount)
    claim.voucher_cents = amount
    LedgerEntry.log(claim=claim, kind=LedgerKind.VOUCHER_REDEEMED, amount_cents=amount, reference=code)


@transaction.atomic
def apply_voucher(*, claim_id: int, actor, code: str) -> Claim:
    claim = Claim.objects.select_for_update().select_related("programme", "device").get(pk=claim_id)
    if claim.status != ClaimStatus.RESERVED:
        raise IllegalTransition(_("Cette demande n’attend plus de paiement."))
    if claim.payments.filter(status=PaymentStatus.SUCCEEDED).exists():
        raise IllegalTransition(_("Le paiement a déjà été reçu."))
    _redeem_voucher(claim=claim, code=code)
    if claim.amount_due_cents == 0:
        _confirm(claim, actor, note=_("Payé en entier par chèque numérique."))
    return claim


def _release_voucher(claim: Claim):
    released = Voucher.objects.filter(claim=claim).update(redeemed_at=None, claim=None, redeemed_cents=0)
    if released:
        LedgerEntry.log(claim=claim, kind=LedgerKind.VOUCHER_RELEASED, amount_cents=-claim.voucher_cents)


def funder_statement(*, funder, year: int, month: int):
    """Vouchers of a funder redeemed in a month on claims that went through (confirmed or handed over)."""
    vouchers = (
        Voucher.objects.filter(funder=funder, redeemed_at__year=year, redeemed_at__month=month)
        .filter(claim__status__in=[ClaimStatus.CONFIRMED, ClaimStatus.HANDED_OVER])
        .select_related("claim", "claim__device", "claim__device__workshop")
        .order_by("redeemed_at", "pk")
    )
    rows = list(vouchers)
    return rows, sum(v.redeemed_cents for v in rows)


# --- pay at the workshop -----------------------------------------------------------------------------------


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
    if claim.pay_at_workshop != at_workshop:
        claim.pay_at_workshop = at_workshop
        claim.save(update_fields=["pay_at_workshop"])
        CLAIMS.note(
            claim,
            actor=actor,
            note="Paiement à l’atelier" if at_workshop else "Paiement en ligne (carte ou chèque numérique)",
        )
        if at_workshop:
            _notify_claim(claim, "claim_ready")
    return claim


# --- cancel and expire -------------------------------------------------------------------------------------


def _free_device(claim: Claim, actor, note: str):
    apply_transition(
        device_id=claim.device_id,
        to=DeviceState.LISTED,
        actor=actor,
        note=note,
        expected_from={DeviceState.RESERVED},
    )
    _release_voucher(claim)
    claim.payments.filter(status__in=[PaymentStatus.CREATED, PaymentStatus.PENDING]).update(
        status=PaymentStatus.CANCELLED
    )
    from reuse.claims.tasks import offer_device_task

    device_id = claim.device_id
    transaction.on_commit(lambda: offer_device_task.delay(device_id))


def cancel_claim(*, claim_id: int, actor, reason: str = "") -> Claim:
    """Before payment the device is listed again; after a card payment, Stripe refunds it and we record it."""
    from reuse.claims import payments

    with transaction.atomic():
        claim = Claim.objects.select_for_update().select_related("device").get(pk=claim_id)
        if claim.status not in (ClaimStatus.RESERVED, ClaimStatus.CONFIRMED):
            raise IllegalTransition(_("Cette demande ne peut plus être annulée."))
        move_claim(claim, to=ClaimStatus.CANCELLED, actor=actor, note=reason or _("Annulée."))
        _free_device(claim, actor, note=f"Demande #{claim.pk} annulée")
        WaitlistEntry.objects.filter(offered_claim=claim).update(status=WaitlistStatus.CANCELLED)
        refunds = payments.open_refunds(claim=claim, actor=actor)
    for refund in refunds:
        payments.execute_refund(refund_id=refund.pk)
    claim.refresh_from_db()
    return claim


def expire_claim(*, claim_id: int) -> bool:
    """A reservation not paid in time: the device goes back to the catalogue (or to the next on the waitlist)."""
    with transaction.atomic():
        claim = Claim.objects.select_for_update().filter(pk=claim_id).first()
        if claim is None or claim.status != ClaimStatus.RESERVED or claim.expires_at > timezone.now():
            return False
        robot = system_user()
        move_claim(claim, to=ClaimStatus.EXPIRED, actor=robot, note=_("Délai de réservation dépassé."))
        _free_device(claim, robot, note=f"Demande #{claim.pk} expirée")
        WaitlistEntry.objects.filter(offered_claim=claim).update(status=WaitlistStatus.LAPSED)
        _notify_claim(claim, "claim_expired")
    return True


def remind_expiring(*, claim_id: int) -> bool:
    with transaction.atomic():
        claim = Claim.objects.select_for_update().filter(pk=claim_id, reminder_sent_at__isnull=True).first()
        if claim is None or claim.status != ClaimStatus.RESERVED:
            return False
        claim.reminder_sent_at = timezone.now()
        claim.save(update_fields=["reminder_sent_at"])
        _notify_claim(claim, "claim_expiring")
    return True


# --- waitlist ----------------------------------------------------------------------------------------------


@transaction.atomic
def join_waitlist(
    *,
    actor: User,
    device_type: str,
    max_price_cents: int | None,
    lives_in_qpv_zrr: bool,
    no_computer: bool,
    children_at_school: bool,
    beneficiary: User | None = None,
) -> WaitlistEntry:
    beneficiary, organisation, _r = _resolve_claimant(actor=actor, beneficiary=beneficiary, organisation=None)
    decision = _valid_decision(beneficiary, organisation)
    existing = WaitlistEntry.objects.filter(
        beneficiary=beneficiary,
        device_type=device_type,
        status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED],
    ).first()
    if existing:
        raise InvalidInput(_("Vous êtes déjà inscrit(e) sur la liste d’attente pour ce type d’appareil."))
    profile = beneficiary.household
    return WaitlistEntry.objects.create(
        beneficiary=beneficiary,
        created_by=actor,
        programme=decision.programme,
        department=profile.department,
        postcode=profile.postcode,
        device_type=device_type,
        max_price_cents=max_price_cents,
        lives_in_qpv_zrr=lives_in_qpv_zrr,
        no_computer=no_computer,
        children_at_school=children_at_school,
    )


def verified_priorities(beneficiary_ids) -> dict[int, set[str]]:
    """Per household, the priority situations its current eligibility decision backs (one query)."""
    decisions = (
        EligibilityDecision.objects.valid()
        .filter(beneficiary_id__in=set(beneficiary_ids), replaced_by__isnull=True)
        .order_by("beneficiary_id", "-created")
    )
    backed: dict[int, set[str]] = {}
    for decision in decisions:
        backed.setdefault(decision.beneficiary_id, decision.verified_priorities)
    return backed


def extra_points(entries) -> dict[int, int]:
    """Points other apps add to waitlist entries (fragile territories), through the waitlist_points signal."""

    total: dict[int, int] = {}
    for _receiver, answer in waitlist_points.send(sender=WaitlistEntry, entries=entries):
        for pk, points in (answer or {}).items():
            total[pk] = total.get(pk, 0) + points
    return total


def ranked_waitlist(*, programme, device_type: str, department: str, at=None) -> list[WaitlistEntry]:
    """Waiting entries in the order they will be served: most points first, then the earliest."""
    entries = list(
        WaitlistEntry.objects.filter(
            programme=programme, device_type=device_type, department=department, status=WaitlistStatus.WAITING
        )
        .select_related("programme", "beneficiary", "created_by")
        .order_by("created", "pk")
    )
    backed = verified_priorities(e.beneficiary_id for e in entries)
    extra = extra_points(entries)
    for entry in entries:
        entry.points = entry.score(at, verified=backed.get(entry.beneficiary_id, set())) + extra.get(
            entry.pk, 0
        )
    return sorted(entries, key=lambda e: (-e.points, e.created, e.pk))


def waitlist_position(entry: WaitlistEntry) -> int | None:
    if entry.status != WaitlistStatus.WAITING:
        return None
    ranked = ranked_waitlist(
        programme=entry.programme, device_type=entry.device_type, department=entry.department
    )
    return next((i for i, e in enumerate(ranked, start=1) if e.pk == entry.pk), None)


def offer_device(device_id: int) -> Claim | None:
    """Offer a listed device to the first matching household on the waitlist (a reservation with a hold).

    Other apps call this after listing a device (through the task); expiry and cancellation call it too.
    """
    device = Device.objects.select_related("workshop").filter(pk=device_id, state=DeviceState.LISTED).first()
    if device is None:
        return None
    candidates = WaitlistEntry.objects.filter(
        status=WaitlistStatus.WAITING, device_type=device.type, department=device.workshop.department
    ).filter(Q(max_price_cents__isnull=True) | Q(max_price_cents__gte=device.price_cents or 0))
    programmes = {e.programme_id: e.programme for e in candidates.select_related("programme")}
    ranked = sorted(
        (
            e
            for p in programmes.values()
            for e in ranked_waitlist(
                programme=p, device_type=device.type, department=device.workshop.department
            )
            if e.max_price_cents is None or e.max_price_cents >= (device.price_cents or 0)
        ),
        key=lambda e: (-e.points, e.created, e.pk),
    )
    for entry in ranked:
        try:
            with transaction.atomic():
                locked = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
                if locked.status != WaitlistStatus.WAITING:
                    continue
                claim = create_claim(
                    actor=entry.created_by, device_id=device.pk, beneficiary=entry.beneficiary
                )
                WAITLIST.move(locked, WaitlistStatus.OFFERED, changes={"offered_claim": claim})
                ClaimEvent.record(
                    subject=claim,
                    actor=None,
                    previous=ClaimStatus.WAITLISTED,
                    to=claim.status,
                    note=_("Proposé depuis la liste d’attente."),
                )
                return claim
        except Unavailable:
            return None
        except (Forbidden, NotFound) as exc:
            if exc.code == "cooldown":
                continue  # only this device is out of reach for now: the household keeps its place
            # No longer eligible, over the cap or mandate ended: leave the list, and let the next one have it.
            WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistStatus.WAITING).update(
                status=WaitlistStatus.CANCELLED
            )
            logger.info("Waitlist entry %s skipped: %s", entry.pk, exc)
    return None


def offer_listed_devices(limit: int = 200) -> int:
    """Periodic sweep: offer listed devices that match someone waiting (catches listings nobody announced)."""
    offered = 0
    keys = set(
        WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING).values_list("device_type", "department")
    )
    for device_type, department in keys:
        devices = Device.objects.listed().filter(type=device_type, workshop__department=department)
        for pk in devices.order_by("price_cents", "pk").values_list("pk", flat=True)[:limit]:
            if offer_device(pk) is not None:
                offered += 1
    return offered


def warranty_months() -> int:
    return getattr(settings, "CLAIMS_WARRANTY_MONTHS", WARRANTY_MONTHS)
