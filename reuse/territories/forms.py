from django import forms
from django.utils.translation import gettext_lazy as _

from reuse.territories.enums import TerritoryKind


class AttestationForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("La personne habite"),
        help_text=_(
            "Cochez ce que vous avez vérifié (justificatif de domicile, connaissance du quartier). Rien de coché retire votre attestation précédente."
        ),
        choices=TerritoryKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
