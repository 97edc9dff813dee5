"""Money is stored in integer cents and typed and read in euros.

`format_euros` is the one way an amount is written for a reader, in the active language through babel's CLDR
patterns (« 25,00 € » in French, "€25.00" in English); `format_price` is the same for a price, where nothing
to pay reads « gratuit »; `format_whole_euros` the same for an amount kept in whole euros (a family quotient). Templates use it through the `euros` filter of the claims, portal and inventory tag
libraries, which all register this one function. Documents written in French whatever the reader's language
(the tax receipt) pass `language="fr"`; the papers a household is handed (the handover receipt, the orientation
sheet) are written under its language and leave `language` out.

`CentsField` (and `BigCentsField`) is the model field: every form built from it (the Wagtail admin's included) shows euros and
saves cents, and the admin's listings show it in euros (reuse.backoffice). `EurosField` is that form field,
for forms written by hand, and `QuotientField` the family quotient's (whole euros); both are text boxes with a
number keypad, never number boxes, which lose the comma of « 12,50 »; `parse_euros` reads an amount typed in a file ("12,50", "12.50 €").
"""

from decimal import Decimal, InvalidOperation

from babel import Locale
from babel.numbers import format_currency
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext, to_locale
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")


def cents_to_euros(cents: int | None) -> Decimal | None:
    return None if cents is None else (Decimal(cents) / 100).quantize(CENT)


def format_euros(cents: int | str | None, *, language: str | None = None) -> str:
    """« 1 234,50 € » in French, "€1,234.50" in English (the active language unless `language` is given);
    empty for no amount. Spaces are no-break ones, so that an amount never wraps."""
    if cents is None or cents == "":
        return ""
    locale = to_locale(language or get_language() or settings.LANGUAGE_CODE)
    return format_currency(cents_to_euros(int(cents)), "EUR", locale=locale)


def euros_figure(cents: int | None) -> str:
    """The amount's figure alone, in the active language (« 1234,50 », "1234.50"): a spreadsheet's cell under a
    heading that names the currency, or a form's field typed in euros. Empty for no amount."""
    return "" if cents is None else number_format(cents_to_euros(cents), 2)


def format_whole_euros(euros: int | str | None, *, language: str | None = None) -> str:
    """An amount kept in whole euros (a family quotient, its ceiling): « 1 700 € » in French, "€1,700" in
    English, the language's own currency pattern without the cents."""
    if euros is None or euros == "":
        return ""
    locale = Locale.parse(to_locale(language or get_language() or settings.LANGUAGE_CODE))
    pattern = locale.currency_formats["standard"].pattern.replace(".00", "")
    return format_currency(int(euros), "EUR", locale=locale, format=pattern, currency_digits=False)


def format_price(cents: int | str | None) -> str:
    """A price as the household reads it: « gratuit » when there is nothing to pay, else `format_euros`."""
    if cents is None or cents == "":
        return ""
    return gettext("gratuit") if int(cents) == 0 else format_euros(cents)


def parse_euros(text: str) -> int | None:
    """Cents from an amount typed by a person: « 12,50 », "12.50", « 12 € », « 1 200,00 ». Empty: None."""
    cleaned = (text or "").replace("€", "").replace("\u202f", "").replace("\xa0", "").replace(" ", "").strip()
    if not cleaned:
        return None
    cleaned = cleaned.replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValidationError(
            _("« %(value)s » n’est pas un montant en euros (par exemple 12,50)."),
            code="invalid",
            params={"value": text},
        ) from exc
    if amount.as_tuple().exponent < -2 or not amount.is_finite():
        raise ValidationError(
            _("Un montant en euros a au plus deux décimales (par exemple 12,50)."), code="invalid"
        )
    if amount < 0:
        raise ValidationError(_("Le montant ne peut pas être négatif."), code="min_value")
    return int(amount * 100)


class EurosField(forms.Field):
    """Typed in euros (« 12,50 » or "12.50"), cleaned to integer cents; shown in euros when editing."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {"max_value": _("Au plus %(limit)s."), "min_value": _("Au moins %(limit)s.")}

    def __init__(self, *, max_cents: int | None = None, **kwargs):
        self.max_cents = max_cents
        kwargs.setdefault("help_text", _("En euros, par exemple 12,50."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return euros_figure(value)
        return value

    def to_python(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return parse_euros(str(value) if value is not None else "")

    def validate(self, value):
        super().validate(value)
        if value is not None and self.max_cents is not None and value > self.max_cents:
            raise ValidationError(
                self.error_messages["max_value"],
                code="max_value",
                params={"limit": format_euros(self.max_cents)},
            )

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


class QuotientField(forms.Field):
    """A family quotient, in whole euros, typed as people write it: « 1 234 », « 650 € », « 640,00 »;
    a text box with a number keypad, since a number box loses the comma of « 650,50 » (Chromium sends 65050)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    default_error_messages = {
        "invalid": _("Écrivez le quotient familial en chiffres, en euros : par exemple 650."),
        "cents": _("Écrivez le quotient familial en euros, sans centimes : par exemple 650."),
        "max_value": _("Au plus %(limit)s €."),
    }

    def __init__(self, *, max_value: int | None = None, **kwargs):
        self.max_value = max_value
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value

    def to_python(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            cents = parse_euros(str(value) if value is not None else "")
        except ValidationError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if cents is None:
            return None
        if cents % 100:
            raise ValidationError(self.error_messages["cents"], code="cents")
        return cents // 100

    def validate(self, value):
        super().validate(value)
        if value is not None and self.max_value is not None and value > self.max_value:
            raise ValidationError(
                self.error_messages["max_value"], code="max_value", params={"limit": self.max_value}
            )


class Cents:
    """What makes a model field an amount in integer cents (never a float), entered and shown in euros in every
    form and every admin listing: CentsField, or BigCentsField for sums that may pass 21 million euros."""

    def run_validators(self, value):
        """The bounds' errors name the limit in euros too (`limit`): the admin's form shows them with its euros
        field's messages, never the raw number of cents."""
        try:
            super().run_validators(value)
        except ValidationError as exc:
            errors = []
            for error in exc.error_list:
                limit = (error.params or {}).get("limit_value")
                if error.code in ("max_value", "min_value") and isinstance(limit, int):
                    error = ValidationError(
                        error.message, code=error.code, params={**error.params, "limit": format_euros(limit)}
                    )
                errors.append(error)
            raise ValidationError(errors) from exc

    def formfield(self, **kwargs):
        # Field.formfield, not IntegerField's: an amount typed in euros has no integer bounds to inherit.
        kwargs.pop("min_value", None)
        kwargs.pop("max_value", None)
        return models.Field.formfield(self, **{**kwargs, "form_class": EurosField})


class CentsField(Cents, models.PositiveIntegerField):
    pass


class BigCentsField(Cents, models.PositiveBigIntegerField):
    pass


class SignedCentsField(Cents, models.IntegerField):
    """A movement of money, negative when it leaves Rebond (the payment ledger)."""
