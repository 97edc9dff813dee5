"""What an erasure report says, whichever tool wrote it: one entry per medium (inventory/reports/erasures.py and
nwipe.py read the formats into it)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from inventory.reports import common


@dataclass
class Entry(common.Medium):
    """One medium of a report, and what was done to it."""

    method: str = ""
    passes: int | None = None
    verified: bool = False
    succeeded: bool = False
    level: str = ""
    finished: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.succeeded and self.verified


@dataclass
class Report:
    kind: str
    tool: str
    tool_version: str = ""
    host_serial: str = ""
    entries: list[Entry] = field(default_factory=list)


def local_time(text: str, pattern: str) -> datetime | None:
    try:
        return timezone.make_aware(datetime.strptime(text.strip(), pattern))
    except (ValueError, TypeError):
        return None


def iso_time(text) -> datetime | None:
    """An ISO 8601 moment as a report writes it ("Z" or an offset; without one, local time), or None."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
