"""Back-office for organisations and memberships: listing filters, search, and the approve action."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSetGroup

from reuse.accounts import services
from reuse.accounts.enums import OrganisationStatus
from reuse.accounts.models import Membership, Organisation
from reuse.backoffice import ModelViewSet


class OrganisationIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status != OrganisationStatus.APPROVED and self.user_has_permission("change"):
            buttons.append(
                MenuItem(
                    _("Approuver"),
                    url=reverse("organisations:approve", args=[instance.pk]),
                    icon_name="check",
                    priority=5,
                )
            )
        return buttons


class ApproveOrganisationView(
    PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, TemplateView
):
    """GET asks for confirmation; POST approves through the accounts service (which emails the organisation)."""

    model = Organisation
    permission_required = "change"
    template_name = "accounts/admin/approve_organisation.html"
    header_icon = "check"

    def get_page_title(self):
        return _("Approuver une organisation")

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("organisations:index"), "label": _("Organisations")},
            {"url": "", "label": _("Approuver")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Wagtail's slim header reads these; the project's templates fail on unknown variables.
        context.update(
            side_panels=None, history_url=None, index_results_url=None, search_form=None, filters=None
        )
        context.update(organisation=self.object, index_url=reverse("organisations:index"))
        return context

    def post(self, request, *args, **kwargs):
        organisation = services.approve_organisation(organisation=self.object, by=request.user)
        messages.success(request, _("« %(name)s » est approuvée.") % {"name": organisation.name})
        return redirect("organisations:index")


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = gettext_lazy("Organisations")
    url_prefix = "organisations"
    name = "organisations"
    index_view_class = OrganisationIndexView
    list_display = ["name", "kind", "department", "city", "status", "approved_at"]
    list_filter = ["kind", "status", "department"]
    search_fields = ["name", "siret", "rna", "city", "email"]
    form_fields = [
        "kind",
        "name",
        "siret",
        "rna",
        "address",
        "postcode",
        "city",
        "department",
        "email",
        "phone",
        "status",
    ]
    inspect_view_enabled = True

    @property
    def approve_view(self):
        return self.construct_view(ApproveOrganisationView)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("approve/<int:pk>/", self.approve_view, name="approve")]


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "user"
    menu_label = gettext_lazy("Adhésions")
    url_prefix = "memberships"
    name = "memberships"
    list_display = ["user", "organisation", "role", "created"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__email", "user__last_name", "organisation__name"]
    form_fields = ["user", "organisation", "role"]


class OrganisationsGroup(ViewSetGroup):
    menu_label = gettext_lazy("Organisations")
    menu_icon = "group"
    menu_order = 200
    items = (OrganisationViewSet, MembershipViewSet)


@hooks.register("register_admin_viewset")
def register_organisation_viewsets():
    return OrganisationsGroup()
