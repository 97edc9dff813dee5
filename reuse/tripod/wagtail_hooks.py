"""Staff's side of the tripod in the Wagtail admin: offers as snippets with revisions, places and their imports,
sessions of partner places, data allowance stocks, cheques handed over."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from reuse import uploads
from reuse.admin_actions import ConfirmObjectActionView, ServiceEditView
from reuse.backoffice import (
    ModelViewSet,
    NoAddDeletePolicy,
    ObjectAction,
    ReadOnlyPolicy,
    SnippetIndexView,
    listing,
    register_admin_urls,
    register_group,
    register_menu_link,
    register_policy,
)
from reuse.tripod import lamednum, services
from reuse.tripod.enums import BookingStatus
from reuse.tripod.models import (
    AllowanceStock,
    ConnectivityOffer,
    MediationPlace,
    PassNumeriqueCheque,
    PlaceImport,
    SessionSlot,
)
from reuse.views import domain_errors

PLACES_PERMISSION = "tripod.add_mediationplace"

# A cheque is recorded at the counter with the claim it went with: the admin lists it, never adds nor deletes one.
register_policy(NoAddDeletePolicy, PassNumeriqueCheque, exact_class=True)
# An import of places is the record of what a file did (rows, created, updated, errors): read, never rewritten.
register_policy(ReadOnlyPolicy, PlaceImport, exact_class=True)


class OfferViewSet(SnippetViewSet):
    model = ConnectivityOffer
    index_view_class = SnippetIndexView  # the monthly price in euros, « live » as oui/non
    icon = "globe"
    menu_label = _("Offres de connexion")
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["__str__", "kind", "monthly_price_cents", "checked_on", "live"]
    list_filter = ["kind", "live"]
    search_fields = ["provider", "name"]


register_snippet(OfferViewSet)


class CreatedByViewSet(ModelViewSet):
    """Rows whose `created_by` is the staff member who adds them."""

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)

        class CreatedByForm(form_class):
            def save(self, commit=True):
                if not self.instance.created_by_id:
                    self.instance.created_by = self.for_user
                return super().save(commit)

        return CreatedByForm


class SlotEditView(ServiceEditView):
    """Staff corrections go through update_slot: the capacity stays at or above the seats taken, and the booked
    households are told of a new date, time or place."""

    def save_with_service(self, form):
        return services.update_slot(
            actor=self.request.user, slot=SessionSlot.objects.get(pk=self.object.pk), **self.changes(form)
        )


def slot_is_cancellable(slot) -> bool:
    return not slot.cancelled and slot.starts_at > timezone.now()


class CancelSlotView(ConfirmObjectActionView):
    """GET says who is booked and will be told; POST cancels the session and its bookings through cancel_slot."""

    template_name = "tripod/admin/cancel_slot.html"
    page_title = _("Annuler une séance")
    object_context_name = "slot"

    def get_context_data(self, **kwargs):
        booked = self.object.bookings.filter(status=BookingStatus.BOOKED).select_related("household")
        return {
            **super().get_context_data(**kwargs),
            "cancellable": slot_is_cancellable(self.object),
            "booked": booked,
        }

    def act(self, request):
        services.cancel_slot(actor=request.user, slot=self.object, reason=self.posted_reason(request))
        return _("La séance est annulée et les personnes inscrites sont prévenues.")


register_group(
    _("Connexion et prise en main"),
    "globe",
    listing(
        (MediationPlace, "tripod/place", "site", _("Lieux de médiation")),
        list_display=["name", "postcode", "commune", "updated_on", "imported_at"],
        search_fields=["name", "commune", "postcode", "external_id"],
        form_fields=[
            "name",
            "address",
            "postcode",
            "commune",
            "latitude",
            "longitude",
            "opening_hours",
            "phone",
        ],
        inspect_view_enabled=True,
    ),
    listing(
        (PlaceImport, "tripod/import", "download", _("Imports de lieux")),
        list_display=["__str__", "source", "rows", "created_count", "updated_count", "failure_text"],
        form_fields=[],
        inspect_view_enabled=True,
        add_view_enabled=False,
    ),
    listing(
        (SessionSlot, "tripod/slot", "date", _("Séances de prise en main")),
        base=CreatedByViewSet,
        list_display=["__str__", "capacity", "cancelled"],
        # `cancelled` is no field: the cancel action cancels the bookings and tells the households.
        form_fields=list(services.SLOT_EDITABLE_FIELDS),
        edit_view_class=SlotEditView,
        object_actions=(
            ObjectAction(
                "cancel",
                _("Annuler la séance"),
                "cross",
                CancelSlotView,
                shown=slot_is_cancellable,
                priority=10,
            ),
        ),
    ),
    listing(
        (AllowanceStock, "tripod/allowance", "mail", _("Forfaits de données")),
        list_display=["__str__", "workshop", "quantity", "remaining"],
        form_fields=["workshop", "partner", "description", "quantity", "remaining"],
    ),
    listing(
        (PassNumeriqueCheque, "tripod/cheque", "tag", _("Chèques Pass numérique remis")),
        list_display=["__str__", "claim", "created"],
        list_filter=["funder"],
        search_fields=["booklet_number", "cheque_number"],
        form_fields=[],
        add_view_enabled=False,
        edit_view_enabled=False,
        inspect_view_enabled=True,
    ),
    menu_order=261,
)


class PlacesFileForm(forms.Form):
    file = uploads.LimitedFileField(
        limit=uploads.MEDIATION_PLACES,
        label=_("Fichier des lieux (CSV ou JSON, schéma LaMednum)"),
        help_text=_("Les lieux déjà connus sont mis à jour par leur identifiant (id), jamais en double."),
    )


def import_places_view(request):
    if not request.user.has_perm(PLACES_PERMISSION):
        raise PermissionDenied
    form = PlacesFileForm(request.POST or None, request.FILES or None)
    record = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with domain_errors(form=form, field="file"):
            record = lamednum.import_places(
                uploads.MEDIATION_PLACES.read(upload), filename=upload.name, source="upload", by=request.user
            )
    errors = record.error_rows[:500] if record else []
    warnings = record.warning_rows[:500] if record else []
    title = _("Importer des lieux de médiation")
    return TemplateResponse(
        request,
        "tripod/admin/import_places.html",
        {
            "header_title": title,
            "page_title": title,
            "page_subtitle": "",
            "header_icon": "download",
            "breadcrumbs_items": None,
            "form": form,
            "record": record,
            "errors": errors,
            "warnings": warnings,
        },
        status=422 if form.errors else 200,
    )


register_admin_urls(
    "connexion/", "tripod_admin", [path("lieux/importer/", import_places_view, name="import_places")]
)
register_menu_link(
    _("Importer des lieux de médiation"),
    "tripod_admin:import_places",
    icon_name="download",
    order=262,
    shown=lambda user: user.has_perm(PLACES_PERMISSION),
)
