"""Staff screens: every workshop's devices, and workshop profiles to review and approve."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column

from inventory.enums import LegalStatus
from inventory.models import Device, ErasureRecord, ErasureReport, WorkshopProfile
from inventory.services.devices import update_device
from inventory.services.workshops import verify_workshop
from reuse.accounts.enums import OrganisationStatus
from reuse.admin_actions import ServiceEditView
from reuse.backoffice import (
    ApproveColumn,
    NoAddDeletePolicy,
    ReadOnlyPolicy,
    listing,
    register_group,
    register_policy,
)
from reuse.policy.accounts import is_staff
from reuse.views import domain_errors


class DeviceEditView(ServiceEditView):
    """Staff corrections go through the same service as the workshop's page and the API: a listed device keeps a
    grade and a price within its programme's bounds, and the erasure rule holds."""

    def save_with_service(self, form):
        return update_device(
            device=Device.objects.get(pk=self.object.pk), actor=self.request.user, **self.changes(form)
        )


# Devices enter the stock at check-in (asset tag, history) and leave it through their lifecycle: the admin
# corrects them, never adds nor deletes one.
register_policy(NoAddDeletePolicy, Device, exact_class=True)

DeviceViewSet = listing(
    (Device, "devices", "tablet-alt", _("Appareils")),
    add_to_admin_menu=False,
    inspect_view_enabled=True,
    list_display=["asset_tag", "type", "brand", "model", "state", "grade", "workshop", "received_at"],
    list_filter=["state", "type", "grade", "workshop"],
    search_fields=["asset_tag", "serial", "brand", "model"],
    # Moves go through the lifecycle (history, erasure rule): staff edit specs, never the state here.
    form_fields=[
        "type",
        "brand",
        "model",
        "serial",
        "cpu",
        "ram_gb",
        "storage_gb",
        "os",
        "repair_notes",
        "diagnostics",
        "grade",
        "price_cents",
    ],
    edit_view_class=DeviceEditView,
)


# Erasure proof is never added, edited nor deleted from the admin: listing and inspection only.
register_policy(ReadOnlyPolicy, ErasureRecord, ErasureReport)
# A workshop's profile comes with its organisation at sign-up (the form has no organisation to add one to), and its
# stock and history hang on it: staff correct it, never add nor delete one.
register_policy(NoAddDeletePolicy, WorkshopProfile, exact_class=True)


class StatusColumn(Column):
    def get_value(self, instance):
        return instance.organisation.get_status_display()


class ApproveWorkshopColumn(ApproveColumn):
    cell_template_name = "inventory/admin_approve_cell.html"
    url_name = "inventory_approve_workshop"

    def is_pending(self, profile):
        return profile.organisation.status != OrganisationStatus.APPROVED


register_group(
    _("Stock des ateliers"),
    "tablet-alt",
    DeviceViewSet,
    listing(
        (ErasureRecord, "erasures", "bin", _("Effacements")),
        inspect_view_enabled=True,
        list_display=[
            "device",
            "media_serial",
            "media_make",
            "media_model",
            "method",
            "tool",
            "verified",
            "performed_at",
        ],
        list_filter=["verified", "method"],
        search_fields=["media_serial", "tool"],
        form_fields=[],
    ),
    # The erasure tools' original reports the workshops imported: listed and inspected, never changed.
    listing(
        (ErasureReport, "erasure_reports", "doc-full", _("Rapports d’effacement")),
        inspect_view_enabled=True,
        list_display=["filename", "workshop", "tool", "tool_version", "sha256", "created"],
        list_filter=["kind"],
        search_fields=["filename", "sha256", "workshop__name"],
        form_fields=[],
    ),
    listing(
        (WorkshopProfile, "workshops", "site", _("Ateliers")),
        inspect_view_enabled=True,
        list_display=[
            "organisation",
            StatusColumn("status", label=_("Statut")),
            "monthly_capacity",
            "may_issue_tax_receipts",
            "legal_status",
            ApproveWorkshopColumn("approve", label=_("Vérification")),
        ],
        list_filter=["organisation__status", "may_issue_tax_receipts"],
        search_fields=["organisation__name", "organisation__siret"],
        form_fields=[
            "service_departments",
            "monthly_capacity",
            "opening_hours",
            "may_issue_tax_receipts",
            "legal_status",
            "weee_partner",
            "latitude",
            "longitude",
        ],
    ),
    menu_order=300,
)


def approve_workshop(request, pk):
    """A confirmation page (GET) and the approval itself (POST), through the accounts service."""
    if not is_staff(request.user):
        raise PermissionDenied
    profile = get_object_or_404(WorkshopProfile.objects.select_related("organisation"), pk=pk)
    if request.method == "POST":
        with domain_errors(request) as attempt:
            verify_workshop(
                profile=profile,
                by=request.user,
                may_issue_tax_receipts=request.POST.get("may_issue_tax_receipts") == "on",
                legal_status=request.POST.get("legal_status"),
            )
        if attempt.ok:
            messages.success(
                request, _("Atelier « %(name)s » vérifié.") % {"name": profile.organisation.name}
            )
        return redirect("workshops:index")
    return TemplateResponse(
        request, "inventory/admin_approve.html", {"profile": profile, "legal_statuses": LegalStatus.choices}
    )


@hooks.register("register_admin_urls")
def register_urls():
    return [path("ateliers/<int:pk>/verifier/", approve_workshop, name="inventory_approve_workshop")]
