"""Staff verify small structures, set up funders' equipment-cheque programmes and issue cheques in batches."""

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from reuse.admin_actions import ConfirmObjectActionView
from reuse.backoffice import NoAddDeletePolicy, ObjectAction, listing, register_group, register_policy
from reuse.structures import services
from reuse.structures.forms import BatchForm
from reuse.structures.models import ChequeBatch, ChequeProgramme, StructureProfile

# A structure's profile comes with its organisation at sign-up (the form has no organisation to add one to), and its
# verification and cheques hang on it: staff correct it and verify it, never add nor delete one.
register_policy(NoAddDeletePolicy, StructureProfile, exact_class=True)


class VerifyStructureView(ConfirmObjectActionView):
    template_name = "structures/admin/verify.html"
    page_title = _("Vérifier une petite structure")
    object_context_name = "profile"

    def act(self, request):
        services.verify_structure(organisation=self.object.organisation, by=request.user)
        return _("%(name)s est vérifiée.") % {"name": self.object.organisation.name}


class IssueBatchView(ConfirmObjectActionView):
    template_name = "structures/admin/issue.html"
    page_title = _("Émettre un carnet de chèques")
    object_context_name = "programme"
    form_class = BatchForm
    form_error_field = "count"

    def act_with_form(self, request, form):
        batch = services.issue_batch(programme=self.object, count=form.cleaned_data["count"], by=request.user)
        return redirect("structures:batch_print", pk=batch.pk)


register_group(
    _("Petites structures"),
    "group",
    listing(
        (StructureProfile, "structures/profile", "group", _("Petites structures")),
        list_display=["organisation", "category", "headcount", "activity", "verified_at"],
        list_filter=["category"],
        form_fields=["category", "headcount", "activity"],
        inspect_view_enabled=True,
        object_actions=(
            ObjectAction(
                "verify",
                _("Vérifier"),
                "tick",
                VerifyStructureView,
                shown=lambda profile: not profile.is_verified,
            ),
        ),
    ),
    listing(
        (ChequeProgramme, "structures/programme", "tag", _("Programmes de chèques équipement")),
        list_display=[
            "name",
            "funder",
            "face_value_cents",
            "valid_from",
            "valid_until",
            "devices_per_structure",
        ],
        form_fields=[
            "funder",
            "name",
            "face_value_cents",
            "valid_from",
            "valid_until",
            "departments",
            "categories",
            "devices_per_structure",
        ],
        object_actions=(
            ObjectAction(
                "issue", _("Émettre un carnet"), "doc-full", IssueBatchView, page_label=_("Émettre")
            ),
        ),
    ),
    listing(
        (ChequeBatch, "structures/batch", "list-ul", _("Carnets émis")),
        list_display=["__str__", "created_by", "created"],
        add_view_enabled=False,
        edit_view_enabled=False,
        inspect_view_enabled=True,
        form_fields=["count"],
    ),
)
