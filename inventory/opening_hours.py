"""A workshop's opening hours: asked as people say them (days, then hours), stored in the OpenStreetMap
`opening_hours` syntax that the national schema of digital mediation places uses for its "horaires" field.

Only the part of that syntax the form can write is accepted ("Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-13:00"):
each rule names days and up to two time ranges. The model field validates it on every write path (forms, the
admin, the registration service), so free text never reaches the directory nor the open-data export.
"""

import re
from datetime import time

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
HOLIDAYS = "PH"
DAY_NAMES = {
    "Mo": _("lundi"),
    "Tu": _("mardi"),
    "We": _("mercredi"),
    "Th": _("jeudi"),
    "Fr": _("vendredi"),
    "Sa": _("samedi"),
    "Su": _("dimanche"),
    HOLIDAYS: _("jours fériés"),
}
ROWS = 4  # rules the form offers: weekdays, one different day, Saturday, Sunday is enough for a workshop
RANGES = 2  # time ranges per rule: morning and afternoon
DAY_TOKEN = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$|^PH$")
RANGE_TOKEN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


def _minutes(hours: str, minutes: str) -> int:
    return int(hours) * 60 + int(minutes)


def _unreadable(number: int, rule: str) -> ValidationError:
    return ValidationError(
        _("Horaires illisibles (règle %(n)s) : « %(rule)s »."), params={"n": number, "rule": rule}
    )


def _rule_days(days_text: str, number: int, rule: str) -> list[str]:
    """The days a rule names ("Mo-We,Fr,PH"), in the order written."""
    days: list[str] = []
    for token in days_text.split(","):
        match = DAY_TOKEN.match(token)
        if not match:
            raise _unreadable(number, rule)
        if token == HOLIDAYS:
            days.append(HOLIDAYS)
            continue
        start, end = match.group(1), match.group(2) or match.group(1)
        first, last = DAYS.index(start), DAYS.index(end)
        if last < first:
            raise ValidationError(
                _("Les jours vont du premier au dernier : « %(days)s »."), params={"days": token}
            )
        days.extend(DAYS[first : last + 1])
    return days


def _rule_ranges(ranges_text: str, number: int, rule: str) -> list[tuple[int, int]]:
    """The time ranges of a rule ("09:00-12:00,14:00-17:00") in minutes, each after the one before."""
    ranges: list[tuple[int, int]] = []
    for token in ranges_text.strip().split(",") if ranges_text.strip() else []:
        match = RANGE_TOKEN.match(token)
        if not match:
            raise _unreadable(number, rule)
        opens, closes = _minutes(*match.group(1, 2)), _minutes(*match.group(3, 4))
        if closes <= opens:
            raise ValidationError(
                _("Une plage ferme après avoir ouvert : « %(range)s »."), params={"range": token}
            )
        if ranges and opens < ranges[-1][1]:
            raise ValidationError(
                _("Les plages d’un même jour se suivent sans se chevaucher : « %(rule)s »."),
                params={"rule": rule},
            )
        ranges.append((opens, closes))
    return ranges


def _rules(value: str):
    """(number, rule, days text, ranges text) of each rule of the syntax."""
    for number, rule in enumerate((part.strip() for part in (value or "").split(";") if part.strip()), 1):
        days_text, _space, ranges_text = rule.partition(" ")
        yield number, rule, days_text, ranges_text


def parse(value: str) -> list[tuple[list[str], list[tuple[time, time]]]]:
    """[(days, [(opens, closes), ...]), ...] from the stored syntax; raises ValidationError if it is not ours."""
    rules = []
    seen: set[str] = set()
    for number, rule, days_text, ranges_text in _rules(value):
        days = _rule_days(days_text, number, rule)
        twice = seen.intersection(days)
        if twice:
            raise ValidationError(
                _("Le %(day)s apparaît dans deux plages : un jour n’a qu’une ligne d’horaires."),
                params={"day": DAY_NAMES[sorted(twice, key=_day_order)[0]]},
            )
        seen.update(days)
        ranges = _rule_ranges(ranges_text, number, rule)
        if not ranges:
            raise ValidationError(
                _("Indiquez les heures d’ouverture de « %(days)s »."), params={"days": days_text}
            )
        if len(ranges) > RANGES:
            raise ValidationError(
                _("Au plus %(n)s plages horaires par jour (matin et après-midi)."), params={"n": RANGES}
            )
        rules.append((days, [(_time(o), _time(c)) for o, c in ranges]))
    if len(rules) > ROWS:
        raise ValidationError(_("Au plus %(n)s lignes d’horaires."), params={"n": ROWS})
    return rules


def parse_published(value: str) -> list[tuple[list[str], list[tuple[time, time]]]]:
    """The hours as others publish them in this syntax (the national files of mediation places): any number of
    rules and ranges, "off" or "closed" for a closed day, and a later rule replacing an earlier one for its days
    (OpenStreetMap's rule). Days with the same hours are grouped, in the week's order; closed days have no range.
    Raises ValidationError beyond that (weeks, months, sunrise...)."""
    by_day: dict[str, list[tuple[int, int]]] = {}
    for number, rule, days_text, ranges_text in _rules(value):
        days = _rule_days(days_text, number, rule)
        closed = ranges_text.strip().lower() in ("off", "closed")
        ranges = [] if closed else _rule_ranges(ranges_text, number, rule)
        if not closed and not ranges:
            raise _unreadable(number, rule)
        by_day.update(dict.fromkeys(days, ranges))
    groups: dict[tuple, list[str]] = {}
    for day in sorted(by_day, key=_day_order):
        groups.setdefault(tuple(by_day[day]), []).append(day)
    return [(days, [(_time(o), _time(c)) for o, c in ranges]) for ranges, days in groups.items()]


def _day_order(day: str) -> int:
    return DAYS.index(day) if day in DAYS else len(DAYS)


def _time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _runs(days: list[str]) -> list[list[str]]:
    """Week days in order, consecutive ones together: Mo, Tu, We, Fr → [[Mo, Tu, We], [Fr]]."""
    runs: list[list[str]] = []
    for day in sorted({d for d in days if d != HOLIDAYS}, key=_day_order):
        if runs and DAYS.index(day) == DAYS.index(runs[-1][-1]) + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def _days_syntax(days: list[str]) -> str:
    """["Mo", "Tu", "We", "Fr"] → "Mo-We,Fr": three days or more in a row as a range, holidays last."""
    text = [f"{run[0]}-{run[-1]}" if len(run) > 2 else ",".join(run) for run in _runs(days)]
    if HOLIDAYS in days:
        text.append(HOLIDAYS)
    return ",".join(text)


def _days_words(days: list[str]) -> str:
    names = []
    for run in _runs(days):
        if len(run) > 2:
            names.append(f"{DAY_NAMES[run[0]]} – {DAY_NAMES[run[-1]]}")
        else:
            names.extend(str(DAY_NAMES[day]) for day in run)
    if HOLIDAYS in days:
        names.append(str(DAY_NAMES[HOLIDAYS]))
    return ", ".join(names)


def compose(rules) -> str:
    """The stored syntax from [(days, [(opens, closes), ...]), ...]."""
    return "; ".join(
        f"{_days_syntax(days)} {','.join(f'{_hhmm(o)}-{_hhmm(c)}' for o, c in ranges)}"
        for days, ranges in rules
    )


def validate_opening_hours(value: str) -> None:
    parse(value)


def is_valid(value: str) -> bool:
    try:
        parse(value)
    except ValidationError:
        return False
    return True


def readable(value: str, *, reader=parse) -> list[str]:
    """The hours in words, one line per rule (« lundi – vendredi : 09:00–12:00, 14:00–17:00 », « mercredi :
    fermé »); nothing for a value `reader` does not read (never shown as typed)."""
    try:
        rules = reader(value)
    except ValidationError:
        return []
    return [
        _("%(days)s : %(hours)s")
        % {
            "days": _days_words(days),
            "hours": ", ".join(f"{_hhmm(o)}–{_hhmm(c)}" for o, c in ranges) if ranges else _("fermé"),
        }
        for days, ranges in rules
    ]


def opening_hours_of(organisation) -> list[str]:
    """The workshop's opening hours in words (empty when it has no profile or no hours)."""
    return readable(getattr(getattr(organisation, "workshop_profile", None), "opening_hours", ""))


# --- form ----------------------------------------------------------------------------------------------------


DAY_CHOICES = [(day, DAY_NAMES[day]) for day in [*DAYS, HOLIDAYS]]


class OpeningHoursWidget(forms.MultiWidget):
    """Per line: the days (checkboxes), then opens/closes and, after a break, opens/closes again."""

    template_name = "inventory/widgets/opening_hours.html"

    def __init__(self, attrs=None):
        widgets = []
        for _row in range(ROWS):
            widgets.append(forms.CheckboxSelectMultiple(choices=DAY_CHOICES))
            widgets.extend(forms.TimeInput(attrs={"type": "time"}, format="%H:%M") for _ in range(2 * RANGES))
        super().__init__(widgets, attrs)

    def decompress(self, value):
        try:
            rules = parse(value) if value else []
        except ValidationError:
            rules = []
        values = []
        for index in range(ROWS):
            days, ranges = rules[index] if index < len(rules) else ([], [])
            values.append(days)
            for slot in range(RANGES):
                opens, closes = ranges[slot] if slot < len(ranges) else (None, None)
                values.extend([opens, closes])
        return values

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Hours typed as free text before they were checked cannot fill the lines: say so, to be typed again.
        context["unreadable"] = value if isinstance(value, str) and value and not is_valid(value) else ""
        subwidgets = context["widget"]["subwidgets"]
        per_row = 1 + 2 * RANGES
        context["rows"] = [
            {
                "number": index + 1,
                "days": subwidgets[index * per_row],
                "times": subwidgets[index * per_row + 1 :][:4],
            }
            for index in range(ROWS)
        ]
        return context


class OpeningHoursFormField(forms.MultiValueField):
    widget = OpeningHoursWidget

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        fields = []
        for _row in range(ROWS):
            fields.append(forms.MultipleChoiceField(choices=DAY_CHOICES, required=False))
            fields.extend(forms.TimeField(required=False) for _ in range(2 * RANGES))
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return ""
        per_row = 1 + 2 * RANGES
        rules, errors = [], []
        for index in range(ROWS):
            days, *times = data_list[index * per_row : (index + 1) * per_row]
            ranges = []
            for slot in range(RANGES):
                opens, closes = times[2 * slot], times[2 * slot + 1]
                if opens is None and closes is None:
                    continue
                if opens is None or closes is None:
                    errors.append(
                        _("Ligne %(n)s : indiquez l’heure d’ouverture et l’heure de fermeture.")
                        % {"n": index + 1}
                    )
                    continue
                if closes <= opens:
                    errors.append(
                        _("Ligne %(n)s : la fermeture (%(closes)s) doit suivre l’ouverture (%(opens)s).")
                        % {"n": index + 1, "opens": _hhmm(opens), "closes": _hhmm(closes)}
                    )
                    continue
                ranges.append((opens, closes))
            if days and not ranges and not errors:
                errors.append(_("Ligne %(n)s : indiquez les heures de ces jours.") % {"n": index + 1})
            elif ranges and not days:
                errors.append(_("Ligne %(n)s : cochez les jours de ces horaires.") % {"n": index + 1})
            elif days and ranges:
                rules.append((days, ranges))
        if errors:
            raise ValidationError(errors)
        value = compose(rules)
        validate_opening_hours(value)
        return value


class OpeningHoursField(models.CharField):
    """Opening hours in the OpenStreetMap syntax, validated; typed in forms as days and hours."""

    default_validators = [validate_opening_hours]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{**kwargs, "form_class": OpeningHoursFormField})
