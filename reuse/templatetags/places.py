"""Template side of reuse.places: a moment of a place written in that place's time.

`{{ claim.expires_at|when_at:workshop }}` writes the long form with its territory when not on Paris time;
`{{ slot.starts_at|at_place:slot|date:"j/m/Y H:i" }}` another format, followed by `{{ slot|zone_note }}`.
"""

from django import template
from django.templatetags.tz import do_timezone

from reuse import places

register = template.Library()


@register.filter
def at_place(moment, place):
    """The moment in the place's time zone, kept there by |date and |time (which would otherwise write it in the
    server's zone)."""
    if moment is None or moment == "":
        return moment
    return do_timezone(moment, places.zone_of(place))


@register.filter
def when_at(moment, place):
    return places.when_at(moment, place)


@register.filter
def zone_note(place) -> str:
    """« (heure de La Réunion) » after a moment of a place off Paris time, nothing on Paris time."""
    words = places.zone_words(place)
    return f" ({words})" if words else ""
