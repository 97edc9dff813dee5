"""Staff back-office for lots (list, assign), manifest imports and the header aliases of donors' exports."""

from django import forms
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from donations import services
from donations.models import ColumnChoice, HeaderAlias, ImportJob, Lot, TypeChoice
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


class HeaderAliasForm(forms.ModelForm):
    def clean_alias(self):
        from donations.exports.aliases import fold

        alias = self.cleaned_data["alias"].strip()
        key = fold(alias)
        if not key:
            raise forms.ValidationError(_("Saisissez un en-tête avec au moins une lettre ou un chiffre."))
        if HeaderAlias.objects.filter(key=key).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Cet en-tête est déjà dans la table."))
        return alias


class HeaderAliasViewSet(ModelViewSet):
    """Headers staff teach the manifest reader, on top of the declared table of each tool's exports."""

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


class ColumnChoiceViewSet(ModelViewSet):
    """What each donor organisation answered on the mapping page (read and correct, never created here)."""

    model = ColumnChoice
    icon = "table"
    menu_label = _("Correspondances des donateurs")
    add_to_admin_menu = False
    list_display = ["organisation", "header", "field", "unit", "updated"]
    list_filter = ["field"]
    search_fields = ["organisation__name", "header"]
    form_fields = ["field", "unit"]
    copy_view_enabled = False


class TypeChoiceViewSet(ModelViewSet):
    model = TypeChoice
    icon = "table"
    menu_label = _("Types des donateurs")
    add_to_admin_menu = False
    list_display = ["organisation", "value", "type", "updated"]
    list_filter = ["type"]
    search_fields = ["organisation__name", "value"]
    form_fields = ["type"]
    copy_view_enabled = False


register_permission_policy(ColumnChoice, NoAddDeletePolicy(ColumnChoice), exact_class=True)
register_permission_policy(TypeChoice, NoAddDeletePolicy(TypeChoice), exact_class=True)


@hooks.register("register_admin_viewset")
def register_alias_viewsets():
    return [
        HeaderAliasViewSet("manifest_aliases"),
        ColumnChoiceViewSet("manifest_column_choices"),
        TypeChoiceViewSet("manifest_type_choices"),
    ]


@hooks.register("register_admin_viewset")
def register_lot_viewset():
    return LotViewSet("lots")


@hooks.register("register_admin_viewset")
def register_import_viewset():
    return ImportJobViewSet("manifest_imports")
