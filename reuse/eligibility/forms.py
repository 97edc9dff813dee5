from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reuse import bounds, uploads
from reuse.accounts.emails import spoken
from reuse.accounts.forms import (
    SINGLE_NAME_HELP,
    AccountFieldsForm,
    OrganisationAddressForm,
    OrganisationChoice,
    PaperCodeField,
    PostcodeField,
)
from reuse.eligibility.enums import ConsentMethod, Criterion, Evidence, MandateScope, PrioritySituation
from reuse.eligibility.services.mandates import MANDATE_MAX_MONTHS
from reuse.images import PHOTO_ACCEPT
from reuse.money import QuotientField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The household's own birth date: its browser may offer it (WCAG 1.3.5, autocomplete « bday »).
OWN_BIRTH_DATE_WIDGET = forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d")
# A referrer's form is about someone else: the browser must not offer the referrer's own details.
ABOUT_SOMEONE_ELSE = ("first_name", "last_name", "birth_date", "postcode", "email")


def criteria_choices(programme, *, with_qf=False):
    codes = [code for code in (programme.criteria if programme else Criterion.values)]
    if not with_qf:
        codes = [code for code in codes if code != Criterion.QUOTIENT_FAMILIAL]
    return [(code, Criterion(code).label) for code in codes]


# Where a household lives and how many people it is: asked of a household signing up and of a referrer opening an
# account for one, each in its own words; the size within the bounds the household's profile stores.
def household_postcode_field(label) -> PostcodeField:
    return PostcodeField(label=label, error_messages={"postcode": _("5 chiffres, par exemple 93200.")})


def household_size_field(label) -> forms.IntegerField:
    return forms.IntegerField(label=label, initial=1, **bounds.HOUSEHOLD_SIZE.form_limits)


class HouseholdSignupForm(AccountFieldsForm):
    postcode = household_postcode_field(_("Votre code postal"))
    household_size = household_size_field(_("Combien de personnes vivent chez vous ?"))
    birth_date = forms.DateField(
        label=_("Votre date de naissance"),
        required=False,
        widget=OWN_BIRTH_DATE_WIDGET,
        validators=bounds.BIRTH_DATE_VALIDATORS,
        help_text=_("Elle sert seulement à éviter les doublons."),
    )


class CodeLoginForm(forms.Form):
    code = PaperCodeField(
        label=_("Votre code de connexion"),
        help_text=_(
            "Il est écrit sur la feuille donnée par votre travailleur social. Exemple : ABCD-EFGH-JKMN."
        ),
        max_length=40,
        autocomplete="one-time-code",
    )


class AidStepForm(forms.Form):
    aids = forms.MultipleChoiceField(
        label=_("Recevez-vous une de ces aides ?"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aids"].choices = criteria_choices(programme)


class QuotientStepForm(forms.Form):
    quotient_familial_eur = QuotientField(
        label=_("Quel est votre quotient familial ?"),
        help_text=_("Il est écrit sur votre attestation de la CAF ou de la MSA. En euros, sans centimes."),
        max_value=bounds.QUOTIENT_FAMILIAL_EUR.high,
        required=False,
    )
    unknown = forms.BooleanField(label=_("Je ne sais pas"), required=False)

    def clean(self):
        data = super().clean()
        if (
            data.get("quotient_familial_eur") is None
            and not data.get("unknown")
            and not self.has_error("quotient_familial_eur")
        ):
            # Said beside the figure's field, where it is typed (the box to tick is just below it).
            self.add_error(
                "quotient_familial_eur", _("Écrivez votre quotient familial, ou cochez « Je ne sais pas ».")
            )
        return data


class EvidenceStepForm(forms.Form):
    evidence = forms.ChoiceField(label=_("Comment voulez-vous le prouver ?"), widget=forms.RadioSelect)

    LABELS = {
        Evidence.DOCUMENT: _("J’envoie une photo ou un PDF de mon attestation (CAF, MSA, France Travail…)"),
        Evidence.API_PARTICULIER: _(
            "Rebond vérifie directement auprès de la CAF (il faut votre nom de naissance)"
        ),
        Evidence.DECLARATION: _("Je le déclare sur l’honneur"),
    }

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [(code, self.LABELS[code]) for code in choices]


class DocumentForm(forms.Form):
    file = uploads.LimitedFileField(
        limit=uploads.PROOF,
        label=_("Votre justificatif"),
        help_text=_("Une photo (JPEG, PNG, WebP ou HEIC d’iPhone) ou un PDF, 20 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": f"application/pdf,{PHOTO_ACCEPT}"}),
    )


class IdentityForm(forms.Form):
    birth_name = forms.CharField(label=_("Votre nom de naissance"), max_length=150)
    first_names = forms.CharField(
        label=_("Tous vos prénoms"),
        help_text=_("Séparés par des espaces, comme sur vos papiers."),
        max_length=200,
    )
    birth_date = forms.DateField(
        label=_("Votre date de naissance"),
        widget=OWN_BIRTH_DATE_WIDGET,
        validators=bounds.BIRTH_DATE_VALIDATORS,
    )
    sex = forms.ChoiceField(
        label=_("Sexe inscrit à l’état civil"),
        choices=[("F", _("Femme")), ("M", _("Homme"))],
        widget=forms.RadioSelect,
    )
    birth_commune_code = forms.RegexField(
        label=_("Code INSEE de votre commune de naissance (si vous êtes né en France)"),
        regex=r"^[0-9AB]{5}$",
        required=False,
        help_text=_("Votre travailleur social peut vous aider à le trouver."),
    )
    birth_country_code = forms.RegexField(
        label=_("Code INSEE de votre pays de naissance"),
        regex=r"^99\d{3}$",
        initial="99100",
        help_text=_("99100 pour la France."),
    )


class AssociationSignupForm(AccountFieldsForm, OrganisationAddressForm):
    field_order = ["name", "rna", "siret", "purpose", "public", "address", "postcode", "city"]

    name = forms.CharField(label=_("Nom de l’association"), max_length=200)
    rna = forms.CharField(
        label=_("Numéro RNA"), required=False, max_length=12, help_text=_("W suivi de 9 chiffres.")
    )
    siret = forms.CharField(
        label=_("SIRET"), required=False, max_length=20, help_text=_("Si vous n’avez pas de numéro RNA.")
    )
    purpose = forms.CharField(label=_("Objet de l’association"), widget=forms.Textarea(attrs={"rows": 3}))
    public = forms.CharField(label=_("Public que vous accompagnez"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if not data.get("rna") and not data.get("siret"):
            raise forms.ValidationError(_("Indiquez le numéro RNA ou le SIRET de l’association."))
        return data


class MandateFieldsMixin(forms.Form):
    scopes = forms.MultipleChoiceField(
        label=_("Le mandat permet de"),
        choices=MandateScope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[MandateScope.ELIGIBILITY, MandateScope.CLAIMS],
    )
    months = forms.IntegerField(
        label=_("Durée du mandat (mois)"), min_value=1, max_value=MANDATE_MAX_MONTHS, initial=12
    )
    consent_method = forms.ChoiceField(
        label=_("Signature du mandat"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        initial=ConsentMethod.PRINTED,
    )
    signed_name = forms.CharField(
        label=_("Nom écrit par la personne (signature à l’écran)"),
        required=False,
        max_length=150,
    )
    consent = forms.BooleanField(
        label=_("La personne a lu le mandat et donne son accord."),
        required=True,
        error_messages={"required": _("Sans l’accord de la personne, vous ne pouvez pas agir pour elle.")},
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("consent_method") == ConsentMethod.ON_SCREEN
            and not (data.get("signed_name") or "").strip()
        ):
            self.add_error("signed_name", _("Pour une signature à l’écran, la personne écrit son nom."))
        return data

    def mandate_terms(self) -> dict:
        """The cleaned mandate fields, as the services' keyword arguments."""
        data = self.cleaned_data
        return {
            "scopes": data["scopes"],
            "months": data["months"],
            "consent_given": data["consent"],
            "consent_method": data["consent_method"],
            "signed_name": data["signed_name"],
        }


class MandateForm(MandateFieldsMixin):
    """The mandate alone, for a household that already has its account (renewal)."""


class MandateRequestForm(forms.Form):
    """A new mandate asked of a person who signs in by themselves: they give their consent in their own space."""

    scopes = MandateFieldsMixin.base_fields["scopes"]
    months = MandateFieldsMixin.base_fields["months"]

    def mandate_terms(self) -> dict:
        return {"scopes": self.cleaned_data["scopes"], "months": self.cleaned_data["months"]}


class ReferrerHouseholdForm(OrganisationChoice, MandateFieldsMixin):
    choice_label = _("Structure")
    choice_help = _(
        "Vous êtes membre de plusieurs structures : celle qui suit cette personne et signe le mandat."
    )

    first_name = forms.CharField(
        label=_("Prénom"), max_length=150, required=False, help_text=SINGLE_NAME_HELP
    )
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    birth_date = forms.DateField(
        label=_("Date de naissance"), widget=DATE_WIDGET, validators=bounds.BIRTH_DATE_VALIDATORS
    )
    postcode = household_postcode_field(_("Code postal"))
    household_size = household_size_field(_("Personnes dans le foyer"))
    email = forms.EmailField(
        label=_("Adresse e-mail (facultatif)"),
        required=False,
        help_text=_("Sans e-mail, vous imprimerez un code de connexion."),
    )
    language = forms.ChoiceField(
        label=_("Langue de la personne"),
        choices=settings.LANGUAGES,
        required=False,  # left out: the language of this page
        help_text=_(
            "Ses e-mails et ses papiers (code de connexion, mandat, fiche d’orientation) seront dans cette langue."
        ),
    )

    confirm_new = forms.BooleanField(
        label=_("J’ai vérifié avec la personne : c’est quelqu’un d’autre, créer un nouveau compte."),
        required=False,
    )

    field_order = ["first_name", "last_name", "birth_date", "postcode", "household_size", "email", "language"]

    def __init__(self, *args, lookalikes_shown=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = spoken(get_language())
        for name in ABOUT_SOMEONE_ELSE:
            self.fields[name].widget.attrs["autocomplete"] = "off"
        if not lookalikes_shown:
            # Asked only once a look-alike of a followed household was shown.
            del self.fields["confirm_new"]

    def household_fields(self) -> dict:
        """The person's cleaned fields, as households.create_household_under_mandate takes them."""
        data = self.cleaned_data
        person = {
            name: data[name]
            for name in ("first_name", "last_name", "birth_date", "postcode", "household_size")
        }
        return {
            **person,
            "email": data["email"] or None,
            "language": data.get("language") or None,
            "organisation_id": self.chosen,
        }


class AttestationForm(forms.Form):
    criteria = forms.MultipleChoiceField(
        label=_("Les droits que vous avez vérifiés"),
        widget=forms.CheckboxSelectMultiple,
        required=True,
        error_messages={"required": _("Cochez au moins un droit vérifié.")},
    )
    quotient_familial_eur = QuotientField(
        label=_("Quotient familial (€), si vous l’avez vérifié"),
        max_value=bounds.QUOTIENT_FAMILIAL_EUR.high,
        required=False,
    )
    priorities = forms.MultipleChoiceField(
        label=_("Situations prioritaires vérifiées (liste d’attente)"),
        help_text=_(
            "Cochez seulement ce que vous avez vérifié (justificatif de domicile, certificat de scolarité…) : "
            "ces situations font passer la personne plus tôt sur la liste d’attente."
        ),
        choices=PrioritySituation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    verified = forms.BooleanField(
        label=_("J’ai vu les justificatifs originaux de ces droits."),
        error_messages={"required": _("Vous attestez seulement ce que vous avez vérifié.")},
    )

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = criteria_choices(programme, with_qf=True)

    def clean(self):
        data = super().clean()
        if (
            Criterion.QUOTIENT_FAMILIAL in (data.get("criteria") or [])
            and data.get("quotient_familial_eur") is None
        ):
            self.add_error("quotient_familial_eur", _("Indiquez le quotient familial vérifié."))
        return data


class ReferrerDocumentForm(DocumentForm):
    criteria = forms.MultipleChoiceField(
        label=_("Les droits que prouve ce justificatif"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez le droit que prouve le justificatif.")},
    )
    quotient_familial_eur = QuotientField(
        label=_("Quotient familial (€), s’il figure sur le justificatif"),
        max_value=bounds.QUOTIENT_FAMILIAL_EUR.high,
        required=False,
    )

    field_order = ["criteria", "quotient_familial_eur", "file"]

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = criteria_choices(programme, with_qf=True)
        # The referrer sends the person's proof, not their own.
        self.fields["file"].label = _("Le justificatif de la personne")
