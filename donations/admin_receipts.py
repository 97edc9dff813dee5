"""The tax receipts in the Wagtail admin, for staff and the accountant: every receipt issued (number, lot, donor,
amount, whether it is valid, cancelled, or replaces another), read-only, and the one action on it: cancel a receipt
found wrong with its reason (the `cancel_taxreceipt` permission), through the service the command line uses too."""

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from donations import receipts
from donations.models import TaxReceipt
from reuse.admin_actions import ConfirmObjectActionView
from reuse.backoffice import ObjectAction, ReadOnlyPolicy, listing, register_policy

# A receipt is a legal record: issued by the services, never added, edited nor deleted by hand; cancelled below.
register_policy(ReadOnlyPolicy, TaxReceipt, exact_class=True)


class CancelReceiptForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l’annulation"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Imprimé sur le reçu annulé et montré au donateur, ex. « Forme juridique erronée : SAS »."
        ),
    )


class CancelReceiptView(ConfirmObjectActionView):
    """GET shows the receipt and asks why; POST cancels it: it keeps its number and the donor may ask again."""

    permission_required = "cancel"  # receipts.CANCEL_PERMISSION, through the model's permission policy
    template_name = "donations/admin_cancel_receipt.html"
    page_title = _("Annuler un reçu fiscal")
    object_context_name = "receipt"
    form_class = CancelReceiptForm
    form_error_field = "reason"

    def act_with_form(self, request, form):
        receipts.cancel_tax_receipt(
            receipt_id=self.object.pk, staff=request.user, reason=form.cleaned_data["reason"]
        )
        return self.back_to_listing(
            request,
            _("Le reçu n° %(number)s est annulé : le donateur peut demander le reçu du lot à nouveau.")
            % {"number": self.object.number},
        )


def status(receipt: TaxReceipt) -> str:
    if receipt.is_cancelled:
        return gettext("Annulé le %(date)s : %(reason)s") % {
            "date": formats.date_format(timezone.localtime(receipt.cancelled_at), "SHORT_DATE_FORMAT"),
            "reason": receipt.cancel_reason,
        }
    return gettext("Valide")


def links(receipt: TaxReceipt) -> str:
    """Which receipt replaced this one, and which one it cancels and replaces."""
    said = []
    replacement = getattr(receipt, "replaced_by", None)  # read with the rows (list_select_related)
    if replacement is not None:
        said.append(gettext("Remplacé par %(number)s") % {"number": replacement.number})
    if receipt.replaces_id:
        said.append(gettext("Annule et remplace %(number)s") % {"number": receipt.replaces.number})
    return " ; ".join(said)


TAX_RECEIPTS = listing(
    (TaxReceipt, "tax_receipts", "doc-full", _("Reçus fiscaux")),
    menu_order=211,
    add_to_admin_menu=True,
    inspect_view_enabled=True,
    # What the receipt says is in its PDF (the donor's lot page); here, what the accountant files it by.
    inspect_view_fields=[
        "number",
        "lot",
        "amount_cents",
        "donor_legal_form",
        "created",
        "issued_by",
        "cancelled_at",
        "cancelled_by",
        "cancel_reason",
        "replaces",
    ],
    list_display=[
        "number",
        "lot",
        Column("donor", label=_("Donateur"), accessor="lot.donor"),
        "amount_cents",
        Column("status", label=_("Statut"), accessor=status),
        Column("links", label=_("Annulé / remplacé"), accessor=links),
        "created",
    ],
    # What `links` reads of each row, with the rows: one query per page, not per receipt.
    list_select_related=("replaced_by", "replaces"),
    search_fields=["number", "lot__title", "lot__donor__name"],
    form_fields=[],
    add_view_enabled=False,
    edit_view_enabled=False,
    copy_view_enabled=False,
    object_actions=(
        ObjectAction(
            "cancel",
            _("Annuler le reçu"),
            "cross",
            CancelReceiptView,
            shown=lambda receipt: not receipt.is_cancelled,
            page_label=_("Annuler"),
        ),
    ),
)
