from django import forms
from django.utils.translation import gettext_lazy as _

from inventory.enums import DeviceType
from reuse.accounts.forms import OrganisationChoice, PaperCodeField
from reuse.bounds import PrintedNumberField
from reuse.money import EurosField, format_price


def device_label(device) -> str:
    """What tells two devices of a list apart: the same model often comes many times in one lot."""
    name = " ".join(part for part in (device.brand, device.model) if part) or device.get_type_display()
    return (
        f"{device.get_type_display()} {name}, {_('état')} {device.grade}, {format_price(device.price_cents)} "
        f"({device.workshop.city}, {_('réf.')} {device.asset_tag})"
    )


class ClaimForm(OrganisationChoice):
    choice_field = "association"
    choice_label = _("Association")
    choice_help = _("Vous êtes membre de plusieurs associations : celle pour laquelle vous réservez.")

    voucher_code = PaperCodeField(
        label=_("Code de chèque numérique (facultatif)"),
        required=False,
        max_length=32,
        help_text=_("Si un organisme vous a remis un chèque numérique, son montant sera déduit du prix."),
    )
    beneficiary = forms.TypedChoiceField(
        label=_("Pour quel foyer ?"),
        coerce=int,
        required=False,
        choices=[],
        # The list is the households the referrer acts for now: one missing is a mandate that ended (withdrawn,
        # expired, narrowed) while the page was open.
        error_messages={
            "invalid_choice": _(
                "Vous ne pouvez plus faire de demande pour ce foyer : son mandat a pris fin ou ne couvre plus "
                "les demandes d’appareil. Choisissez un autre foyer ou faites-lui signer un nouveau mandat."
            )
        },
    )

    def __init__(self, *args, households=None, free=False, **kwargs):
        super().__init__(*args, **kwargs)
        if free:
            # A voucher only lowers a price: asking for one on a free device makes people think it is needed.
            del self.fields["voucher_code"]
        if households is None:
            del self.fields["beneficiary"]
        else:
            self.fields["beneficiary"].required = True
            self.fields["beneficiary"].choices = [(u.pk, household_label(u)) for u in households]


def household_label(user) -> str:
    """A household as a referrer picks it in a list sorted by last name: the last name first (a browser's
    type-ahead in a list reads the start of each label), then what tells homonyms apart."""
    profile = getattr(user, "household", None)
    parts = [f"{user.last_name} {user.first_name}".strip() or str(user)]
    if profile is not None and profile.birth_date:
        parts.append(profile.birth_date.strftime("%d/%m/%Y"))
    if profile is not None and profile.postcode:
        parts.append(profile.postcode)
    return ", ".join(parts)


class VoucherForm(forms.Form):
    code = PaperCodeField(label=_("Code du chèque numérique"), max_length=32)


class WaitlistForm(forms.Form):
    device_type = forms.ChoiceField(label=_("Type d’appareil"), choices=DeviceType.choices)
    max_price = EurosField(label=_("Prix maximum (€, facultatif)"), required=False, max_cents=1_000_000)
    lives_in_qpv_zrr = forms.BooleanField(
        label=_("J’habite dans un quartier prioritaire (QPV) ou une zone rurale (ZRR)"), required=False
    )
    no_computer = forms.BooleanField(label=_("Il n’y a aucun ordinateur dans mon foyer"), required=False)
    children_at_school = forms.BooleanField(
        label=_("Des enfants du foyer vont à l’école"),
        required=False,
        help_text=_(
            "Ces situations comptent quand elles sont vérifiées avec votre éligibilité (par votre "
            "accompagnateur ou l’équipe Rebond) : cochez-les pour qu’on pense à les vérifier."
        ),
    )

    def max_price_cents(self):
        return self.cleaned_data.get("max_price")


class HandoverCodeForm(forms.Form):
    claim = PrintedNumberField(
        label=_("Numéro de la demande"),
        help_text=_("Il est écrit au-dessus du code de la personne, ou choisissez la demande dans la liste."),
    )
    code = PaperCodeField(
        label=_("Code de remise"),
        max_length=12,
        help_text=_("Six caractères, par exemple ACD-379 (tiret et espaces facultatifs)."),
    )


class HandoverConfirmForm(forms.Form):
    claim = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    code = forms.CharField(widget=forms.HiddenInput, max_length=12)
    collected = EurosField(label=_("Montant encaissé (€)"), required=False, max_cents=1_000_000)

    def collected_cents(self):
        return self.cleaned_data.get("collected")


class BatchClaimForm(forms.Form):
    """Devices picked one by one from a list: one labelled checkbox each."""

    devices = forms.TypedMultipleChoiceField(
        label=_("Appareils à réserver"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
        error_messages={
            "required": _("Cochez au moins un appareil."),
            "invalid_choice": _(
                "Un appareil coché n’est plus proposé : la liste a été mise à jour, cochez à nouveau."
            ),
        },
    )

    def __init__(self, *args, devices=(), **kwargs):
        kwargs.setdefault("auto_id", "pick_%s")
        super().__init__(*args, **kwargs)
        self.fields["devices"].choices = [(d.pk, device_label(d)) for d in devices]


class QuantityClaimForm(forms.Form):
    """How many devices of each type: the cheapest listed ones near the association are reserved.

    Each type offers the smaller of what is available and what the yearly cap still allows (`remaining`), and
    says which of the two limits it.
    """

    def __init__(self, *args, available: dict[str, int], remaining: int | None = None, **kwargs):
        kwargs.setdefault("auto_id", "qty_%s")
        super().__init__(*args, **kwargs)
        self.remaining = remaining
        for value, label in DeviceType.choices:
            count = available.get(value, 0)
            if not count:
                continue
            if remaining is not None and remaining < count:
                limit = remaining
                text = _(
                    "%(type)s (%(n)s au plus : plafond annuel de l’association ; %(available)s disponible(s))"
                )
                too_many = _(
                    "Votre association peut encore réserver %(limit_value)s appareil(s) cette année "
                    "(plafond annuel) : réduisez la quantité."
                )
            else:
                limit = count
                text = _("%(type)s (%(n)s disponible(s))")
                too_many = _("Il n’y en a que %(limit_value)s de disponible(s) : réduisez la quantité.")
            self.fields[value] = forms.IntegerField(
                label=text % {"type": label, "n": limit, "available": count},
                required=False,
                min_value=0,
                max_value=limit,
                initial=0,
                error_messages={"max_value": too_many},
            )

    def quantities(self) -> dict[str, int]:
        return {name: value for name, value in self.cleaned_data.items() if value}

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.values()):
            raise forms.ValidationError(_("Indiquez combien d’appareils vous voulez, pour au moins un type."))
        total = sum(value for value in cleaned.values() if value)
        if not self.errors and self.remaining is not None and total > self.remaining:
            raise forms.ValidationError(
                _(
                    "Au total, votre association peut encore réserver %(n)s appareil(s) cette année (plafond "
                    "annuel), pour %(total)s demandé(s) : réduisez les quantités."
                )
                % {"n": self.remaining, "total": total}
            )
        return cleaned
