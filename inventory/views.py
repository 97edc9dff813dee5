import hashlib
from functools import partial, wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from donations.enums import LotStatus
from donations.models import Lot
from inventory import photos, services, stock_columns
from inventory import stock_import as stock_importer
from inventory.counts import state_counts as counts_from_counters
from inventory.enums import DATA_BEARING_TYPES, DeviceState, DeviceType, Grade
from inventory.filters import LOTS_TTL, StockFilter, lot_choices, lots_version
from inventory.filters import stock_page as keyset_page
from inventory.forms import (
    AccountForm,
    BenchForm,
    CheckInForm,
    DeviceForm,
    ErasureForm,
    ImportForm,
    LabelForm,
    PartUseForm,
    PhotoForm,
    PriceForm,
    RecycleForm,
    ReportImportForm,
    TransitionForm,
    WorkshopRegistrationForm,
)
from inventory.models import Device, DeviceEvent, PartUse
from inventory.transitions import ALLOWED, WARRANTY_MOVES, price_bounds
from reuse.accounts import signups
from reuse.accounts.enums import OrganisationKind, OrganisationStatus
from reuse.bounds import whole_number
from reuse.csvfiles import csv_lines
from reuse.errors import DomainError
from reuse.policy.accounts import is_staff, organisations_of_kind
from reuse.policy.inventory import (
    can_handle_device,
    get_visible_device,
    is_workshop_member,
    visible_devices,
    workshop_ids,
    workshops_of,
)
from reuse.views import domain_errors

PAGE_SIZE = 50
BENCH_HISTORY = 30
LABEL_QUEUE_MAX = 500


def current_workshop(request):
    workshops = workshops_of(request.user).order_by("pk")
    chosen = request.session.get("inventory_workshop")
    if chosen:
        workshop = workshops.filter(pk=chosen).first()
        if workshop is not None:
            return workshop
    return workshops.first()


def stock_page(view, *, landing=False):
    """Signed-in workshop members and staff; a workshop still pending review gets a waiting page.

    The workshop's home (`landing`) answers everyone signed in: a person of another role who followed
    "Rejoindre le réseau" learns how to register a workshop instead of meeting a refusal.
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (is_staff(request.user) or is_workshop_member(request.user)):
            pending = organisations_of_kind(request.user, OrganisationKind.WORKSHOP).filter(
                status=OrganisationStatus.PENDING
            )
            if pending.exists():
                return render(
                    request, "inventory/pending.html", {"workshops": pending}, status=200 if landing else 403
                )
            if landing:
                return render(request, "inventory/not_workshop.html")
            if kwargs:
                # A route naming a device: not yours means not found, never "forbidden".
                raise Http404
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def workshop_page(view):
    """Pages that act for one workshop (check-in, bench, import): staff need a membership too."""

    @stock_page
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        workshop = current_workshop(request)
        if workshop is None:
            messages.error(request, _("Cette page est réservée aux membres d’un atelier."))
            return redirect("inventory:stock")
        return view(request, workshop, *args, **kwargs)

    return wrapper


# Registration -------------------------------------------------------------------------------------------


def register(request):
    needs_account = not request.user.is_authenticated
    form = WorkshopRegistrationForm(request.POST or None)
    account_form = AccountForm(request.POST or None, prefix="account") if needs_account else None
    if request.method == "POST" and form.is_valid() and (account_form is None or account_form.is_valid()):
        with domain_errors(form=form) as attempt:
            with transaction.atomic():
                user = request.user
                if needs_account:
                    user = signups.create_account(**account_form.account_fields())
                organisation = services.register_workshop(admin=user, **form.cleaned_data)
        if attempt.ok:
            if needs_account:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return render(request, "inventory/register_done.html", {"organisation": organisation})
    return render(request, "inventory/register.html", {"form": form, "account_form": account_form})


# Dashboard and stock ------------------------------------------------------------------------------------


def state_counts(devices):
    # COUNT(*) lets PostgreSQL answer from the (workshop, state) index alone; COUNT(id) reads every row.
    counts = dict(devices.order_by().values_list("state").annotate(n=Count("*")))
    return [(state, counts.get(state.value, 0)) for state in DeviceState]


# Beyond this many matches, a search or an age filter says "more than" instead of counting a million rows.
COUNT_CAP = 1000


def stock_counts(request, filterset):
    """Devices per state for the list's filters, and whether the figures are capped, in one query.

    State, type and grade are read from the counters the database keeps (inventory.counts); a lot is
    counted over its own devices (a lot is bounded); a text search or an age window is counted up to
    COUNT_CAP matching rows.
    """
    data = filterset.form.cleaned_data if filterset.is_valid() else {}
    state = data.get("state") or ""
    if not (data.get("q") or "").strip() and not data.get("age") and not data.get("lot"):
        ids = None if is_staff(request.user) else workshop_ids(request.user)
        counts = counts_from_counters(ids, type=data.get("type") or "", grade=data.get("grade") or "")
        return [(s, n if not state or s == state else 0) for s, n in counts], False
    if data.get("lot") and not (data.get("q") or "").strip() and not data.get("age"):
        return state_counts(filterset.qs), False
    sql, params = filterset.qs.order_by().values("state")[: COUNT_CAP + 1].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT state, count(*) FROM ({sql}) AS sample GROUP BY state", params)
        counts = dict(cursor.fetchall())
    capped = sum(counts.values()) > COUNT_CAP
    return [(s, counts.get(s.value, 0)) for s in DeviceState], capped


@partial(stock_page, landing=True)
def dashboard(request):
    workshop = current_workshop(request)
    devices = visible_devices(request.user)
    if workshop is not None:
        devices = devices.filter(workshop=workshop)
    lots = services.lots_for_check_in(workshop) if workshop else Lot.objects.none()
    to_wipe = devices.filter(
        state__in=[DeviceState.RECEIVED, DeviceState.IN_REPAIR], type__in=list(DATA_BEARING_TYPES)
    ).exclude(erasures__verified=True)
    return render(
        request,
        "inventory/dashboard.html",
        {
            "workshop": workshop,
            "counts": counts_from_counters(
                [workshop.pk]
                if workshop
                else (None if is_staff(request.user) else workshop_ids(request.user))
            ),
            "lots": lots,
            # Counted up to COUNT_CAP: at a million devices the exact figure would read them all.
            "to_wipe": len(to_wipe.values_list("pk", flat=True)[: COUNT_CAP + 1]),
            "count_cap": COUNT_CAP,
            "proposed": Lot.objects.filter(workshop=workshop, status=LotStatus.SUBMITTED).count()
            if workshop
            else 0,
            "recent": devices.select_related("lot").order_by("-state_changed_at", "-pk")[:10],
        },
    )


def stock_filter(request, data):
    devices = visible_devices(request.user)
    ids = None if is_staff(request.user) else workshop_ids(request.user)
    return StockFilter(data, queryset=devices, lots=lot_choices(ids))


def _euros(cents) -> str:
    """As the templates' `euros` filter: 4500 is "45 €", 4550 is "45,50 €"."""
    if cents is None:
        return ""
    whole, part = divmod(int(cents), 100)
    return f"{whole},{part:02d}\u00a0€" if part else f"{whole}\u00a0€"


def stock_rows(devices, *, show_workshop: bool):
    """The list's rows as HTML, built in Python: the template engine spent most of the page's time on them
    (nine translated labels and five filters per row, fifty rows). Every value is escaped by format_html."""
    labels = {
        "tick": _("Étiqueter"),
        "device": _("Appareil"),
        "state": _("État"),
        "grade": _("Grade"),
        "price": _("Prix"),
        "lot": _("Lot"),
        "workshop": _("Atelier"),
        "received": _("Reçu le"),
    }
    types = {value: str(label) for value, label in DeviceType.choices}
    states = {value: str(label) for value, label in DeviceState.choices}
    device_url = reverse("inventory:device", args=["TAG"]).replace("TAG/", "")
    walk_in = _("Don direct")
    rows = []
    for device in devices:
        workshop = (
            format_html('<td data-label="{}">{}</td>', labels["workshop"], device.workshop.name)
            if show_workshop
            else ""
        )
        rows.append(
            format_html(
                '<tr><td data-label="{tick}"><input type="checkbox" name="tag" value="{tag}" id="tag-{pk}" '
                'aria-label="{tick} {tag}"></td><th scope="row"><a href="{url}{tag}/">{tag}</a></th>'
                '<td data-label="{l_device}">{kind} {brand} {model}</td><td data-label="{l_state}">{state}</td>'
                '<td data-label="{l_grade}">{grade}</td><td data-label="{l_price}">{price}</td>'
                '<td data-label="{l_lot}">{lot}</td>{workshop}<td data-label="{l_received}">{received}</td></tr>',
                tick=labels["tick"],
                tag=device.asset_tag,
                pk=device.pk,
                url=device_url,
                l_device=labels["device"],
                kind=types.get(device.type, device.type),
                brand=device.brand,
                model=device.model,
                l_state=labels["state"],
                state=states.get(device.state, device.state),
                l_grade=labels["grade"],
                grade=device.grade or "—",
                l_price=labels["price"],
                price=_euros(device.price_cents),
                l_lot=labels["lot"],
                lot=device.lot.title if device.lot_id else walk_in,
                workshop=workshop,
                l_received=labels["received"],
                received=timezone.localtime(device.received_at).strftime("%d/%m/%Y"),
            )
        )
    return mark_safe("\n".join(rows))  # noqa: S308  (each row is built by format_html)


def stock_filters_html(request, filterset, scope) -> str:
    """The filter form's HTML depends only on the query, the language and the lots offered: rendered once
    per variant and cached (the lots' version is in the key, inventory.lot_choices)."""
    params = sorted((k, v) for k, v in request.GET.lists() if k not in ("apres", "avant", "fin", "page"))
    digest = hashlib.sha256(repr((params, scope)).encode()).hexdigest()[:32]
    key = f"inventory:stock-filters:{lots_version()}:{get_language()}:{digest}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("includes/form_fields.html", {"form": filterset.form}, request=request)
        cache.set(key, html, LOTS_TTL)
    return mark_safe(html)  # noqa: S308  (rendered by the template engine, escaped there)


@stock_page
def stock(request):
    """The workshop's stock, newest first, 50 a page, in at most four SQL queries whatever the page.

    Pages follow each other by keyset (`apres`/`avant` cursors, `fin` for the last page): a deep page costs
    what the first does. The counts per state come from the counters the database keeps (stock_counts).
    """
    filterset = stock_filter(request, request.GET)
    counts, capped = stock_counts(request, filterset)
    scope = None if is_staff(request.user) else workshop_ids(request.user)
    rows, previous_cursor, next_cursor = keyset_page(
        filterset.qs.select_related("lot", "workshop"),
        after=request.GET.get("apres"),
        before=request.GET.get("avant"),
        last=bool(request.GET.get("fin")),
        size=PAGE_SIZE,
    )
    query = request.GET.copy()
    for name in ("apres", "avant", "fin", "page"):
        query.pop(name, None)
    query = query.urlencode()
    joiner = f"?{query}&" if query else "?"
    return render(
        request,
        "inventory/stock.html",
        {
            "filter": filterset,
            "devices": rows,
            "rows_html": stock_rows(rows, show_workshop=is_staff(request.user)),
            "filters_html": stock_filters_html(request, filterset, scope),
            "counts": counts,
            "total": sum(count for _state, count in counts),
            "capped": capped,
            "count_cap": COUNT_CAP,
            "first_url": f"?{query}",
            "previous_url": f"{joiner}avant={previous_cursor}" if previous_cursor else "",
            "next_url": f"{joiner}apres={next_cursor}" if next_cursor else "",
            "last_url": f"{joiner}fin=1",
            "is_first": not previous_cursor,
            "is_last": not next_cursor,
            "query": query,
            "show_workshop": is_staff(request.user),
        },
    )


@stock_page
def stock_csv(request):
    filterset = stock_filter(request, request.GET)
    response = StreamingHttpResponse(csv_lines(services.export_rows(filterset.qs.order_by("pk"))))
    response["Content-Type"] = "text/csv; charset=utf-8"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="stock-{stamp}.csv"'
    return response


# Check-in -----------------------------------------------------------------------------------------------


@workshop_page
def check_in(request, workshop):
    lots = services.lots_for_check_in(workshop)
    lot = None
    if request.GET.get("lot") or request.POST.get("lot"):
        lot_id = request.GET.get("lot") or request.POST.get("lot")
        lot = lots.filter(pk=whole_number(lot_id)).first() if whole_number(lot_id) is not None else None
        if lot is None:
            raise Http404
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors(form=form) as attempt:
            outcome = services.check_in(
                workshop=workshop,
                actor=request.user,
                lot=lot,
                serial=form.cleaned_data["serial"],
                type=form.cleaned_data["type"],
                brand=form.cleaned_data["brand"],
                model=form.cleaned_data["model"],
            )
        if attempt.ok:
            tag = outcome.device.asset_tag
            if outcome.created:
                messages.success(request, _("Appareil reçu : étiquette %(tag)s.") % {"tag": tag})
            else:
                messages.info(request, _("Déjà reçu : étiquette %(tag)s.") % {"tag": tag})
            for warning in outcome.warnings:
                messages.error(request, _("Non levé par le donateur : %(w)s") % {"w": warning})
            target = reverse("inventory:check_in")
            return redirect(f"{target}?lot={lot.pk}" if lot else target)
    items = []
    if lot is not None:
        received = dict(lot.devices.values_list("serial", "asset_tag"))
        for item in lot.items.all():
            items.append(
                {
                    "item": item,
                    "tag": received.get(item.serial, ""),
                    "warnings": services.release_warnings(item),
                }
            )
    return render(
        request,
        "inventory/check_in.html",
        {"workshop": workshop, "lots": lots, "lot": lot, "form": form, "items": items},
    )


# Device page and its actions ----------------------------------------------------------------------------


def _device_for_action(request, tag):
    device = get_visible_device(request.user, asset_tag=tag)
    if not can_handle_device(request.user, device):
        raise PermissionDenied
    return device


def device_context(request, device, **forms):
    # One read of the erasures gives the list and each medium's latest outcome (transitions.media_status
    # reads the same rows in the same order); one read of the parts gives both directions.
    erasures = list(device.erasures.select_related("operator", "report").order_by("performed_at", "pk"))
    statuses = {record.media_serial: record.verified for record in erasures}
    verified = sum(1 for ok in statuses.values() if ok)
    parts = list(
        PartUse.objects.filter(Q(donor=device) | Q(recipient=device)).select_related("donor", "recipient")
    )
    return {
        "device": device,
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
        "photos": device.photos.all(),
        "parts_given": [part for part in parts if part.donor_id == device.pk],
        "parts_received": [part for part in parts if part.recipient_id == device.pk],
        "editable": device.state not in services.TERMINAL_STATES,
        "erasable": device.state in services.ERASABLE_STATES,
        "device_form": forms.get("device_form") or DeviceForm(instance=device, auto_id="spec_%s"),
        "erasure_form": forms.get("erasure_form") or ErasureForm(auto_id="erasure_%s"),
        "price_form": forms.get("price_form")
        or PriceForm(
            auto_id="price_%s",
            initial={
                "grade": device.grade,
                "price_euros": (device.price_cents or 0) / 100 if device.price_cents is not None else None,
            },
        ),
        "transition_form": forms.get("transition_form") or TransitionForm(auto_id="move_%s"),
        "recycle_form": forms.get("recycle_form")
        or RecycleForm(
            auto_id="recycle_%s",
            initial={
                "channel": getattr(getattr(device.workshop, "workshop_profile", None), "weee_partner", "")
            },
        ),
        "part_form": forms.get("part_form") or PartUseForm(auto_id="part_%s"),
        "photo_form": forms.get("photo_form") or PhotoForm(auto_id="photo_%s"),
        "report_form": forms.get("report_form") or ReportImportForm(auto_id="report_%s"),
        "media_list": device.media.all(),
        "public_url": services.device_public_url(device),
        "release_warnings": services.release_warnings(
            services.find_lot_item(device.lot, device.serial) if device.lot_id and device.serial else None
        ),
    }


@stock_page
def device_detail(request, tag):
    device = get_visible_device(request.user, asset_tag=tag.upper(), profile=True)
    return render(request, "inventory/device.html", device_context(request, device))


def _device_action(handler):
    @stock_page
    @require_POST
    @wraps(handler)
    def wrapper(request, tag):
        device = _device_for_action(request, tag)
        try:
            result = handler(request, device)
        except DomainError as exc:
            messages.error(request, exc.message)
            result = None
        if isinstance(result, dict):
            context = device_context(request, device, **result)
            return render(request, "inventory/device.html", context, status=422)
        if isinstance(result, HttpResponse):
            return result
        return redirect("inventory:device", device.asset_tag)

    return wrapper


@_device_action
def device_specs(request, device):
    form = DeviceForm(request.POST, instance=Device.objects.get(pk=device.pk), auto_id="spec_%s")
    if not form.is_valid():
        return {"device_form": form}
    changes = {name: form.cleaned_data[name] for name in form.changed_data}
    services.update_device(device=device, actor=request.user, **changes)
    messages.success(request, _("Fiche enregistrée."))


@_device_action
def device_erasure(request, device):
    form = ErasureForm(request.POST, auto_id="erasure_%s")
    if not form.is_valid():
        return {"erasure_form": form}
    record = services.record_erasure(device=device, operator=request.user, **form.cleaned_data)
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


@_device_action
def device_price(request, device):
    form = PriceForm(request.POST, auto_id="price_%s")
    if not form.is_valid():
        return {"price_form": form}
    services.price_and_list(
        device=device, actor=request.user, price_cents=form.price_cents(), grade=form.cleaned_data["grade"]
    )
    messages.success(request, _("Appareil mis en ligne."))


@_device_action
def device_transition(request, device):
    form = TransitionForm(request.POST, auto_id="move_%s")
    if not form.is_valid():
        return {"transition_form": form}
    moved = services.move(
        device=device, actor=request.user, to=form.cleaned_data["to"], note=form.cleaned_data["note"]
    )
    messages.success(request, _("État : %(s)s.") % {"s": moved.get_state_display()})


@_device_action
def device_recycle(request, device):
    form = RecycleForm(request.POST, auto_id="recycle_%s")
    if not form.is_valid():
        return {"recycle_form": form}
    services.recycle(
        device=device,
        actor=request.user,
        channel=form.cleaned_data["channel"],
        reference=form.cleaned_data["reference"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, _("Appareil remis à la filière de recyclage."))


@_device_action
def device_part(request, device):
    form = PartUseForm(request.POST, auto_id="part_%s")
    if not form.is_valid():
        return {"part_form": form}
    recipient = get_visible_device(
        request.user, asset_tag=services.normalise_code(form.cleaned_data["recipient_tag"])
    )
    services.link_part(donor=device, recipient=recipient, part=form.cleaned_data["part"], actor=request.user)
    messages.success(request, _("Pièce reliée à l’appareil %(t)s.") % {"t": recipient.asset_tag})


@_device_action
def device_photo(request, device):
    form = PhotoForm(request.POST, request.FILES, auto_id="photo_%s")
    if not form.is_valid():
        return {"photo_form": form}
    photos.add_photo(device=device, actor=request.user, upload=form.cleaned_data["photo"])
    messages.success(request, _("Photo ajoutée (métadonnées retirées)."))


@_device_action
def device_report(request, device):
    """A snapshot or an erasure report of this device: its serials must match the device's."""
    from inventory.reports.services import import_upload, read_upload

    form = ReportImportForm(request.POST, request.FILES, auto_id="report_%s")
    if not form.is_valid():
        return {"report_form": form}
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


# Bench mode ---------------------------------------------------------------------------------------------


@workshop_page
def bench(request, workshop):
    lots = list(services.lots_for_check_in(workshop))
    history = request.session.get("bench_results", [])
    queue = request.session.get("label_queue", [])
    if request.method == "POST" and request.POST.get("clear"):
        request.session["bench_results"] = []
        request.session["label_queue"] = []
        return redirect("inventory:bench")
    form = BenchForm(request.POST or None, lots=lots, initial=request.session.get("bench_choice", {}))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lot = next((lot for lot in lots if lot.pk == data["lot"]), None)
        with domain_errors(form=form) as attempt:
            results = services.bench_apply(
                workshop=workshop,
                actor=request.user,
                action=data["action"],
                codes=services.split_codes(data["code"]),
                lot=lot,
                device_type=data["device_type"],
            )
        if attempt.ok:
            for result in results:
                if (
                    result.ok
                    and result.tag
                    and result.tag not in queue
                    and (data["action"] in (services.BENCH_LABELS, services.BENCH_CHECK_IN))
                ):
                    queue.append(result.tag)
            history = [result.as_dict() for result in reversed(results)] + history
            request.session["bench_results"] = history[:BENCH_HISTORY]
            request.session["label_queue"] = queue[-LABEL_QUEUE_MAX:]
            request.session["bench_choice"] = {
                "action": data["action"],
                "lot": data["lot"],
                "device_type": data["device_type"],
            }
            return redirect("inventory:bench")
    return render(
        request,
        "inventory/bench.html",
        {"form": form, "results": history, "queue": queue, "label_form": LabelForm(auto_id="label_%s")},
    )


# Labels and import --------------------------------------------------------------------------------------


@stock_page
def labels(request):
    tags = [services.normalise_code(tag) for tag in request.GET.getlist("tag") if tag.strip()]
    if request.GET.get("queue"):
        tags = list(request.session.get("label_queue", []))
    form = LabelForm(request.GET or None, auto_id="label_%s")
    if not tags or not form.is_valid():
        messages.error(request, _("Choisissez des appareils et un format de planche."))
        return redirect("inventory:bench" if request.GET.get("queue") else "inventory:stock")
    by_tag = {d.asset_tag: d for d in visible_devices(request.user).filter(asset_tag__in=tags)}
    devices = [by_tag[tag] for tag in tags if tag in by_tag]
    try:
        pdf = services.labels_pdf(devices, sheet=form.cleaned_data["sheet"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("inventory:stock")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="etiquettes.pdf"'
    return response


REPORT_RESULTS_KEPT = 500


@workshop_page
def reports_import(request, workshop):
    """Snapshots and erasure reports of a batch of devices (one file or a zip), with one result per file."""
    from inventory.reports.services import import_upload, read_upload

    form = ReportImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with domain_errors(form=form, field="file") as attempt:
            outcomes = import_upload(
                workshop=workshop,
                actor=request.user,
                filename=upload.name,
                data=read_upload(upload),
                level=form.cleaned_data["level"],
            )
        if attempt.ok:
            request.session["report_results"] = [o.as_dict() for o in outcomes][:REPORT_RESULTS_KEPT]
            request.session["report_upload"] = upload.name
            return redirect("inventory:reports")
    results = request.session.get("report_results", [])
    return render(
        request,
        "inventory/reports.html",
        {
            "form": form,
            "results": results,
            "upload": request.session.get("report_upload", ""),
            "ok_count": sum(1 for result in results if result["ok"]),
        },
    )


@stock_page
def erasure_report_file(request, pk: int):
    """The original erasure report, for the workshop that imported it (and staff)."""
    from inventory.models import ErasureReport
    from inventory.reports.downloads import report_response

    reports = (
        ErasureReport.objects.all()
        if is_staff(request.user)
        else ErasureReport.objects.filter(workshop_id__in=workshop_ids(request.user))
    )
    report = reports.filter(pk=pk).first()
    if report is None:
        raise Http404
    return report_response(report)


@workshop_page
def stock_import(request, workshop):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            summary = stock_importer.import_stock_csv(
                workshop=workshop, actor=request.user, data=form.cleaned_data["file"].read()
            )
        except services.RowErrors as exc:
            form.add_error(None, exc.message)
            errors = exc.errors
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Import terminé : %(c)s appareil(s) créé(s), %(u)s mis à jour.")
                % {"c": summary["created"], "u": summary["updated"]},
            )
            return redirect("inventory:stock")
    return render(
        request,
        "inventory/import.html",
        {"form": form, "errors": errors, "columns": [c.header() for c in stock_columns.COLUMNS if c.field]},
    )
