from django import forms
from django.utils.translation import gettext_lazy as _

from reuse import places
from reuse.claims.forms import HandoverConfirmForm
from reuse.claims.models import VoucherFunder
from reuse.tripod.enums import ChecklistItem, Subscribed
from reuse.tripod.models import AllowanceStock
from reuse.tripod.services import ChequeLine, bookable_slots


def slot_label(slot) -> str:
    return _("%(day)s — %(host)s (%(minutes)s min)") % {
        "day": places.when_at(slot.starts_at, slot, _("d/m/Y à H:i")),
        "host": slot.host_name,
        "minutes": slot.duration_minutes,
    }


class BookSessionForm(forms.Form):
    slot = forms.TypedChoiceField(
        label=_("Séance de prise en main"), coerce=int, widget=forms.RadioSelect, choices=[]
    )

    def __init__(self, *args, slots=(), **kwargs):
        kwargs.setdefault("auto_id", "session_%s")
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(slot.pk, slot_label(slot)) for slot in slots]


class SubscribedForm(forms.Form):
    subscribed = forms.ChoiceField(
        label=_("Abonnement pris ?"), choices=Subscribed.choices, widget=forms.RadioSelect
    )


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date et heure"),
        help_text=_("Par exemple 15/01/2027 14:00"),
        input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=15, max_value=480, initial=90)
    capacity = forms.IntegerField(label=_("Nombre de places"), min_value=1, max_value=50, initial=6)
    topic = forms.CharField(
        label=_("Contenu"), max_length=200, required=False, initial=_("Prendre en main son appareil")
    )


class CounterForm(HandoverConfirmForm):
    """The handover, with what goes with the device: the checklist, a data allowance, Pass numérique cheques,
    and a first-use session booked at the counter."""

    items = forms.MultipleChoiceField(
        label=_("Vu avec la personne"),
        choices=ChecklistItem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=_("Remarque"),
        max_length=300,
        required=False,
        help_text=_("Obligatoire si un point n’a pas pu être vu : dites pourquoi."),
    )
    stock = forms.ModelChoiceField(
        label=_("Forfait de données remis"),
        queryset=AllowanceStock.objects.none(),
        required=False,
        empty_label=_("Aucun"),
    )
    allowance_reference = forms.CharField(
        label=_("N° de la carte SIM ou du bon"), max_length=60, required=False
    )
    funder = forms.ModelChoiceField(
        label=_("Chèques Pass numérique remis : financeur"),
        queryset=VoucherFunder.objects.all(),
        required=False,
        empty_label=_("Aucun chèque remis"),
    )
    booklet_number = forms.CharField(label=_("N° du carnet"), max_length=40, required=False)
    cheque_numbers = forms.CharField(
        label=_("N° des chèques"),
        max_length=400,
        required=False,
        help_text=_("Séparés par des virgules, par exemple 0041, 0042"),
    )
    slot = forms.TypedChoiceField(
        label=_("Séance de prise en main réservée ici"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[],
    )

    def __init__(self, *args, workshop=None, slots=(), **kwargs):
        kwargs.setdefault("auto_id", "counter_%s")
        super().__init__(*args, **kwargs)
        self.fields["stock"].queryset = AllowanceStock.objects.filter(workshop=workshop, remaining__gt=0)
        self.fields["slot"].choices = [("", _("Aucune"))] + [(s.pk, slot_label(s)) for s in slots]

    def clean(self):
        data = super().clean()
        missing = set(ChecklistItem.values) - set(data.get("items") or [])
        if missing and not (data.get("note") or "").strip():
            self.add_error(
                "note", _("Un point de la liste n’est pas coché : dites pourquoi dans la remarque.")
            )
        numbers = [n.strip() for n in (data.get("cheque_numbers") or "").split(",") if n.strip()]
        if data.get("funder") and not (data.get("booklet_number") and numbers):
            self.add_error("cheque_numbers", _("Indiquez le n° du carnet et celui de chaque chèque remis."))
        if (numbers or data.get("booklet_number")) and not data.get("funder"):
            self.add_error("funder", _("Choisissez le financeur des chèques remis."))
        if len(numbers) != len(set(numbers)):
            self.add_error("cheque_numbers", _("Un même n° de chèque est écrit deux fois."))
        data["cheques"] = (
            [ChequeLine(data["funder"], data["booklet_number"].strip(), n) for n in numbers]
            if data.get("funder")
            else []
        )
        return data


def build_counter_form(claim, data=None, initial=None) -> CounterForm:
    return CounterForm(
        data,
        initial=initial,
        workshop=claim.device.workshop,
        slots=list(bookable_slots(claim)) if claim.beneficiary_id else [],
    )
