"""Admin for staff: programmes (with their price bounds), the document review queue, verifications,
decisions, duplicates and the journals (read-only)."""

from django import forms
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from reuse.backoffice import ModelViewSet
from reuse.eligibility import admin_views
from reuse.eligibility.enums import Criterion, Evidence
from reuse.eligibility.models import (
    DocumentAccess,
    DuplicateFlag,
    EligibilityDecision,
    EligibilityDocument,
    MandateJournalEntry,
)
from reuse.policy.eligibility import can_review_documents
from reuse.programmes.departments import parse_departments
from reuse.programmes.models import Programme


class PricesPanel(InlinePanel):
    """InlinePanel whose add button names its icon explicitly (the template reads a bare `icon`)."""

    class BoundPanel(InlinePanel.BoundPanel):
        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["icon"] = self.panel.icon or "plus-inverse"
            return context


class ProgrammeAdminForm(WagtailAdminModelForm):
    departments = forms.CharField(
        label=_("Départements"), help_text=_("Codes séparés par des virgules, ex. 93, 95, 75")
    )
    criteria = forms.MultipleChoiceField(
        label=_("Critères acceptés"), choices=Criterion.choices, widget=forms.CheckboxSelectMultiple
    )
    accepted_evidence = forms.MultipleChoiceField(
        label=_("Justificatifs acceptés"), choices=Evidence.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.departments:
            self.initial["departments"] = ", ".join(self.instance.departments)

    def clean_departments(self):
        codes, wrong = parse_departments(self.cleaned_data["departments"])
        if wrong or not codes:
            raise forms.ValidationError(
                _("Codes de département invalides : %(codes)s") % {"codes": ", ".join(wrong) or "-"}
            )
        return codes


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Journals and decisions are written by the services, never edited by hand."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return bool(user.is_active and user.is_staff)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


for _read_only_model in (EligibilityDecision, DocumentAccess, MandateJournalEntry):
    register_permission_policy(_read_only_model, ReadOnlyPolicy(_read_only_model))


class ProgrammeViewSet(ModelViewSet):
    name = "programmes"
    model = Programme
    icon = "list-ul"
    menu_label = _("Programmes")
    list_display = ["name", "starts_on", "ends_on", "is_active", "quotient_familial_max_eur"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("name"),
                    FieldPanel("departments"),
                    FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
                    FieldPanel("is_active"),
                ],
                heading=_("Territoire et période"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("criteria"),
                    FieldPanel("quotient_familial_max_eur"),
                    FieldPanel("accepted_evidence"),
                    FieldPanel("decision_validity_months"),
                    FieldPanel("document_retention_days"),
                    FieldPanel("associations_eligible"),
                    FieldPanel("api_particulier_recipient_siret"),
                ],
                heading=_("Éligibilité"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("household_cap_devices"), FieldPanel("household_cap_months")]),
                    FieldPanel("association_cap_per_year"),
                    FieldPanel("hold_hours"),
                    FieldPanel("claim_cooldown_hours"),
                    FieldPanel("vouchers_accepted"),
                ],
                heading=_("Plafonds, réservation et chèques"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("weight_waiting_days"),
                    FieldPanel("weight_qpv_zrr"),
                    FieldPanel("weight_no_computer"),
                    FieldPanel("weight_children_at_school"),
                ],
                heading=_("Priorité de la liste d’attente"),
            ),
            PricesPanel(
                "prices",
                heading=_("Prix par type et grade (€)"),
                label=_("Fourchette de prix"),
                help_text=_(
                    "Un type d’appareil sans fourchette pour un grade ne peut être mis en ligne que gratuitement."
                ),
            ),
        ],
        base_form_class=ProgrammeAdminForm,
    )


class DecisionViewSet(ModelViewSet):
    name = "eligibility-decisions"
    model = EligibilityDecision
    icon = "tick-inverse"
    menu_label = _("Décisions")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["__str__", "status", "evidence", "programme", "expires_at", "created"]
    list_filter = ["status", "evidence", "programme"]
    form_fields = ["status"]


class DuplicateFlagViewSet(ModelViewSet):
    name = "household-duplicates"
    model = DuplicateFlag
    icon = "warning"
    menu_label = _("Doublons possibles")
    list_display = ["__str__", "reason", "created", "resolved_at"]
    list_filter = ["resolved_at"]
    form_fields = ["resolved_at"]
    add_to_admin_menu = False
    copy_view_enabled = False


class DocumentAccessViewSet(ModelViewSet):
    name = "document-accesses"
    model = DocumentAccess
    icon = "view"
    menu_label = _("Consultations de justificatifs")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["document", "viewer", "created", "ip_address"]
    form_fields = ["document"]


class JournalViewSet(ModelViewSet):
    name = "mandate-journal"
    model = MandateJournalEntry
    icon = "history"
    menu_label = _("Journal des mandats")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["created", "action", "actor", "organisation", "household"]
    list_filter = ["action"]
    form_fields = ["action"]


class EligibilityGroup(ModelViewSetGroup):
    menu_label = _("Éligibilité")
    menu_icon = "tick-inverse"
    menu_order = 250
    items = (ProgrammeViewSet, DecisionViewSet, DuplicateFlagViewSet, DocumentAccessViewSet, JournalViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return EligibilityGroup()


eligibility_admin_urls = (
    [
        path("justificatifs/", admin_views.document_queue, name="document_queue"),
        path("justificatifs/<int:pk>/", admin_views.document_detail, name="document_detail"),
        path("justificatifs/<int:pk>/fichier/", admin_views.document_file, name="document_file"),
        path("justificatifs/<int:pk>/decision/", admin_views.document_review, name="document_review"),
        path("verifications/", admin_views.verifications, name="verifications"),
        path(
            "verifications/associations/<int:pk>/", admin_views.verify_association, name="verify_association"
        ),
        path(
            "verifications/prescripteurs/<int:pk>/", admin_views.accredit_referrer, name="accredit_referrer"
        ),
    ],
    "eligibility_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("eligibilite/", include(eligibility_admin_urls, namespace="eligibility_admin"))]


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return can_review_documents(request.user)


class VerifierMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_staff and request.user.has_perm("eligibility.change_associationprofile")


@hooks.register("register_admin_menu_item")
def register_document_queue_menu_item():
    return ReviewerMenuItem(
        _("Justificatifs à examiner"),
        reverse("eligibility_admin:document_queue"),
        icon_name="doc-full",
        order=251,
    )


@hooks.register("register_admin_menu_item")
def register_verifications_menu_item():
    return VerifierMenuItem(
        _("Vérifications"), reverse("eligibility_admin:verifications"), icon_name="group", order=252
    )


class DocumentsWaitingPanel(Component):
    name = "eligibility_documents_waiting"
    template_name = "eligibility/admin/home_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["waiting_count"] = EligibilityDocument.objects.waiting().count()
        context["queue_url"] = reverse("eligibility_admin:document_queue")
        return context


@hooks.register("construct_homepage_panels")
def add_documents_waiting_panel(request, panels):
    if can_review_documents(request.user):
        panels.append(DocumentsWaitingPanel())
