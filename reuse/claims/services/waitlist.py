"""The waiting list: joining it, its order (points, then seniority) and the offers made from it when a device
is listed, cancelled or expires."""

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from inventory.enums import DeviceState, DeviceType
from inventory.models import Device
from reuse.accounts.emails import language_of, organisation_language
from reuse.accounts.enums import OrganisationStatus
from reuse.accounts.models import User
from reuse.accounts.services import notify
from reuse.claims import texts
from reuse.claims.enums import ClaimStatus, WaitlistStatus
from reuse.claims.models import Claim, ClaimEvent, WaitlistEntry
from reuse.claims.services import reservations
from reuse.claims.services.checks import (
    check_home_in_territory,
    lock_claimant,
    programme_departments,
    programmes_covering,
    resolve_claimant,
    valid_decision,
)
from reuse.claims.signals import waitlist_points
from reuse.claims.transitions import WAITLIST
from reuse.eligibility.enums import MandateScope
from reuse.eligibility.models import EligibilityDecision
from reuse.errors import Conflict, Forbidden, NotFound, Unavailable
from reuse.policy.mandates import running_mandates
from reuse.programmes.models import Programme

logger = logging.getLogger(__name__)
# The code of the refusal to put someone on a list they are already on.
ALREADY_WAITING = "already_waiting"


def _entitled_to_wait(*, actor: User, beneficiary: User | None):
    """(beneficiary, decision) a place on the waiting list is asked for; raises the refusal when it may not be."""
    beneficiary, organisation, _r = resolve_claimant(actor=actor, beneficiary=beneficiary, organisation=None)
    decision = valid_decision(beneficiary, organisation, actor)
    check_home_in_territory(decision, actor=actor, beneficiary=beneficiary)
    return beneficiary, decision


def waitlist_refusal(*, actor: User, beneficiary: User | None = None) -> Forbidden | None:
    """The refusal joining the waiting list would meet now (join_waitlist's own rule), None when it would not:
    the page says it in place of the form."""
    try:
        _entitled_to_wait(actor=actor, beneficiary=beneficiary)
    except Forbidden as refusal:
        return refusal
    return None


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
    beneficiary, decision = _entitled_to_wait(actor=actor, beneficiary=beneficiary)
    lock_claimant(beneficiary, None)  # two taps at once: the second sees the first one's place
    existing = WaitlistEntry.objects.filter(
        beneficiary=beneficiary,
        device_type=device_type,
        status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED],
    ).exists()
    if existing:
        # The same answer sent again, most often: the view takes it as the first one (ALREADY_WAITING).
        raise Conflict(
            _("Vous êtes déjà inscrit(e) sur la liste d’attente pour ce type d’appareil.")
            if actor.pk == beneficiary.pk
            else _("Ce foyer est déjà inscrit sur la liste d’attente pour ce type d’appareil."),
            code=ALREADY_WAITING,
        )
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


def ranked_waitlist(*, programme, device_type: str, at=None) -> list[WaitlistEntry]:
    """A programme's waiting entries in the order they will be served: most points first, then the earliest.
    One queue for the programme's whole territory: each of them may be offered a device of any of its
    departments, as each may claim one there."""
    entries = list(
        WaitlistEntry.objects.filter(
            programme=programme, device_type=device_type, status=WaitlistStatus.WAITING
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
    ranked = ranked_waitlist(programme=entry.programme, device_type=entry.device_type)
    return next((i for i, e in enumerate(ranked, start=1) if e.pk == entry.pk), None)


def offer_device(device_id: int) -> Claim | None:
    """Offer a listed device to the first matching household on the waitlist (a reservation with a hold).

    Offered to the households of the programmes whose territory holds the device's workshop, wherever in that
    territory they live: the rule a claim follows (checks.programmes_covering). Other apps call this after
    listing a device (through the task); expiry and cancellation call it too.
    """
    device = Device.objects.select_related("workshop").filter(pk=device_id, state=DeviceState.LISTED).first()
    if device is None:
        return None
    candidates = WaitlistEntry.objects.filter(
        status=WaitlistStatus.WAITING,
        device_type=device.type,
        programme__in=programmes_covering(device.workshop.department),
    ).filter(Q(max_price_cents__isnull=True) | Q(max_price_cents__gte=device.price_cents or 0))
    programmes = {e.programme_id: e.programme for e in candidates.select_related("programme")}
    ranked = sorted(
        (
            e
            for p in programmes.values()
            for e in ranked_waitlist(programme=p, device_type=device.type)
            if e.max_price_cents is None or e.max_price_cents >= (device.price_cents or 0)
        ),
        key=lambda e: (-e.points, e.created, e.pk),
    )
    for entry in ranked:
        actor = offered_by(entry)
        try:
            with transaction.atomic():
                # The household before its place, as closing its account locks them: else each waits for the other.
                lock_claimant(entry.beneficiary, entry.organisation)
                locked = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
                if locked.status != WaitlistStatus.WAITING:
                    continue
                if actor is None:
                    raise NotFound()
                # A refusal is told to whoever the place is for (tell_left): its reason in their language.
                with translation.override(told_language(entry, actor)):
                    claim = reservations.create_claim(
                        actor=actor, device_id=device.pk, beneficiary=entry.beneficiary
                    )
                WAITLIST.move(locked, WaitlistStatus.OFFERED, changes={"offered_claim": claim})
                ClaimEvent.record(
                    subject=claim,
                    actor=None,
                    previous=ClaimStatus.WAITLISTED,
                    to=claim.status,
                    note=texts.FROM_WAITLIST(),
                )
                return claim
        except Unavailable:
            return None
        except (Forbidden, NotFound) as exc:
            if exc.code in ("cooldown", "outside_territory"):
                continue  # only this device is out of reach: the household keeps its place
            # No longer eligible, over the cap or mandate ended: leave the list, and let the next one have it.
            with transaction.atomic():
                locked = WAITLIST.lock(entry.pk)
                if locked.status == WaitlistStatus.WAITING:
                    WAITLIST.move(locked, WaitlistStatus.CANCELLED)
                    tell_left(locked, exc.message)
            logger.info("Waitlist entry %s skipped: %s", entry.pk, exc)
    return None


def offered_by(entry: WaitlistEntry) -> User | None:
    """Who acts for the place when a device comes: whoever put the person on the list while they may still act
    for it. The place is the household's, the referrer's powers are not: once the mandate is withdrawn or ended,
    a household that signs in on its own is offered the device in its own name, and nobody acts for one that
    cannot (None)."""
    creator, household = entry.created_by, entry.beneficiary
    if household is None or creator.pk == household.pk:
        return creator
    if running_mandates(creator, scope=MandateScope.CLAIMS, household=household).exists():
        return creator
    return household if household.is_active and household.email else None


def tell_left(entry: WaitlistEntry, reason: str) -> None:
    """Whoever acts for the place (the household, its referrer while the mandate runs) or the association is told
    why it went and what to do: a household whose decision expired would otherwise wait for an offer that never
    comes. A former referrer hears nothing more about the household."""
    kind = (
        DeviceType(entry.device_type).label if entry.device_type in DeviceType.values else entry.device_type
    )
    context = {"entry": entry, "reason": reason, "device_type": kind}
    actor = offered_by(entry)
    user, email = told_about(entry, actor)
    if user is not None or email:
        notify(
            template="waitlist_left",
            context=context,
            user=user,
            to_email=email,
            language_if_unknown=organisation_language(entry.organisation),
            about=entry.beneficiary,
        )


def told_language(entry: WaitlistEntry, actor: User | None) -> str:
    """The language of whoever hears about the place: an association's address, its members'."""
    return language_of(*told_about(entry, actor), otherwise=organisation_language(entry.organisation))


def told_about(entry: WaitlistEntry, actor: User | None) -> tuple[User | None, str | None]:
    """Who hears that a place went: whoever acts for it, else the association's address (or nobody)."""
    if actor is not None and actor.email:
        return actor, None
    if entry.organisation_id and entry.organisation.email:
        return None, entry.organisation.email
    return None, None


def offer_listed_devices(limit: int = 200) -> int:
    """Periodic sweep: offer listed devices that match someone waiting (catches listings nobody announced)."""
    offered = 0
    keys = set(
        WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING).values_list("device_type", "programme")
    )
    programmes = Programme.objects.in_bulk({programme_id for _t, programme_id in keys})
    for device_type, programme_id in sorted(keys):
        devices = Device.objects.listed().filter(
            type=device_type,
            workshop__department__in=programme_departments(programmes[programme_id]),
            workshop__status=OrganisationStatus.APPROVED,
        )
        for pk in devices.order_by("price_cents", "pk").values_list("pk", flat=True)[:limit]:
            if offer_device(pk) is not None:
                offered += 1
    return offered
