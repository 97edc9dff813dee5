"""The device page and its actions (specs, erasure, price, moves, recycling, parts, photos, reports)."""

from functools import cached_property, lru_cache, wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.forms import ModelForm
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inventory import photos
from inventory.enums import DATA_BEARING_TYPES, DeviceState, Grade
from inventory.erasure import failing_media, media_outcomes, unerased_media
from inventory.forms import (
    DeviceForm,
    ErasureForm,
    PartUseForm,
    PhotoForm,
    PriceForm,
    RecycleForm,
    ReportImportForm,
    TransitionForm,
)
from inventory.models import Device, DeviceEvent, DevicePhoto, ErasureRecord, PartUse, StorageMediumRecord
from inventory.reports.uploads import import_upload, read_upload
from inventory.services import intake
from inventory.services.devices import (
    TERMINAL_STATES,
    link_part,
    move,
    normalise_code,
    price_and_list,
    recycle,
    update_device,
)
from inventory.services.erasures import ERASABLE_STATES, record_erasure
from inventory.services.labels import device_public_url
from inventory.transitions import ALLOWED, WARRANTY_MOVES, price_bounds
from inventory.views.access import stock_page
from inventory.views.bench import label_form
from inventory.views.nav import workshop_nav
from reuse.policy.inventory import (
    can_handle_device,
    get_visible_device,
)
from reuse.views import domain_errors

# The device page's forms: the context key, the class and its ids' prefix, for the page and for its actions.
ACTION_FORMS = {
    "device_form": (DeviceForm, "spec_%s"),
    "erasure_form": (ErasureForm, "erasure_%s"),
    "price_form": (PriceForm, "price_%s"),
    "transition_form": (TransitionForm, "move_%s"),
    "recycle_form": (RecycleForm, "recycle_%s"),
    "part_form": (PartUseForm, "part_%s"),
    "photo_form": (PhotoForm, "photo_%s"),
    "report_form": (ReportImportForm, "report_%s"),
}


def _initial(key, device) -> dict:
    """What a form of the page shows as it opens: the device's own values where the form shows them."""
    form_class, _auto_id = ACTION_FORMS[key]
    if issubclass(form_class, ModelForm):
        return model_to_dict(device, fields=form_class._meta.fields)
    if key == "price_form":
        return {
            "grade": device.grade,
            "price_euros": device.price_cents,
        }
    if key == "recycle_form":
        return {"channel": getattr(getattr(device.workshop, "workshop_profile", None), "weee_partner", "")}
    return {}


@lru_cache(maxsize=1024)
def _blank_form_html(key: str, language: str, values: tuple) -> str:
    """The fields of an unbound form of the page, rendered once per form, language and initial values.

    Rendering the page's forms through the template engine (every widget and select option is a template)
    was most of the device page's time; an unbound form's HTML depends on nothing else, so it is kept in
    this process, keyed by the very values it shows: a device changed since shows its new values at once.
    """
    form_class, auto_id = ACTION_FORMS[key]
    form = form_class(auto_id=auto_id, initial={name: value for name, _kind, value in values})
    return render_to_string("includes/form_fields.html", {"form": form})


class FormFields:
    """The fields of one of the page's forms as HTML, rendered only if the template shows that form."""

    def __init__(self, key, device, form=None):
        self.key, self.device, self.form = key, device, form

    @cached_property
    def html(self) -> str:
        if self.form is not None:
            # A bound form shows what was typed and its errors: rendered as it is, never kept.
            return render_to_string("includes/form_fields.html", {"form": self.form})
        initial = _initial(self.key, self.device)
        # The type is part of the key: 1 and True, or 45 and 45.0, are equal keys but not the same HTML.
        values = tuple((name, type(value).__name__, value) for name, value in sorted(initial.items()))
        return _blank_form_html(self.key, get_language(), values)

    def __html__(self):
        return self.html

    def __str__(self):
        return mark_safe(self.html)  # noqa: S308  (rendered by the template engine, escaped there)


def _device_for_action(request, tag):
    device = get_visible_device(request.user, asset_tag=tag)
    if not can_handle_device(request.user, device):
        raise PermissionDenied
    return device


@lru_cache(maxsize=4)
def _section_flags(vendor: str) -> dict[str, str]:
    """{flag: SQL} of the device page's sections, written once per process: the same EXISTS, by the same
    indexes, as `Exists(Model.objects.filter(...))`, whose building and compiling on each request was a
    fifth of the page's time."""
    quote = connection.ops.quote_name
    device = f"{quote(Device._meta.db_table)}.{quote(Device._meta.pk.column)}"
    tickets = Device._meta.get_field("tickets").related_model
    sections = {
        "has_erasures": (ErasureRecord, "device"),
        "has_media": (StorageMediumRecord, "device"),
        "has_photos": (DevicePhoto, "device"),
        "has_parts": (PartUse, "donor", "recipient"),
        "has_tickets": (tickets, "device"),
    }
    flags = {}
    for flag, (model, *fields) in sections.items():
        table = quote(model._meta.db_table)
        match = " OR ".join(
            f"{table}.{quote(model._meta.get_field(name).column)} = {device}" for name in fields
        )
        flags[flag] = f"EXISTS (SELECT 1 FROM {table} WHERE {match})"
    return flags


@lru_cache(maxsize=4)
def _sections(vendor: str) -> dict:
    return {
        **{
            flag: RawSQL(sql, (), output_field=BooleanField()) for flag, sql in _section_flags(vendor).items()
        },
        "release_checklist": intake.release_checklist_annotation(),
    }


def device_sections() -> dict:
    """Annotations of the device page's query: which sections have rows (a section without any is not read)
    and the lot item's release checklist. Each is an indexed lookup inside the one query of the device.

    Built once per process: `annotate()` resolves a copy of each expression for its query and never changes
    the expression it is given, so one set serves every request (the checklist's two subqueries took 1 to 2 ms
    to build each time)."""
    return dict(_sections(connection.vendor))


def _section(device, flag, rows):
    """The rows of a section, or none without a query when the device's query found the section empty."""
    return rows() if getattr(device, flag, True) else []


def _release_warnings(device):
    if hasattr(device, "release_checklist"):
        return intake.release_warnings_of(device.release_checklist)
    return intake.release_warnings(
        intake.find_lot_item(device.lot, device.serial) if device.lot_id and device.serial else None
    )


def device_context(request, device, **forms):
    # One read of the erasures gives the list and each medium's latest outcome (transitions.media_status
    # reads the same rows in the same order); one read of the parts gives both directions. A device read with
    # device_sections() skips the sections it has no rows in.
    erasures = _section(
        device,
        "has_erasures",
        lambda: list(device.erasures.select_related("operator", "report").order_by("performed_at", "pk")),
    )
    statuses = media_outcomes(erasures)
    verified = sum(1 for ok in statuses.values() if ok)
    parts = _section(
        device,
        "has_parts",
        lambda: list(
            PartUse.objects.filter(Q(donor=device) | Q(recipient=device)).select_related("donor", "recipient")
        ),
    )
    return {
        "device": device,
        "nav_html": workshop_nav(request),
        "data_bearing": device.type in DATA_BEARING_TYPES,
        "erasures": erasures,
        "media": sorted(statuses.items()),
        "missing": max(device.media_count - verified, 0) if device.type in DATA_BEARING_TYPES else 0,
        "failed": sorted(serial for serial, ok in statuses.items() if not ok),
        "bounds": price_bounds(device),
        "grades": Grade.choices,
        "next_states": [
            s
            for s in DeviceState
            if s in ALLOWED.get(device.state, ())
            and s != DeviceState.RECYCLED
            and (device.state, s) not in WARRANTY_MOVES
        ],
        "can_recycle": DeviceState.RECYCLED in ALLOWED.get(device.state, ())
        and (device.state, DeviceState.RECYCLED) not in WARRANTY_MOVES,
        "events": DeviceEvent.objects.filter(device=device).select_related("actor").order_by("created", "pk"),
        "photos": _section(device, "has_photos", lambda: list(device.photos.all())),
        "parts_given": [part for part in parts if part.donor_id == device.pk],
        "parts_received": [part for part in parts if part.recipient_id == device.pk],
        "editable": device.state not in TERMINAL_STATES,
        "erasable": device.state in ERASABLE_STATES,
        **{f"{key}_html": FormFields(key, device, forms.get(key)) for key in ACTION_FORMS},
        "media_list": (media_list := _section(device, "has_media", lambda: list(device.media.all()))),
        "smart_failed": failing_media(media_list or (), erasures or ()),
        "unerased": unerased_media(media_list or (), erasures or ()),
        # The warranty tickets with their steps: two queries whatever their number.
        "tickets": _section(device, "has_tickets", lambda: list(device.tickets.prefetch_related("events"))),
        "public_url": device_public_url(device),
        "label_form": label_form(request),
        "release_warnings": _release_warnings(device),
    }


@stock_page
def device_detail(request, tag):
    device = get_visible_device(
        request.user, asset_tag=tag.upper(), profile=True, annotations=device_sections()
    )
    return render(request, "inventory/device.html", device_context(request, device))


def _device_action(key):
    """A POST action of the device page, given its form bound and valid; an invalid form or a refusal shows
    the page again (422 for the form), anything else returns to the page."""
    form_class, auto_id = ACTION_FORMS[key]

    def decorate(handler):
        @stock_page
        @require_POST
        @wraps(handler)
        def wrapper(request, tag):
            device = _device_for_action(request, tag)
            # A fresh copy for a model form: a refused edit must not show on the page rendered again.
            instance = (
                {"instance": Device.objects.get(pk=device.pk)} if issubclass(form_class, ModelForm) else {}
            )
            form = form_class(request.POST, request.FILES, auto_id=auto_id, **instance)
            with domain_errors(request) as attempt:
                result = handler(request, device, form) if form.is_valid() else {key: form}
            if not attempt.ok:
                result = None
            if isinstance(result, dict):
                context = device_context(request, device, **result)
                return render(request, "inventory/device.html", context, status=422)
            if isinstance(result, HttpResponse):
                return result
            return redirect("inventory:device", device.asset_tag)

        return wrapper

    return decorate


@_device_action("device_form")
def device_specs(request, device, form):
    changes = {name: form.cleaned_data[name] for name in form.changed_data}
    update_device(device=device, actor=request.user, **changes)
    messages.success(request, _("Fiche enregistrée."))
    if "serial" in changes and form.read_as:
        messages.info(request, form.read_as)


@_device_action("erasure_form")
def device_erasure(request, device, form):
    record = record_erasure(device=device, operator=request.user, **form.cleaned_data)
    if record.verified:
        messages.success(
            request, _("Effacement vérifié enregistré pour le support %(s)s.") % {"s": record.media_serial}
        )
    else:
        messages.error(
            request,
            _(
                "Effacement en échec enregistré : refaites un effacement ou orientez l’appareil vers le recyclage."
            ),
        )


@_device_action("price_form")
def device_price(request, device, form):
    price_and_list(
        device=device, actor=request.user, price_cents=form.price_cents(), grade=form.cleaned_data["grade"]
    )
    messages.success(request, _("Appareil mis en ligne."))


@_device_action("transition_form")
def device_transition(request, device, form):
    moved = move(
        device=device, actor=request.user, to=form.cleaned_data["to"], note=form.cleaned_data["note"]
    )
    messages.success(request, _("État : %(s)s.") % {"s": moved.get_state_display()})


@_device_action("recycle_form")
def device_recycle(request, device, form):
    recycle(
        device=device,
        actor=request.user,
        channel=form.cleaned_data["channel"],
        reference=form.cleaned_data["reference"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, _("Appareil remis à la filière de recyclage."))


@_device_action("part_form")
def device_part(request, device, form):
    recipient = get_visible_device(request.user, asset_tag=normalise_code(form.cleaned_data["recipient_tag"]))
    link_part(donor=device, recipient=recipient, part=form.cleaned_data["part"], actor=request.user)
    messages.success(request, _("Pièce reliée à l’appareil %(t)s.") % {"t": recipient.asset_tag})


@_device_action("photo_form")
def device_photo(request, device, form):
    photos.add_photo(device=device, actor=request.user, upload=form.cleaned_data["photo"])
    messages.success(request, _("Photo ajoutée (métadonnées retirées)."))


@_device_action("report_form")
def device_report(request, device, form):
    """A snapshot or an erasure report of this device: its serials must match the device's."""
    upload = form.cleaned_data["file"]
    outcomes = import_upload(
        workshop=device.workshop,
        actor=request.user,
        filename=upload.name,
        data=read_upload(upload),
        device=device,
        level=form.cleaned_data["level"],
    )
    for outcome in outcomes:
        text = f"{outcome.filename} : {outcome.message}"
        (messages.success if outcome.ok else messages.error)(request, text)
