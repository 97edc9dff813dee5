"""Staff back-office for lots: list with filters and search; "edit" assigns the lot to a workshop."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from donations import services
from donations.models import ImportJob, Lot
from reuse.accounts.enums import OrganisationKind, OrganisationStatus
from reuse.accounts.models import Organisation
from reuse.backoffice import ModelViewSet
from reuse.errors import DomainError


class NoAddDeletePolicy(ModelPermissionPolicy):
    """Donors create lots and their history must stay: staff only list and assign."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Lot, NoAddDeletePolicy(Lot), exact_class=True)
register_permission_policy(ImportJob, NoAddDeletePolicy(ImportJob), exact_class=True)


class AssignLotView(generic.EditView):
    def form_valid(self, form):
        self.form = form
        workshop = form.cleaned_data.get("workshop")
        lot = Lot.objects.get(pk=self.object.pk)
        try:
            if workshop is None:
                raise DomainError(_("Choisissez un atelier."))
            self.object = services.assign_lot(lot=lot, workshop=workshop, actor=self.request.user)
        except DomainError as exc:
            form.add_error("workshop", exc.message)
            return self.form_invalid(form)
        return self.save_action()


class LotViewSet(ModelViewSet):
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


class ImportJobViewSet(ModelViewSet):
    model = ImportJob
    icon = "doc-full"
    menu_label = _("Imports de manifeste")
    add_to_admin_menu = False
    list_display = ["filename", "lot", "state", "progress", "error_count", "created"]
    list_filter = ["state"]
    search_fields = ["filename", "lot__title"]
    form_fields = []
    copy_view_enabled = False
    inspect_view_enabled = True


@hooks.register("register_admin_viewset")
def register_lot_viewset():
    return LotViewSet("lots")


@hooks.register("register_admin_viewset")
def register_import_viewset():
    return ImportJobViewSet("manifest_imports")
