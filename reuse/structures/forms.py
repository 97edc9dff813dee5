from django import forms
from django.utils.translation import gettext_lazy as _

from reuse.accounts.forms import AccountFieldsForm, OrganisationAddressForm
from reuse.structures.enums import MAX_BATCH, MAX_HEADCOUNT, StructureCategory


class StructureSignupForm(AccountFieldsForm, OrganisationAddressForm):
    field_order = ["name", "siret", "category", "headcount", "activity", "address", "postcode", "city"]

    name = forms.CharField(label=_("Nom de la structure"), max_length=200)
    siret = forms.CharField(
        label=_("SIRET"),
        max_length=20,
        help_text=_("14 chiffres, sur votre avis de situation INSEE ou votre Kbis."),
    )
    category = forms.ChoiceField(
        label=_("Vous êtes"), choices=StructureCategory.choices, widget=forms.RadioSelect
    )
    headcount = forms.IntegerField(
        label=_("Combien de personnes y travaillent (vous compris) ?"), min_value=1, max_value=MAX_HEADCOUNT
    )
    activity = forms.CharField(
        label=_("Votre activité"),
        max_length=200,
        help_text=_("Par exemple : boulangerie, plombier, aide à domicile."),
    )


class BatchForm(forms.Form):
    count = forms.IntegerField(label=_("Nombre de chèques"), min_value=1, max_value=MAX_BATCH, initial=10)
