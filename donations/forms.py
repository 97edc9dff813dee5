from django import forms
from django.utils.translation import gettext_lazy as _

from donations.enums import ImportNeeds, ManifestColumn, SizeUnit
from donations.services import CHECKS, CHECKS_BY_TYPE
from inventory.enums import DeviceType
from reuse import bounds, uploads
from reuse.accounts.forms import (
    AccountFieldsForm,
    OrganisationAddressForm,
    OrganisationChoice,
    PhoneField,
    PostcodeField,
)
from reuse.accounts.validators import normalise_identifier, validate_siret
from reuse.money import EurosField


class DonorRegistrationForm(AccountFieldsForm, OrganisationAddressForm):
    """The donor organisation and its first administrator's account (accounts.signups.create_account)."""

    field_order = ["name", "siret", "address", "postcode", "city", "phone"]
    email_taken_message = _(
        "Un compte existe déjà avec cette adresse : connectez-vous ou demandez une invitation."
    )

    name = forms.CharField(label=_("Nom de l’organisation"), max_length=200)
    siret = forms.CharField(
        label=_("SIRET"),
        max_length=20,
        help_text=_("14 chiffres, sur vos factures ou sur annuaire-entreprises.data.gouv.fr."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = PhoneField(label=_("Téléphone"))
    email = forms.EmailField(
        label=_("Votre adresse e-mail professionnelle"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_siret(self):
        siret = normalise_identifier(self.cleaned_data["siret"])
        validate_siret(siret)
        return siret


class LotForm(OrganisationChoice):
    choice_label = _("Organisation donatrice")
    choice_help = _("Vous êtes membre de plusieurs organisations donatrices : celle qui donne ce lot.")

    title = forms.CharField(
        label=_("Intitulé du lot"),
        max_length=200,
        help_text=_("Par exemple : renouvellement des portables du siège, 2026."),
    )
    pickup_address = forms.CharField(label=_("Adresse d’enlèvement"), max_length=255)
    pickup_postcode = PostcodeField(label=_("Code postal d’enlèvement"))
    available_from = forms.DateField(
        label=_("Disponible à partir du"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    contact_name = forms.CharField(label=_("Contact sur place"), max_length=150, required=False)
    contact_phone = PhoneField(label=_("Téléphone du contact"))
    contact_email = forms.EmailField(label=_("E-mail du contact"), required=False)


class ItemForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=[("", "—"), *DeviceType.choices], required=False)
    brand = forms.CharField(label=_("Marque"), max_length=80, required=False)
    model = forms.CharField(label=_("Modèle"), max_length=120, required=False)
    serial = forms.CharField(label=_("Numéro de série"), max_length=100, required=False)
    quantity = forms.IntegerField(
        label=_("Quantité"), initial=1, required=False, **bounds.QUANTITY.form_limits
    )
    net_book_value = EurosField(
        label=_("Valeur nette comptable (€)"), required=False, max_cents=9_999_999_999
    )

    def clean(self):
        cleaned = super().clean()
        filled = any(cleaned.get(name) for name in ("brand", "model", "serial"))
        if filled and not cleaned.get("type"):
            self.add_error("type", _("Choisissez le type d’appareil."))
        return cleaned

    def item(self):
        data = self.cleaned_data
        if not data.get("type"):
            return None
        return {
            "type": data["type"],
            "brand": data.get("brand", ""),
            "model": data.get("model", ""),
            "serial": data.get("serial", ""),
            "quantity": data.get("quantity") or 1,
            "net_book_value_cents": data.get("net_book_value") or 0,
        }


ItemFormSet = forms.formset_factory(ItemForm, extra=5, max_num=50)


class ManifestForm(forms.Form):
    file = uploads.LimitedFileField(
        limit=uploads.MANIFEST,
        label=_("Manifeste (CSV, XLSX, ODS ou XLS)"),
        help_text=_(
            "Une ligne par appareil. Colonnes reconnues (en français ou en anglais) : type d’appareil, marque, modèle, "
            "numéro de série, numéro d’inventaire, année, processeur, mémoire, stockage, état, quantité, "
            "valeur nette comptable. 20 Mo et 100 000 lignes au plus."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.ods,.xls,.slk,text/csv"}),
    )


class ChecklistForm(forms.Form):
    """One checkbox per (device type present in the lot, check that applies to it)."""

    def __init__(self, *args, types=(), items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        labels = dict(DeviceType.choices)
        for kind in types:
            names = []
            for check in CHECKS_BY_TYPE.get(kind, []):
                name = f"{kind}__{check}"
                self.fields[name] = forms.BooleanField(label=CHECKS[check], required=False)
                if items is not None:
                    self.fields[name].initial = items.get((kind, check), False)
                names.append(name)
            if names:
                self.groups.append({"type": labels.get(kind, kind), "fields": [self[name] for name in names]})

    def answers(self):
        answers = {}
        for name, value in self.cleaned_data.items():
            kind, check = name.split("__", 1)
            answers.setdefault(kind, {})[check] = value
        return answers


class PickupForm(forms.Form):
    when = forms.DateTimeField(
        label=_("Date et heure de l’enlèvement"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )
    note = forms.CharField(label=_("Précisions (accès, quai, contact)"), max_length=255, required=False)


class DeclineForm(forms.Form):
    note = forms.CharField(label=_("Raison (transmise au donateur)"), max_length=255, required=False)


class TaxReceiptForm(forms.Form):
    legal_form = forms.CharField(
        label=_("Forme juridique de votre organisation"),
        max_length=80,
        help_text=_("Par exemple : SA, SAS, SARL, établissement public."),
    )


class MappingForm(forms.Form):
    """The donor's answers for one import, built from its report: which column holds what (with the unit of
    sizes), which device type each unrecognised value means, and the confirmation of unusual values."""

    IGNORE = "-"

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        summary = job.summary or {}
        plan = summary.get("plan", {})
        self.columns = []
        column_choices = [(self.IGNORE, _("— ne pas lire —")), *ManifestColumn.choices]
        unit_choices = [("", _("selon les valeurs")), *SizeUnit.choices]
        preview = summary.get("preview", [])
        confirmed = job.choices.get("columns", {})
        for position, column in enumerate(plan.get("columns", [])):
            name = f"column_{position}"
            current = confirmed.get(column["key"], column["field"])
            self.fields[name] = forms.ChoiceField(
                label=column["header"], choices=column_choices, initial=current or self.IGNORE, required=True
            )
            unit_name = f"unit_{position}"
            self.fields[unit_name] = forms.ChoiceField(
                label=_("Unité de « %(header)s »") % {"header": column["header"]},
                choices=unit_choices,
                initial=column.get("unit", ""),
                required=False,
            )
            index = column.get("index", position)
            samples = [row[index] for row in preview if index < len(row) and row[index]]
            self.columns.append(
                {
                    "key": column["key"],
                    "header": column["header"],
                    "field": self[name],
                    "unit": self[unit_name],
                    "samples": samples[:3],
                    "guess": column["source"] == "hint",
                }
            )
        type_choices = [("", "—"), *DeviceType.choices]
        self.fields["default_type"] = forms.ChoiceField(
            label=_("Type des lignes sans type"),
            choices=type_choices,
            required=False,
            initial=job.choices.get("types", {}).get("", ""),
            help_text=_("Utilisé quand ni la colonne du type, ni le système, ni le modèle ne le disent."),
        )
        self.values = []
        listed = [*summary.get("unknown", []), *summary.get("normalised", [])]
        for position, item in enumerate(listed):
            if not item["key"]:
                continue
            name = f"value_{position}"
            self.fields[name] = forms.ChoiceField(
                label=item["value"], choices=type_choices, required=False, initial=item.get("type", "")
            )
            self.values.append({"key": item["key"], "item": item, "field": self[name]})
        self.warning_count = job.warning_count
        if job.warning_count:
            self.fields["confirm_warnings"] = forms.BooleanField(
                label=_("Je confirme les %(n)s valeur(s) inhabituelle(s) signalée(s) : elles sont exactes.")
                % {"n": job.warning_count},
                required=job.needs == ImportNeeds.WARNINGS,
                initial=bool(job.choices.get("confirm_warnings")),
            )

    def clean(self):
        cleaned = super().clean()
        chosen = {}
        for column in self.columns:
            name = cleaned.get(column["field"].name)
            if name and name != self.IGNORE:
                if name in chosen.values():
                    self.add_error(column["field"].name, _("Cette colonne du manifeste est déjà choisie."))
                chosen[column["key"]] = name
        return cleaned

    def choices(self) -> dict:
        """In the shape the import services take (headers and values already folded)."""
        data = self.cleaned_data
        columns, units, types = {}, {}, {}
        for column in self.columns:
            name = data.get(column["field"].name)
            columns[column["key"]] = "" if name == self.IGNORE else name
            unit = data.get(column["unit"].name)
            if unit and columns[column["key"]] in ("ram_gb", "storage_gb"):
                units[column["key"]] = unit
        for value in self.values:
            kind = data.get(value["field"].name)
            if kind:
                types[value["key"]] = kind
        if data.get("default_type"):
            types[""] = data["default_type"]
        return {
            "columns": columns,
            "units": units,
            "types": types,
            "confirm_warnings": bool(data.get("confirm_warnings")),
        }
