"""Staff back-office for lots (list, assign), manifest imports, the header aliases of donors' exports and tax
receipts (their caps, the reviews of implausible values, the receipts themselves)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import modelform_factory
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from donations import receipts, services
from donations.admin_receipts import TAX_RECEIPTS
from donations.enums import ReceiptReviewStatus
from donations.exports.aliases import fold
from donations.models import (
    ColumnChoice,
    HeaderAlias,
    ImportJob,
    Lot,
    ReceiptValueCap,
    TaxReceiptReview,
    TypeChoice,
)
from reuse.accounts.enums import OrganisationKind, OrganisationStatus
from reuse.accounts.models import Organisation
from reuse.admin_actions import ServiceEditView
from reuse.backoffice import (
    ApproveColumn,
    ModelViewSet,
    NoAddDeletePolicy,
    listing,
    register_policy,
    register_viewsets,
)
from reuse.errors import DomainError
from reuse.money import format_euros
from reuse.policy.accounts import is_staff
from reuse.views import domain_errors

# Donors create lots, imports and their mapping answers, and their history must stay: staff list and correct them.
register_policy(
    NoAddDeletePolicy, Lot, ImportJob, ColumnChoice, TypeChoice, TaxReceiptReview, exact_class=True
)


class AssignLotView(ServiceEditView):
    error_field = "workshop"

    def save_with_service(self, form):
        workshop = form.cleaned_data.get("workshop")
        lot = Lot.objects.get(pk=self.object.pk)
        if workshop is None:
            raise DomainError(_("Choisissez un atelier."))
        return services.assign_lot(lot=lot, workshop=workshop, actor=self.request.user)


class LotViewSet(ModelViewSet):
    name = "lots"
    model = Lot
    icon = "folder-open-inverse"
    menu_label = _("Lots donnés")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "donor", "status", "pickup_department", "workshop", "created"]
    list_filter = ["status", "pickup_department"]
    search_fields = ["title", "donor__name", "pickup_postcode"]
    form_fields = ["workshop"]
    edit_view_class = AssignLotView
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "title",
        "donor",
        "status",
        "workshop",
        "pickup_address",
        "pickup_postcode",
        "available_from",
        "pickup_scheduled_for",
        "contact_name",
        "contact_email",
    ]

    def formfield_for_dbfield(self, db_field, **kwargs):
        field = super().formfield_for_dbfield(db_field, **kwargs)
        if db_field.name == "workshop" and isinstance(field, forms.ModelChoiceField):
            field.queryset = Organisation.objects.filter(
                kind=OrganisationKind.WORKSHOP, status=OrganisationStatus.APPROVED
            )
            field.required = True
            field.label = _("Atelier à qui proposer le lot")
            field.help_text = _(
                "Le lot doit être « soumis ». L’atelier accepte ou décline ; le donateur est prévenu par e-mail."
            )
        return field


class HeaderAliasForm(forms.ModelForm):
    def clean_alias(self):
        alias = self.cleaned_data["alias"].strip()
        key = fold(alias)
        if not key:
            raise forms.ValidationError(_("Saisissez un en-tête avec au moins une lettre ou un chiffre."))
        if HeaderAlias.objects.filter(key=key).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Cet en-tête est déjà dans la table."))
        return alias


class HeaderAliasViewSet(ModelViewSet):
    """Headers staff teach the manifest reader, on top of the declared table of each tool's exports."""

    name = "manifest_aliases"
    model = HeaderAlias
    icon = "list-ul"
    menu_label = _("Alias d’en-têtes des manifestes")
    menu_order = 215
    add_to_admin_menu = True
    list_display = ["alias", "field", "note", "created"]
    list_filter = ["field"]
    search_fields = ["alias", "note"]
    form_fields = ["alias", "field", "note"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return modelform_factory(
            HeaderAlias,
            form=HeaderAliasForm,
            fields=self.form_fields,
            formfield_callback=self.formfield_for_dbfield,
        )


register_viewsets(
    HeaderAliasViewSet,
    # What each donor organisation answered on the mapping page (read and correct, never created here).
    listing(
        (ColumnChoice, "manifest_column_choices", "table", _("Correspondances des donateurs")),
        add_to_admin_menu=False,
        list_display=["organisation", "header", "field", "unit", "updated"],
        list_filter=["field"],
        search_fields=["organisation__name", "header"],
        form_fields=["field", "unit"],
        copy_view_enabled=False,
    ),
    listing(
        (TypeChoice, "manifest_type_choices", "table", _("Types des donateurs")),
        add_to_admin_menu=False,
        list_display=["organisation", "value", "type", "updated"],
        list_filter=["type"],
        search_fields=["organisation__name", "value"],
        form_fields=["type"],
        copy_view_enabled=False,
    ),
)


register_viewsets(LotViewSet)
register_viewsets(
    listing(
        (ImportJob, "manifest_imports", "doc-full", _("Imports de manifeste")),
        add_to_admin_menu=False,
        list_display=["filename", "lot", "state", "progress", "error_count", "created"],
        list_filter=["state"],
        search_fields=["filename", "lot__title"],
        form_fields=[],
        copy_view_enabled=False,
        inspect_view_enabled=True,
    )
)


class ApproveReceiptColumn(ApproveColumn):
    cell_template_name = "donations/admin_approve_receipt_cell.html"
    url_name = "donations_approve_receipt"

    def is_pending(self, review):
        return review.status == ReceiptReviewStatus.PENDING


def approve_receipt(request, pk):
    """The held receipt's valuation, device by device (GET), and the approval that issues it (POST)."""
    # Coordinators, not every staff member (a document reviewer is staff too).
    if not is_staff(request.user) or not request.user.has_perm("donations.change_taxreceiptreview"):
        raise PermissionDenied
    review = get_object_or_404(TaxReceiptReview.objects.select_related("lot", "lot__donor"), pk=pk)
    values = receipts.valuation(review.lot)
    if request.method == "POST":
        with domain_errors(request) as attempt:
            receipt = receipts.approve_review(
                review_id=review.pk, staff=request.user, approved_items=request.POST.getlist("approved")
            )
        if attempt.ok:
            messages.success(
                request,
                _("Reçu fiscal n° %(number)s émis pour %(amount)s.")
                % {"number": receipt.number, "amount": format_euros(receipt.amount_cents)},
            )
        return redirect("tax_receipt_reviews:index")
    rows = [
        {
            **device,
            "declared": format_euros(device["declared_cents"]),
            "cap": format_euros(device["cap_cents"]),
            "value": format_euros(device["value_cents"]),
        }
        for device in values["devices"]
    ]
    # One box per manifest line above its cap (a line without serial may cover several devices): its first device.
    seen = set()
    for row in rows:
        row["box"] = row["outlier"] and row["item_id"] not in seen
        seen.add(row["item_id"])
    return TemplateResponse(
        request,
        "donations/admin_approve_receipt.html",
        {
            "review": review,
            "rows": rows,
            "received": values["received"],
            "total": format_euros(values["value_cents"]),
            "pending": review.status == ReceiptReviewStatus.PENDING,
        },
    )


register_viewsets(
    # Every receipt issued, and its cancellation by staff with a reason (donations/admin_receipts.py).
    TAX_RECEIPTS,
    # The most a tax receipt counts one device of each type at: staff keep them plausible.
    listing(
        (ReceiptValueCap, "receipt_caps", "tag", _("Plafonds des reçus fiscaux")),
        add_to_settings_menu=True,
        list_display=["device_type", "cap_cents", "updated"],
        form_fields=["device_type", "cap_cents", "reasoning"],
    ),
    # Receipts held back because a received device was declared above its type's cap.
    listing(
        (TaxReceiptReview, "tax_receipt_reviews", "warning", _("Reçus fiscaux à vérifier")),
        menu_order=212,
        add_to_admin_menu=True,
        inspect_view_enabled=True,
        list_display=[
            "lot",
            "status",
            "outliers",
            "declared_cents",
            "valued_cents",
            "created",
            ApproveReceiptColumn("approve", label=_("Vérification")),
        ],
        list_filter=["status"],
        search_fields=["lot__title", "lot__donor__name"],
        form_fields=[],
    ),
)


@hooks.register("register_admin_urls")
def register_receipt_urls():
    return [path("recus-fiscaux/<int:pk>/verifier/", approve_receipt, name="donations_approve_receipt")]
