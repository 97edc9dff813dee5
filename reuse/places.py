"""The one rule for writing a moment that happens somewhere: in the legal time of the place where it happens.

A hold ends, a device is handed over, a session starts at a workshop (or a partner mediation place), a pickup
happens at the donor's address: each moment is written in that place's time zone, on every page, email and PDF,
and said with its territory when that is not Paris time (« mercredi 9 décembre 2026 à 10:00 (heure de La
Réunion) »), so that a household in Saint-Denis and the hub's staff in Paris read the same hour the same way.
What is typed for a place (a session's start, a pickup) is read in that place's time the same way (`typed_at`),
and the days that count for a place are its days (`day_at`): a decision's last day where its household lives, a
warranty's and a follow-up's where the device was handed over, a tax receipt's date and year where the workshop is.
Times are stored in UTC, as everywhere else.
"""

from contextlib import AbstractContextManager
from functools import cache
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reuse.programmes.departments import PARIS_TIME_ZONE, department_of_postcode, time_zone_name

# Said after a moment not on Paris time; the words name the territory as French does, with its article.
ZONE_WORDS = {
    "971": gettext_lazy("heure de la Guadeloupe"),
    "972": gettext_lazy("heure de la Martinique"),
    "973": gettext_lazy("heure de la Guyane"),
    "974": gettext_lazy("heure de La Réunion"),
    "975": gettext_lazy("heure de Saint-Pierre-et-Miquelon"),
    "976": gettext_lazy("heure de Mayotte"),
}
LONG_FORMAT = gettext_lazy("l j F Y à H:i")


def department_of(place) -> str:
    """The département of a place: a département code or a postcode, a claim (its device's workshop), a device
    (its workshop), or anything with a `department` (an organisation, a session) or a `postcode` (a mediation
    place)."""
    if place is None:
        return ""
    if isinstance(place, str):
        return place if len(place) <= 3 else department_of_postcode(place)
    # A claim happens at its device's workshop, a device at its workshop (a session hosted by a mediation place
    # has no workshop: its own `department` says where it is).
    for holder in ("device", "workshop"):
        if getattr(place, holder, None) is not None:
            return department_of(getattr(place, holder))
    return getattr(place, "department", "") or department_of_postcode(getattr(place, "postcode", "") or "")


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone_of(place) -> ZoneInfo:
    return _zone(time_zone_name(department_of(place)))


def at_place(moment, place):
    """The aware moment in the place's time zone (None stays None)."""
    if moment is None:
        return None
    return timezone.localtime(moment, zone_of(place))


def day_at(moment, place):
    """The day a moment falls on where it happens: a gift received at 01:30 on 1 January in Saint-Denis is
    given that year, though it is still 31 December in Paris."""
    return at_place(moment, place).date()


def zone_words(place) -> str:
    """« heure de La Réunion » for a place off Paris time, "" on Paris time."""
    if time_zone_name(department_of(place)) == PARIS_TIME_ZONE:
        return ""
    return str(ZONE_WORDS[department_of(place)])


def when_at(moment, place, format: str | None = None) -> str:
    """A moment as people read it where it happens, in the reader's language, with its territory when that is
    not on Paris time."""
    if moment is None:
        return ""
    text = date_format(at_place(moment, place), str(format or LONG_FORMAT))
    words = zone_words(place)
    return _("%(moment)s (%(zone)s)") % {"moment": text, "zone": words} if words else text


def typed_at(place) -> AbstractContextManager:
    """While a form typed for a place is read: a time typed without a zone is that place's time."""
    return timezone.override(zone_of(place))
