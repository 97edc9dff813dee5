"""Admin for staff: programmes (with their price bounds), the document review queue, verifications,
decisions, duplicates and the journals (read-only)."""

from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSetGroup

from reuse.admin_actions import ConfirmObjectActionView
from reuse.backoffice import (
    ModelViewSet,
    NoAddDeletePolicy,
    ObjectAction,
    ReadOnlyPolicy,
    listing,
    register_admin_urls,
    register_group,
    register_menu_link,
    register_policy,
)
from reuse.eligibility import admin_views
from reuse.eligibility.enums import Criterion, Evidence
from reuse.eligibility.models import (
    DocumentAccess,
    DuplicateFlag,
    EligibilityDecision,
    EligibilityDocument,
    MandateJournalEntry,
)
from reuse.eligibility.services import duplicates
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


# Journals and decisions are written by the services, never edited by hand; read by those whose group gives the
# view permission (Coordinators, Reviewers), not by every staff member.
register_policy(ReadOnlyPolicy, EligibilityDecision, DocumentAccess, MandateJournalEntry)
# Possible duplicates are found at sign-up; staff resolve them with their action (who and when), never add nor
# delete one.
register_policy(NoAddDeletePolicy, DuplicateFlag, exact_class=True)


class ResolveDuplicateView(ConfirmObjectActionView):
    template_name = "eligibility/admin/resolve_duplicate.html"
    page_title = _("Traiter un doublon possible")
    object_context_name = "flag"

    def act(self, request):
        duplicates.resolve_duplicate(flag=self.object, by=request.user)
        return _("Le doublon possible « %(flag)s » est traité.") % {"flag": self.object}


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


register_group(
    _("Éligibilité"),
    "tick-inverse",
    ProgrammeViewSet,
    listing(
        (EligibilityDecision, "eligibility-decisions", "tick-inverse", _("Décisions")),
        inspect_view_enabled=True,
        copy_view_enabled=False,
        list_display=["__str__", "status", "evidence", "programme", "expires_at", "created"],
        list_filter=["status", "evidence", "programme"],
        form_fields=[],
    ),
    listing(
        (DuplicateFlag, "household-duplicates", "warning", _("Doublons possibles")),
        list_display=["__str__", "reason_text", "created", "resolved_at"],
        list_filter=["resolved_at"],
        form_fields=[],
        add_to_admin_menu=False,
        copy_view_enabled=False,
        edit_view_enabled=False,
        inspect_view_enabled=True,
        object_actions=(
            ObjectAction(
                "resolve",
                _("Marquer comme traité"),
                "check",
                ResolveDuplicateView,
                shown=lambda flag: flag.resolved_at is None,
                page_label=_("Traiter"),
            ),
        ),
    ),
    listing(
        (DocumentAccess, "document-accesses", "view", _("Consultations de justificatifs")),
        inspect_view_enabled=True,
        copy_view_enabled=False,
        list_display=["document", "viewer", "created", "ip_address"],
        form_fields=[],
    ),
    listing(
        (MandateJournalEntry, "mandate-journal", "history", _("Journal des mandats")),
        inspect_view_enabled=True,
        copy_view_enabled=False,
        list_display=["created", "action", "actor", "organisation", "household"],
        list_filter=["action"],
        form_fields=[],
    ),
    menu_order=250,
    group_class=ModelViewSetGroup,
)
register_admin_urls(
    "eligibilite/",
    "eligibility_admin",
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
)
register_menu_link(
    _("Justificatifs à examiner"),
    "eligibility_admin:document_queue",
    icon_name="doc-full",
    order=251,
    shown=can_review_documents,
)
register_menu_link(
    _("Vérifications"),
    "eligibility_admin:verifications",
    icon_name="group",
    order=252,
    shown=lambda user: user.is_staff and user.has_perm("eligibility.change_associationprofile"),
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
