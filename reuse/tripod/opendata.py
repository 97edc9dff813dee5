"""The first-use sessions workshops publish, for the open-data export of workshops (cms.opendata)."""

from collections import defaultdict

from django.utils import timezone

from reuse.tripod.models import SessionSlot


def upcoming_sessions(workshop_ids) -> dict[int, list[str]]:
    """Start times (ISO 8601, Europe/Paris offset) of each workshop's upcoming sessions."""
    sessions = defaultdict(list)
    slots = SessionSlot.objects.upcoming().filter(workshop_id__in=workshop_ids).order_by("starts_at")
    for slot in slots:
        sessions[slot.workshop_id].append(timezone.localtime(slot.starts_at).isoformat(timespec="minutes"))
    return sessions
