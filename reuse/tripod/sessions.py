"""First-use sessions: a workshop or a partner place publishes them, a household (or the counter, or its
referrer) books a seat with its claim, the host marks who came; a session changed or cancelled is told to every
booked household. Re-exported by reuse.tripod.services, the tripod's one entry point.

Keyword-only, atomic, typed errors. Acting for a household goes through reuse.policy.mandates only.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import Organisation, User
from reuse.accounts.services import notify
from reuse.claims.enums import ACTIVE_CLAIM_STATUSES
from reuse.claims.models import Claim
from reuse.eligibility.enums import MandateScope
from reuse.errors import Conflict, InvalidInput, NotFound
from reuse.policy.accounts import acting_organisations, is_staff
from reuse.policy.mandates import acting_mandate
from reuse.programmes.departments import postcode_prefixes
from reuse.tripod.enums import ACTIVE_BOOKING_STATUSES, BookingStatus
from reuse.tripod.models import (
    SessionBooking,
    SessionSlot,
)
from reuse.tripod.transitions import BOOKINGS

# A session is booked at least this long before it starts, so that the host can prepare a seat.
BOOKING_CLOSES_BEFORE = timedelta(hours=1)
REMINDER_AHEAD = timedelta(hours=48)


def workshops_of(user: User):
    return acting_organisations(user, OrganisationKind.WORKSHOP)


def near_claim(claim: Claim) -> Q:
    """The sessions a claim is offered: its workshop's, and partner places' in its département."""
    near = Q(workshop_id=claim.device.workshop_id)
    for prefix in postcode_prefixes(claim.department):
        near |= Q(place__postcode__startswith=prefix)
    return near


def bookable_slots(claim: Claim):
    """Sessions a household may book with a claim: its workshop's, then partner places' in its department."""
    closes = timezone.now() + BOOKING_CLOSES_BEFORE
    return (
        SessionSlot.objects.upcoming(closes)
        .filter(near_claim(claim))
        .select_related("workshop", "place")
        .order_by("starts_at", "pk")
    )


@transaction.atomic
def publish_slot(
    *, actor: User, workshop: Organisation, starts_at, duration_minutes: int, capacity: int, topic: str = ""
) -> SessionSlot:
    if not workshops_of(actor).filter(pk=workshop.pk).exists():
        raise NotFound()
    if starts_at <= timezone.now():
        raise InvalidInput(_("Une séance se publie pour une date à venir."))
    return SessionSlot.objects.create(
        workshop=workshop,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        capacity=capacity,
        topic=topic,
        created_by=actor,
    )


def _counter_may_book(actor: User, claim: Claim | None) -> bool:
    """A workshop books at its counter for the household of a claim on one of its devices."""
    return claim is not None and workshops_of(actor).filter(pk=claim.device.workshop_id).exists()


@transaction.atomic
def book_session(*, actor: User, household: User, slot_id: int, claim: Claim | None = None) -> SessionBooking:
    """A seat for the household, booked by itself, its referrer under a mandate covering claims, or the counter.

    The slot row is locked while seats are counted, so two people cannot take the last seat together.
    """
    if claim is not None and claim.beneficiary_id != household.pk:
        raise NotFound()
    if claim is not None and claim.status not in ACTIVE_CLAIM_STATUSES:
        raise Conflict(
            _("Cette demande n’est plus en cours : on ne peut plus réserver de séance avec elle."),
            code="claim_closed",
        )
    mandate = None
    if not _counter_may_book(actor, claim):
        mandate = acting_mandate(actor=actor, household=household, scope=MandateScope.CLAIMS)
    slot = SessionSlot.objects.select_for_update().filter(pk=slot_id).first()
    # With a claim, only a session the claim is offered (a slot id posted from elsewhere is none of them).
    if (
        claim is not None
        and slot is not None
        and not SessionSlot.objects.filter(near_claim(claim), pk=slot.pk).exists()
    ):
        slot = None
    if slot is None or slot.cancelled:
        raise NotFound(_("Cette séance n’existe pas ou a été annulée."))
    if slot.starts_at <= timezone.now() + BOOKING_CLOSES_BEFORE:
        raise Conflict(_("Cette séance commence bientôt : choisissez-en une autre."), code="slot_closed")
    if slot.seats_taken() >= slot.capacity:
        raise Conflict(_("Cette séance est complète : choisissez-en une autre."), code="slot_full")
    if SessionBooking.objects.filter(
        slot=slot, household=household, status__in=ACTIVE_BOOKING_STATUSES
    ).exists():
        raise Conflict(_("Une place est déjà réservée à cette séance."), code="already_booked")
    try:
        with transaction.atomic():
            booking = SessionBooking.objects.create(
                slot=slot, household=household, claim=claim, booked_by=actor, mandate=mandate
            )
    except IntegrityError as exc:
        raise Conflict(_("Une place est déjà réservée à cette séance."), code="already_booked") from exc
    return booking


def release_seats(bookings) -> int:
    """Cancel the seats of `bookings` still booked (one conditional UPDATE: a seat attended, marked absent or
    already cancelled stays as it is); how many were freed. Every way a seat is given back goes through it."""
    return BOOKINGS.update_where(bookings, BookingStatus.CANCELLED)


@transaction.atomic
def cancel_booking(*, actor: User, booking: SessionBooking) -> SessionBooking:
    acting_mandate(actor=actor, household=booking.household, scope=MandateScope.CLAIMS)
    updated = release_seats(SessionBooking.objects.filter(pk=booking.pk))
    if not updated:
        raise Conflict(_("Cette réservation ne peut plus être annulée."), code="illegal_transition")
    booking.refresh_from_db()
    return booking


# What staff may correct on a published session; `cancelled` moves only through cancel_slot.
SLOT_EDITABLE_FIELDS = ("workshop", "place", "starts_at", "duration_minutes", "capacity", "topic")
# A change of any of these is told to the booked households: they would come at the wrong time or place.
SLOT_NOTIFIED_FIELDS = ("workshop", "place", "starts_at")


def _may_manage_slot(actor: User, slot: SessionSlot) -> bool:
    """Hub staff manage every session; a workshop's members manage their workshop's sessions."""
    if is_staff(actor):
        return True
    return slot.workshop_id is not None and workshops_of(actor).filter(pk=slot.workshop_id).exists()


def _locked_slot(actor: User, slot_id: int) -> SessionSlot:
    slot = SessionSlot.objects.select_for_update().filter(pk=slot_id).first()
    if slot is None or not _may_manage_slot(actor, slot):
        raise NotFound()
    return slot


def _booked(slot: SessionSlot):
    return SessionBooking.objects.filter(slot=slot, status=BookingStatus.BOOKED).select_related("household")


@transaction.atomic
def update_slot(*, actor: User, slot: SessionSlot, **changes) -> SessionSlot:
    """Correct a session. Its capacity never goes below the seats already taken (the slot row is locked while
    they are counted, as booking does), and the households booked are told by email when its date, time or place
    changes (their reminder is sent again for the new date)."""
    unknown = set(changes) - set(SLOT_EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(_("Champs non modifiables : %(f)s") % {"f": ", ".join(sorted(unknown))})
    slot = _locked_slot(actor, slot.pk)
    if slot.cancelled:
        raise Conflict(_("Cette séance est annulée : elle n’est plus modifiable."), code="slot_cancelled")
    before = {name: getattr(slot, name) for name in SLOT_NOTIFIED_FIELDS}
    for name, value in changes.items():
        setattr(slot, name, value)
    if (slot.workshop_id is None) == (slot.place_id is None):
        raise InvalidInput(_("Une séance a lieu soit dans un atelier, soit dans un lieu partenaire."))
    if "starts_at" in changes and slot.starts_at != before["starts_at"] and slot.starts_at <= timezone.now():
        raise InvalidInput(_("Une séance se déplace vers une date à venir."))
    taken = slot.seats_taken()
    if slot.capacity < taken:
        raise Conflict(
            ngettext(
                "%(taken)d place est déjà réservée : la séance ne peut pas en compter moins.",
                "%(taken)d places sont déjà réservées : la séance ne peut pas en compter moins.",
                taken,
            )
            % {"taken": taken},
            code="capacity_below_bookings",
        )
    slot.save(update_fields=list(changes) or None)
    moved = [name for name in SLOT_NOTIFIED_FIELDS if getattr(slot, name) != before[name]]
    if moved:
        booked = list(_booked(slot))
        SessionBooking.objects.filter(pk__in=[b.pk for b in booked]).update(reminder_sent_at=None)
        for booking in booked:
            notify(
                user=booking.household,
                template="session_moved",
                context={"booking": booking, "slot": slot, "previous_starts_at": before["starts_at"]},
            )
    return slot


@transaction.atomic
def cancel_slot(*, actor: User, slot: SessionSlot, reason: str = "") -> SessionSlot:
    """Cancel a session and every seat booked at it, and tell each booked household by email (sent once the
    transaction commits; a household without email is told by its workshop or referrer, who see the list)."""
    slot = _locked_slot(actor, slot.pk)
    if slot.cancelled:
        raise Conflict(_("Cette séance est déjà annulée."), code="illegal_transition")
    if slot.starts_at <= timezone.now():
        raise Conflict(_("Une séance commencée ou passée ne s’annule plus."), code="illegal_transition")
    booked = list(_booked(slot))
    SessionSlot.objects.filter(pk=slot.pk).update(cancelled=True)
    release_seats(SessionBooking.objects.filter(pk__in=[b.pk for b in booked]))
    slot.refresh_from_db()
    for booking in booked:
        notify(
            user=booking.household,
            template="session_cancelled",
            context={"booking": booking, "slot": slot, "reason": reason.strip()[:300]},
        )
    return slot


@transaction.atomic
def mark_attendance(*, actor: User, booking_id: int, attended: bool) -> SessionBooking:
    """The host workshop says who came, once the session has started."""
    booking = (
        SessionBooking.objects.select_for_update()
        .select_related("slot")
        .filter(pk=booking_id, slot__workshop__in=workshops_of(actor))
        .first()
    )
    if booking is None:
        raise NotFound()
    if booking.slot.starts_at > timezone.now():
        raise Conflict(_("La présence se note une fois la séance commencée."), code="not_started")
    if booking.status == BookingStatus.CANCELLED:
        raise Conflict(_("Cette réservation a été annulée."), code="illegal_transition")
    to = BookingStatus.ATTENDED if attended else BookingStatus.ABSENT
    return BOOKINGS.move(booking, to, changes={"marked_by": actor})


def send_session_reminders(now=None) -> int:
    """Email the households with an address whose session starts within REMINDER_AHEAD (once each).

    Households without email get the reminder on their printed code sheet instead (see the claim's code page).
    """
    now = now or timezone.now()
    due = SessionBooking.objects.filter(
        status=BookingStatus.BOOKED,
        reminder_sent_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + REMINDER_AHEAD,
        slot__cancelled=False,
    ).select_related("slot", "slot__workshop", "slot__place", "household")
    sent = 0
    for booking in due:
        with transaction.atomic():
            claimed = SessionBooking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if claimed and booking.household.email:
                notify(user=booking.household, template="session_reminder", context={"booking": booking})
                sent += 1
    return sent
