from django import forms
from django.utils.translation import gettext_lazy as _

from inventory.enums import DeviceState, DeviceType, ErasureMethod, Grade, StorageMedium
from inventory.models import Device
from inventory.opening_hours import OpeningHoursFormField
from inventory.scans import from_us_scanner, read_serial, typed_on_azerty
from inventory.services.bench import BENCH_CHECK_IN, BENCH_LABELS, BENCH_MOVES
from inventory.services.devices import EDITABLE_FIELDS
from inventory.services.labels import LABEL_FORMAT_CHOICES
from inventory.services.workshops import parse_departments
from inventory.transitions import check_price
from reuse import bounds, uploads
from reuse.accounts.forms import (
    AccountFieldsForm,
    OrganisationAddressForm,
    OrganisationChoice,
    PhoneField,
)
from reuse.errors import IllegalTransition, InvalidInput
from reuse.images import PHOTO_ACCEPT
from reuse.money import EurosField


class WorkshopRegistrationForm(OrganisationAddressForm):
    field_order = ["name", "siret", "address", "postcode", "city"]

    name = forms.CharField(label=_("Nom de l’atelier"), max_length=200)
    siret = forms.CharField(label=_("SIRET"), max_length=20, help_text=_("14 chiffres."))
    email = forms.EmailField(label=_("E-mail de contact"), required=False)
    phone = PhoneField(label=_("Téléphone"))
    service_departments = forms.CharField(
        label=_("Départements desservis"),
        max_length=200,
        required=False,
        help_text=_("Numéros séparés par des virgules, ex. 93, 95, 75."),
    )
    monthly_capacity = forms.IntegerField(
        label=_("Capacité mensuelle (appareils)"), min_value=1, max_value=100_000, initial=100
    )
    opening_hours = OpeningHoursFormField(
        label=_("Horaires d’ouverture"),
        required=False,
        help_text=_("Cochez les jours, puis les heures : une ligne par groupe de jours aux mêmes horaires."),
    )
    may_issue_tax_receipts = forms.BooleanField(
        label=_("L’atelier peut émettre des reçus fiscaux (organisme d’intérêt général)"), required=False
    )
    weee_partner = forms.CharField(label=_("Filière DEEE partenaire"), max_length=200, required=False)

    def clean_service_departments(self):
        try:
            return parse_departments(self.cleaned_data["service_departments"])
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from exc


class AccountForm(AccountFieldsForm):
    """For a person without an account yet: they become the workshop's first administrator."""

    email_field = "account_email"
    email_taken_message = _("Un compte existe déjà avec cette adresse : connectez-vous d’abord.")

    email = None
    account_email = forms.EmailField(label=_("Votre adresse e-mail (identifiant)"))
    field_order = ["first_name", "last_name", "account_email", "password"]


# A field a scanner types into: its Tab suffix applies the scan (static/js/inventory-bench.js).
SCAN_FIELD = {"data-scan": "", "autocomplete": "off", "spellcheck": "false"}


class CheckInForm(forms.Form):
    # The serial last, just before the button, as at the bench (BenchForm): a scanner's Tab never lands in the
    # type list, where the next scan's first letters would choose a type.
    field_order = ["type", "brand", "model", "serial"]

    serial = forms.CharField(
        label=_("Numéro de série"), max_length=100, required=False, widget=forms.TextInput(attrs=SCAN_FIELD)
    )
    type = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("— selon le manifeste —"))] + list(DeviceType.choices),
        required=False,
    )
    brand = forms.CharField(label=_("Marque"), max_length=80, required=False)
    model = forms.CharField(label=_("Modèle"), max_length=120, required=False)

    scanner_corrected = False

    def clean_serial(self):
        """A serial a US-keyboard scanner typed on this AZERTY computer is stored as the scanner meant it."""
        serial = self.cleaned_data["serial"].strip()
        self.scanner_corrected = typed_on_azerty(serial)
        return from_us_scanner(serial) if self.scanner_corrected else serial


class DeviceForm(forms.ModelForm):
    """The device page's specs. Each field carries the value the page showed (Django's hidden initial), and only
    the fields the technician changed from it are saved: a value the API, a snapshot or a colleague changed
    while the page was open is kept instead of being written back from the page's copy."""

    class Meta:
        model = Device
        # The fields the services accept, in the same order; the price is set when the device is listed.
        fields = [name for name in EDITABLE_FIELDS if name != "price_cents"]
        widgets = {
            "diagnostics": forms.Textarea(attrs={"rows": 3}),
            "repair_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "grade": _("A : comme neuf · B : traces légères · C : traces visibles. Tout fonctionne.")
        }

    read_as = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # A post without the shown values (a page opened before, a script) compares with the device now.
            field.show_hidden_initial = not self.is_bound or self[name].html_initial_name in self.data

    def clean_serial(self):
        """A maker's label scanned into the field (« 1S » + type-model + serial...) is stored as its serial."""
        maker = self.data.get("brand") or self.instance.brand
        serial, self.read_as = read_serial(self.cleaned_data["serial"], maker)
        return serial


class DeviceImportForm(forms.ModelForm):
    """One CSV row; only the columns present in the row are validated and saved."""

    class Meta:
        model = Device
        # The editable fields but the workshop's notes, the serial first: it finds the row's device.
        fields = [
            "serial",
            *(name for name in EDITABLE_FIELDS if name not in ("serial", "diagnostics", "repair_notes")),
        ]

    def __init__(self, *args, present, **kwargs):
        super().__init__(*args, **kwargs)
        self._present = [name for name in present if name in self.fields]
        for name in list(self.fields):
            if name not in self._present:
                del self.fields[name]
        if self.instance.pk is None and "type" not in self.fields:
            self.fields["type"] = forms.ChoiceField(choices=DeviceType.choices)
            self._present.append("type")

    def present_fields(self):
        return list(self._present)

    def clean(self):
        cleaned = super().clean()
        for name in self._present:
            if name in cleaned:
                setattr(self.instance, name, cleaned[name])
        for name, messages in bounds.errors(
            self.instance, [name for name in self._present if name in cleaned]
        ).items():
            for message in messages:
                self.add_error(name, message)
        if self.errors:
            return cleaned
        try:
            check_price(self.instance)
        except IllegalTransition as exc:
            raise forms.ValidationError(exc.message) from exc
        return cleaned

    def _post_clean(self):
        # Model-level validation would demand fields absent from the row (workshop, asset tag): the
        # service checks what matters (type, price bounds) and the database constraints do the rest.
        return None


class ErasureForm(forms.Form):
    media_serial = forms.CharField(
        label=_("Numéro de série du support"),
        max_length=100,
        required=False,
        help_text=_(
            "Smartphone ou tablette : laissez vide, l’effacement (réinitialisation d’un appareil chiffré) est "
            "enregistré sous le numéro de série de l’appareil."
        ),
    )
    media_type = forms.ChoiceField(label=_("Type de support"), choices=StorageMedium.choices)
    media_make = forms.CharField(label=_("Marque du support"), max_length=80, required=False)
    media_model = forms.CharField(label=_("Modèle du support"), max_length=120, required=False)
    method = forms.ChoiceField(
        label=_("Méthode (NIST SP 800-88)"),
        choices=ErasureMethod.choices,
        help_text=_(
            "Clear : réécriture logique ; purge : effacement sécurisé du micrologiciel ou chiffrement ; "
            "destroy : destruction physique."
        ),
    )
    tool = forms.CharField(label=_("Outil"), max_length=100)
    tool_version = forms.CharField(label=_("Version de l’outil"), max_length=40)
    performed_at = forms.DateTimeField(
        label=_("Date et heure de l’effacement"),
        required=False,
        help_text=_("Laissez vide pour maintenant."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    verified = forms.BooleanField(label=_("Vérification réussie"), required=False)
    notes = forms.CharField(label=_("Remarques"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReportImportForm(forms.Form):
    file = uploads.LimitedFileField(
        limit=uploads.BENCH_REPORTS,
        label=_("Relevé matériel, rapport d’effacement ou archive ZIP"),
        help_text=_(
            "Relevé eReuse Workbench, « lshw -json », « smartctl --json », « dmidecode » ; journal ou certificat PDF "
            "de nwipe / ShredOS, rapport JSON ; ou une archive ZIP de ces fichiers pour un lot d’appareils. "
            "Les appareils et les supports sont retrouvés par leur numéro de série."
        ),
    )
    level = forms.ChoiceField(
        label=_("Niveau NIST SP 800-88, si le rapport ne l’indique pas"),
        # A report never proves a destruction: that is recorded on the device's page.
        choices=[
            ("", _("— indiqué par le rapport —")),
            *((value, label) for value, label in ErasureMethod.choices if value != ErasureMethod.DESTROY),
        ],
        required=False,
        help_text=_(
            "Réécriture (nwipe, shred, eReuse Workbench : toujours clear). Effacement sécurisé du micrologiciel "
            "ou cryptographique : purge."
        ),
    )


class WorkshopChoice(OrganisationChoice):
    """For a person in several workshops, the one a file is for, chosen each time: the first one by default would
    file another workshop's devices and reports under it. Read through reuse.policy.inventory.acting_workshop."""

    choice_field = "workshop"
    choice_label = _("Atelier")
    choice_help = _("Vous êtes membre de plusieurs ateliers : celui dont le stock reçoit ce fichier.")

    def __init__(self, *args, workshops=(), **kwargs):
        super().__init__(*args, organisations=workshops, **kwargs)


class BatchReportImportForm(WorkshopChoice, ReportImportForm):
    """The workshop's import page (a device's own page imports for that device's workshop)."""


class PriceForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=[("", "—")] + list(Grade.choices))
    price_euros = EurosField(
        label=_("Prix solidaire (€)"),
        max_cents=bounds.PRICE_CENTS.high,
        help_text=_("0 pour un don gratuit."),
    )

    def price_cents(self):
        return self.cleaned_data["price_euros"]


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Nouvel état"), choices=DeviceState.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class RecycleForm(forms.Form):
    channel = forms.CharField(label=_("Filière DEEE"), max_length=200)
    reference = forms.CharField(label=_("Référence du bordereau"), max_length=100)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class PartUseForm(forms.Form):
    recipient_tag = forms.CharField(label=_("Étiquette de l’appareil réparé"), max_length=16)
    part = forms.CharField(label=_("Pièce"), max_length=120, help_text=_("Ex. écran, clavier, batterie."))


class PhotoForm(forms.Form):
    photo = uploads.LimitedFileField(
        limit=uploads.PHOTO,
        label=_("Photo (JPEG, PNG, WebP ou HEIC d’iPhone, 20 Mo au plus)"),
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
    )


class ImportForm(WorkshopChoice):
    file = uploads.LimitedFileField(
        limit=uploads.STOCK_FILE,
        label=_("Fichier CSV"),
        help_text=_(
            "Le fichier exporté depuis la liste du stock, modifié dans un tableur : numéro de série (obligatoire), "
            "type, marque, modèle, grade, prix solidaire en euros…"
        ),
    )


def bench_action_choices():
    choices = [(BENCH_CHECK_IN, _("Entrée en stock (scanner le numéro de série)"))]
    choices += [(state.value, _("Passer à « %(s)s »") % {"s": state.label}) for state in BENCH_MOVES]
    choices.append((BENCH_LABELS, _("Ajouter à la planche d’étiquettes")))
    return choices


class BenchForm(forms.Form):
    # The scan field last, just before the button: a scanner set to end its scans with Tab never moves the focus
    # into the action list (where the next scan's first letters would choose an action).
    field_order = ["action", "lot", "device_type", "code"]

    code = forms.CharField(
        label=_("Scanner ou saisir une étiquette ou un numéro de série"),
        max_length=20_000,
        widget=forms.TextInput(attrs={"autofocus": True, **SCAN_FIELD}),
    )
    action = forms.ChoiceField(label=_("Action"), choices=bench_action_choices)
    lot = forms.TypedChoiceField(label=_("Lot reçu"), required=False, coerce=int, empty_value=None)
    device_type = forms.ChoiceField(
        label=_("Type (entrée sans lot)"), choices=[("", "—")] + list(DeviceType.choices), required=False
    )

    def __init__(self, *args, lots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].choices = [("", _("Sans lot (don direct)"))] + [
            (lot.pk, lot.title) for lot in lots
        ]


class LabelForm(forms.Form):
    sheet = forms.ChoiceField(
        label=_("Format d’étiquettes"),
        choices=LABEL_FORMAT_CHOICES,
        help_text=_("Le dernier format imprimé est proposé d’office."),
    )
