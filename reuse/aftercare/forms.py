from django import forms
from django.utils.translation import gettext_lazy as _

from reuse import uploads
from reuse.accounts.forms import PaperCodeField
from reuse.aftercare.enums import ReturnedTo, Usage, UsePurpose
from reuse.bounds import PrintedNumberField
from reuse.images import PHOTO_ACCEPT

YES_NO = [("yes", _("Oui")), ("no", _("Non"))]


class ProblemForm(forms.Form):
    description = forms.CharField(
        label=_("Qu’est-ce qui ne va pas ?"),
        help_text=_(
            "En quelques mots, comme vous le diriez au téléphone : « l’écran reste noir », « la batterie se vide vite »."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    photo = uploads.LimitedFileField(
        limit=uploads.TICKET_PHOTO,
        label=_("Une photo (facultatif)"),
        help_text=_("JPEG, PNG, WebP ou HEIC d’iPhone, 20 Mo au plus. Elle n’est vue que par l’atelier."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )


class CodeProblemForm(ProblemForm):
    field_order = ["claim_number", "code", "description", "photo"]
    claim_number = PrintedNumberField(
        label=_("Numéro du reçu de remise"),
        help_text=_("En haut du reçu : « Reçu de remise n° … »"),
    )
    code = PaperCodeField(
        label=_("Code de remise"),
        max_length=12,
        help_text=_("Le code à 6 caractères montré à l’atelier, par exemple ACD-EFG."),
    )


class WorkshopProblemForm(CodeProblemForm):
    """The workshop opens the ticket for the household on the phone or at the counter, with its handover code."""


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Ce que vous dites au foyer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


class ReturnForm(NoteForm):
    returned_to = forms.ChoiceField(
        label=_("L’appareil rendu va"), choices=ReturnedTo.choices, widget=forms.RadioSelect
    )
    recycle_channel = forms.CharField(label=_("Filière DEEE (recyclage)"), max_length=200, required=False)
    recycle_reference = forms.CharField(
        label=_("Référence du bordereau (recyclage)"), max_length=100, required=False
    )


class SwapForm(ReturnForm):
    field_order = ["replacement", "returned_to", "recycle_channel", "recycle_reference", "note"]

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"] = forms.ChoiceField(
            label=_("Appareil donné à la place"),
            choices=[
                (d.pk, f"{d.asset_tag} · {d.brand} {d.model} · {d.grade or '-'} · {d.get_state_display()}")
                for d in candidates
            ],
        )
        self.order_fields(self.field_order)


class FollowUpCodeForm(forms.Form):
    code = PaperCodeField(
        label=_("Code du questionnaire"),
        max_length=12,
        help_text=_("Imprimé sur votre reçu de remise, par exemple ACDE-FGHJ."),
    )


class FollowUpForm(forms.Form):
    usage = forms.ChoiceField(
        label=_("L’appareil vous sert-il ?"), choices=Usage.choices, widget=forms.RadioSelect
    )
    purposes = forms.MultipleChoiceField(
        label=_("Pour quoi faire ?"),
        choices=UsePurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    has_problem = forms.ChoiceField(
        label=_("Avez-vous un problème avec l’appareil ?"), choices=YES_NO, widget=forms.RadioSelect
    )
    problem = forms.CharField(
        label=_("Si oui, lequel ?"),
        help_text=_("Nous ouvrons un ticket de garantie et l’atelier vous recontacte."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    wants_help = forms.ChoiceField(
        label=_("Aimeriez-vous de l’aide pour vous servir de l’appareil ?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
