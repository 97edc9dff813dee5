"""The first-use sessions workshops publish, for the open-data export of workshops (cms.opendata)."""

from collections import defaultdict

from reuse import places
from reuse.tripod.models import SessionSlot


def upcoming_sessions(workshop_ids) -> dict[int, list[str]]:
    """Start times (ISO 8601, offset of the workshop's own time, reuse.places) of each workshop's upcoming sessions."""
    sessions = defaultdict(list)
    slots = SessionSlot.objects.upcoming().filter(workshop_id__in=workshop_ids).order_by("starts_at")
    for slot in slots:
        sessions[slot.workshop_id].append(places.at_place(slot.starts_at, slot).isoformat(timespec="minutes"))
    return sessions
