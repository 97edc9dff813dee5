"""The bounds of every number a person can write, declared once.

Each bound gives the model field its validators (so ModelForms and the admin refuse out-of-range values with a
form error) and the database a CheckConstraint (so no write path, not even a bulk update, can store one). The
services call `check` before saving and raise `FieldInvalid`, which the API answers with a 422 naming the field.
The limits are generous: they refuse what cannot be true (a 123456789-inch screen, 70,000 GB of RAM, a battery
at 500 %), never an unusual but real device.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import AfterValidator, Field

from reuse.errors import InvalidInput


@dataclass(frozen=True)
class Bounds:
    low: int | Decimal
    high: int | Decimal

    @property
    def validators(self) -> list:
        return [MinValueValidator(self.low), MaxValueValidator(self.high)]

    @property
    def form_limits(self) -> dict:
        """A form field's min_value and max_value, so that the form refuses what the model would."""
        return {"min_value": self.low, "max_value": self.high}

    def condition(self, field: str) -> models.Q:
        return models.Q(**{f"{field}__isnull": True}) | models.Q(
            **{f"{field}__gte": self.low, f"{field}__lte": self.high}
        )


YEAR = Bounds(1970, 2100)
RAM_GB = Bounds(0, 4096)
STORAGE_GB = Bounds(0, 1_000_000)
SCREEN_INCHES = Bounds(Decimal("1.0"), Decimal("110.0"))
PERCENT = Bounds(0, 100)
MEDIA_COUNT = Bounds(0, 32)
# A solidarity price or a programme's price bound: at most 5,000 €.
PRICE_CENTS = Bounds(0, 500_000)
# A manifest line: at most 10,000 devices, declared at most 10 M€ of net book value.
QUANTITY = Bounds(1, 10_000)
BOOK_VALUE_CENTS = Bounds(0, 1_000_000_000)
MONTHLY_CAPACITY = Bounds(0, 100_000)
LATITUDE = Bounds(Decimal("-90"), Decimal("90"))
LONGITUDE = Bounds(Decimal("-180"), Decimal("180"))
ERASURE_PASSES = Bounds(1, 100)
HOUSEHOLD_SIZE = Bounds(1, 30)
# A voucher's face value (the Pass numérique's cheques are 10 € each; a booklet or a local scheme, more).
VOUCHER_CENTS = Bounds(0, 100_000)
# A programme's rules, typed by staff. A hold or a cap's window of 0 would expire each claim as it is made or count
# no earlier claim (no cap at all); a window of thousands of months reaches before year 1 (every claim fails).
DECISION_VALIDITY_MONTHS = Bounds(1, 60)
HOUSEHOLD_CAP_DEVICES = Bounds(0, 100)
CAP_WINDOW_MONTHS = Bounds(1, 120)
ASSOCIATION_CAP_PER_YEAR = Bounds(0, 10_000)
HOLD_HOURS = Bounds(1, 720)
COOLDOWN_HOURS = Bounds(0, 8_760)
PRIORITY_WEIGHT = Bounds(0, 1_000)
# Eligibility documents are deleted after the decision; kept a year at most.
RETENTION_DAYS = Bounds(0, 365)
# A family quotient (CAF) in euros a month, declared, checked or a programme's ceiling (the ceilings of social
# tariffs are below 1,500 €): past 100,000 € it is a typing error, and past 2**31 PostgreSQL's integer column.
QUOTIENT_FAMILIAL_EUR = Bounds(0, 100_000)


def today() -> date:
    """Today in Paris, read when a value is checked (never frozen at start-up)."""
    return timezone.localdate()


# A birth date: a year mistyped on a phone (2061 for 1961, 1061) is refused next to the field, not stored.
BIRTH_DATE_VALIDATORS = [
    MinValueValidator(
        date(1900, 1, 1), message=gettext_lazy("Cette date est avant 1900 : vérifiez l’année de naissance.")
    ),
    MaxValueValidator(
        today, message=gettext_lazy("Cette date est dans le futur : vérifiez l’année de naissance.")
    ),
]


def constraints(prefix: str, bounds: dict[str, Bounds]) -> list[models.CheckConstraint]:
    """One CheckConstraint per bounded field, named `<prefix>_<field>_range`."""
    return [
        models.CheckConstraint(condition=bound.condition(field), name=f"{prefix}_{field}_range")
        for field, bound in bounds.items()
    ]


class FieldInvalid(InvalidInput):
    """A value refused for one field; the API names the field in its 422."""

    def __init__(self, field: str, message):
        self.field = field
        super().__init__(message, code="invalid")

    def extra(self) -> dict:
        return {"field": self.field, "errors": [{"field": self.field, "message": str(self.message)}]}


def errors(instance: models.Model, names) -> dict[str, list[str]]:
    """{field: messages} for the named fields of the instance whose values its model refuses.

    Runs each field's own cleaning (type, max digits, choices, validators: the bounds above); a value of the
    wrong type (text where a number is expected) is refused here too, before the database sees it.
    """
    found: dict[str, list[str]] = {}
    for name in names:
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname)
        if value in field.empty_values and (field.null or field.blank):
            continue
        if isinstance(value, float) and isinstance(field, models.DecimalField) and abs(value) < 1e12:
            # A measure sent as a JSON number (15.6, or 15.62 from a hardware probe) is rounded as the database
            # would store it; its size is then checked like any other.
            value = Decimal(repr(value)).quantize(Decimal(1).scaleb(-field.decimal_places))
        try:
            setattr(instance, field.attname, field.clean(value, instance))
        except ValidationError as exc:
            found[name] = list(exc.messages)
    return found


def check(instance: models.Model, names=None) -> None:
    """Raise FieldInvalid for the first refused field (all of them in the message's order of the model)."""
    names = list(names) if names is not None else [field.name for field in bounded_fields(type(instance))]
    refused = errors(instance, names)
    if refused:
        name, messages = next(iter(refused.items()))
        label = instance._meta.get_field(name).verbose_name
        raise FieldInvalid(
            name, _("« %(label)s » : %(errors)s") % {"label": label, "errors": " ".join(messages)}
        )


class BoundedModel(models.Model):
    """Checks its bounded fields on every save: a service, a form, an import or the admin, the same rule."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        check(self)
        super().save(*args, **kwargs)


def bounded_fields(model) -> list:
    """The model's fields that carry a numeric bound (a MinValueValidator or MaxValueValidator)."""
    return [
        field
        for field in model._meta.concrete_fields
        if any(isinstance(v, MinValueValidator | MaxValueValidator) for v in field._validators)
    ]


def whole_number(value, max_digits: int = 18) -> int | None:
    """The non-negative integer a query parameter, cursor or file field spells in ASCII digits, else None.

    `str.isdigit()` also accepts "²" or "٣", which `int()` then refuses or reads differently (a 500 found by the API
    fuzzer on a cursor); a very long number would overflow the database's bigint. Every identifier read from outside
    goes through here (tests/security/test_whole_numbers.py greps for `.isdigit()` elsewhere).
    """
    text = str(value if value is not None else "").strip()
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


class PrintedNumberField(forms.Field):
    """A number a person copies from paper (a receipt's « n° 1 234 », the claim number above a handover code): a text
    box with a number keypad, read through whole_number once spaces and a leading « n° » or « # » are set aside.
    A number box would send « 1 234 » empty and accept « 1e3 » (WHATWG HTML, the number state's sanitization)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    default_error_messages = {
        "invalid": gettext_lazy("Écrivez le numéro en chiffres, tel qu’il est imprimé : par exemple 1234."),
    }

    def to_python(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = "".join(str(value if value is not None else "").split())
        if not text:
            return None
        text = re.sub(r"^(?:n°|no\.?|#)", "", text, flags=re.IGNORECASE)
        number = whole_number(text)
        if not number:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def nulls_cleared(model: type[models.Model], changes: dict) -> dict:
    """`changes` with each explicit null (a JSON PATCH's `"field": null`) read as what the field can hold: the
    empty text for a text field (cleared), kept for a nullable one. Another field that cannot be empty is refused
    naming it (FieldInvalid): the database refused the null with a server error."""
    cleared = {}
    for name, value in changes.items():
        field = model._meta.get_field(name)
        if value is None and not field.null:
            if not (field.blank and isinstance(field, (models.CharField, models.TextField))):
                raise FieldInvalid(
                    name, _("« %(label)s » ne peut pas être vide.") % {"label": field.verbose_name}
                )
            value = ""
        cleared[name] = value
    return cleared


def _in_the_site_time_zone(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


# A date and time a tool sends without an offset (« 2026-03-01T14:30:00 ») is read in the site's time zone, as a
# form's field reads it: compared with now, a naive one raised a server error.
LocalDateTime = Annotated[datetime, AfterValidator(_in_the_site_time_zone)]


# The `limit` of every API list (PRODUCT.md: at most 100): refused outside, and said in the OpenAPI document.
MAX_PAGE = 100
PageLimit = Annotated[int, Field(ge=1, le=MAX_PAGE)]
# The text of an API query parameter (a filter's code, a serial, a search, a cursor): said in the document, and
# longer is no value of any column (the longest filtered, a serial, holds 100 characters).
MAX_QUERY_TEXT = 200
QueryText = Annotated[str, Field(max_length=MAX_QUERY_TEXT)]
