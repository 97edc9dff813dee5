"""Offering a submitted lot to a workshop: by staff (any approved workshop), or by the automatic rule (a workshop
serving the pickup department with room for the lot in its monthly capacity).

Both decide under row locks taken in one order, the lot first, then the workshops by id: the lot's lock keeps two
runs of the rule on the same lot (the task queued by a submission or a decline, and the hourly sweep) from both
offering it; the workshops' locks keep two lots assigned at the same moment from both counting the same room. The
load is read once those locks are held, so a decision is never taken on what was true before another committed.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from donations import texts
from donations.enums import LotStatus
from donations.models import Lot, LotItem
from donations.transitions import LOTS, import_in_flight, log_note, notify_workshop
from reuse.accounts.enums import OrganisationKind, OrganisationStatus
from reuse.accounts.models import Organisation, User
from reuse.errors import Conflict, InvalidInput
from reuse.lifecycle import Note, readable

# The lots that count against a workshop's monthly capacity, by status.
LOADED_STATUSES = (
    LotStatus.SUBMITTED,
    LotStatus.ACCEPTED,
    LotStatus.COLLECTED,
    LotStatus.RECEIVED,
    LotStatus.CLOSED,
)


def device_count(lot: Lot) -> int:
    return lot.items.aggregate(n=Coalesce(Sum("quantity"), 0))["n"]


def month_start(now: datetime | None = None) -> datetime:
    local = timezone.localtime(now or timezone.now())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def used_capacity(workshop: Organisation, now=None) -> int:
    """Devices in the lots assigned to a workshop this month (Europe/Paris calendar)."""
    return LotItem.objects.filter(
        lot__workshop=workshop, lot__assigned_at__gte=month_start(now), lot__status__in=LOADED_STATUSES
    ).aggregate(n=Coalesce(Sum("quantity"), 0))["n"]


def eligible_workshops(lot: Lot, now=None) -> list[Organisation]:
    """Approved workshops serving the pickup department with room this month, the emptiest first."""
    size = device_count(lot)
    candidates = []
    workshops = Organisation.objects.select_related("workshop_profile").filter(
        kind=OrganisationKind.WORKSHOP, status=OrganisationStatus.APPROVED, workshop_profile__isnull=False
    )
    for profile in (organisation.workshop_profile for organisation in workshops):
        if lot.pickup_department not in (profile.service_departments or []):
            continue
        if profile.organisation_id in (lot.declined_by or []):
            continue
        used = used_capacity(profile.organisation, now)
        if used + size <= profile.monthly_capacity:
            candidates.append((used / max(profile.monthly_capacity, 1), profile.organisation.pk, profile))
    candidates.sort(key=lambda entry: (entry[0], entry[1]))
    return [profile.organisation for _ratio, _pk, profile in candidates]


def hold_workshops(pks) -> None:
    """Lock workshops' rows, by id, until the end of the transaction: whoever offers them a lot waits for whoever
    is doing so (FOR NO KEY UPDATE, as the stock's check-in: rows pointing at the workshop may still be written)."""
    list(Organisation.objects.select_for_update(no_key=True).filter(pk__in=pks).order_by("pk").values("pk"))


def _offer(lot: Lot, workshop: Organisation, actor: User, note: Note = "") -> Lot:
    """Offer the locked, submitted lot to the locked workshop and tell both sides."""
    lot.workshop = workshop
    lot.assigned_at = timezone.now()
    lot.save(update_fields=["workshop", "assigned_at", "updated"])
    log_note(lot=lot, actor=actor, note=note or texts.JOURNAL_OFFERED(name=workshop.name))
    notify_workshop(lot=lot, note=readable(note))
    return lot


@transaction.atomic
def assign_lot(*, lot: Lot, workshop: Organisation, actor: User, note: str = "") -> Lot:
    """Staff offer a submitted lot to a workshop by hand (beyond its capacity if they choose); it accepts or declines."""
    lot = LOTS.lock(lot.pk)
    if lot.status != LotStatus.SUBMITTED:
        raise Conflict(_("Seul un lot soumis peut être attribué à un atelier."))
    if workshop.kind != OrganisationKind.WORKSHOP or workshop.status != OrganisationStatus.APPROVED:
        raise InvalidInput(_("Choisissez un atelier vérifié par l’équipe Rebond."))
    hold_workshops([workshop.pk])  # the automatic rule counting this workshop's room waits for this offer
    return _offer(lot, workshop, actor, note)


@transaction.atomic
def auto_assign(*, lot: Lot, actor: User | None = None) -> Lot | None:
    """The automatic rule: the first eligible workshop, if any; staff assign by hand otherwise.

    A lot whose manifest is being imported waits for the hourly sweep: its size is not known yet.
    """
    lot = LOTS.lock(lot.pk)
    if lot.status != LotStatus.SUBMITTED or lot.workshop_id:
        return None
    if import_in_flight(lot):
        return None
    candidates = eligible_workshops(lot)
    if not candidates:
        return None
    locked = {workshop.pk for workshop in candidates}
    hold_workshops(locked)
    # Read again under the locks: another lot may have been offered to one of them since the first reading.
    workshops = [workshop for workshop in eligible_workshops(lot) if workshop.pk in locked]
    if not workshops:
        return None
    workshop = workshops[0]
    return _offer(lot, workshop, actor or lot.created_by, texts.JOURNAL_AUTO_ASSIGNED(name=workshop.name))
