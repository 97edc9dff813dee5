"""Staff verify small structures, set up funders' equipment-cheque programmes and issue cheques in batches."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup

from reuse.admin_actions import ConfirmObjectActionView
from reuse.backoffice import IndexView, ModelViewSet
from reuse.errors import DomainError
from reuse.structures import services
from reuse.structures.forms import BatchForm
from reuse.structures.models import ChequeBatch, ChequeProgramme, StructureProfile


class VerifyStructureView(ConfirmObjectActionView):
    model = StructureProfile
    template_name = "structures/admin/verify.html"
    header_icon = "tick"
    page_title = _("Vérifier une petite structure")
    index_url_name = "structures_profile:index"
    index_label = _("Petites structures")
    action_label = _("Vérifier")
    object_context_name = "profile"

    def post(self, request, *args, **kwargs):
        try:
            services.verify_structure(organisation=self.object.organisation, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(name)s est vérifiée.") % {"name": self.object.organisation.name})
        return redirect("structures_profile:index")


class StructureIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not instance.is_verified and self.user_has_permission("change"):
            buttons.append(
                MenuItem(
                    _("Vérifier"),
                    url=reverse("structures_profile:verify", args=[instance.pk]),
                    icon_name="tick",
                )
            )
        return buttons


class StructureViewSet(ModelViewSet):
    url_prefix = "structures/profile"
    url_namespace = "structures_profile"
    model = StructureProfile
    icon = "group"
    menu_label = _("Petites structures")
    index_view_class = StructureIndexView
    list_display = ["organisation", "category", "headcount", "activity", "verified_at"]
    list_filter = ["category"]
    form_fields = ["category", "headcount", "activity"]
    inspect_view_enabled = True

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("verify/<int:pk>/", self.construct_view(VerifyStructureView), name="verify")
        ]


class IssueBatchView(ConfirmObjectActionView):
    model = ChequeProgramme
    template_name = "structures/admin/issue.html"
    header_icon = "doc-full"
    page_title = _("Émettre un carnet de chèques")
    index_url_name = "structures_programme:index"
    index_label = _("Programmes de chèques équipement")
    action_label = _("Émettre")
    object_context_name = "programme"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or BatchForm()
        return context

    def post(self, request, *args, **kwargs):
        form = BatchForm(request.POST)
        if form.is_valid():
            try:
                batch = services.issue_batch(
                    programme=self.object, count=form.cleaned_data["count"], by=request.user
                )
            except DomainError as exc:
                form.add_error("count", exc.message)
            else:
                return redirect("structures:batch_print", pk=batch.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ProgrammeIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission("change"):
            buttons.append(
                MenuItem(
                    _("Émettre un carnet"),
                    url=reverse("structures_programme:issue", args=[instance.pk]),
                    icon_name="doc-full",
                )
            )
        return buttons


class ChequeProgrammeViewSet(ModelViewSet):
    url_prefix = "structures/programme"
    url_namespace = "structures_programme"
    model = ChequeProgramme
    icon = "tag"
    menu_label = _("Programmes de chèques équipement")
    index_view_class = ProgrammeIndexView
    list_display = [
        "name",
        "funder",
        "face_value_cents",
        "valid_from",
        "valid_until",
        "devices_per_structure",
    ]
    form_fields = [
        "funder",
        "name",
        "face_value_cents",
        "valid_from",
        "valid_until",
        "departments",
        "categories",
        "devices_per_structure",
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("issue/<int:pk>/", self.construct_view(IssueBatchView), name="issue")
        ]


class ChequeBatchViewSet(ModelViewSet):
    url_prefix = "structures/batch"
    url_namespace = "structures_batch"
    model = ChequeBatch
    icon = "list-ul"
    menu_label = _("Carnets émis")
    list_display = ["__str__", "created_by", "created"]
    add_view_enabled = False
    edit_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["count"]


class StructuresGroup(ViewSetGroup):
    menu_label = _("Petites structures")
    menu_icon = "group"
    items = (StructureViewSet, ChequeProgrammeViewSet, ChequeBatchViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return StructuresGroup()
