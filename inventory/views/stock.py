"""The workshop's home, its stock list (keyset pages, counts from counters) and the stock as CSV."""

import hashlib
import html
from functools import partial

from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from donations.enums import LotStatus
from donations.models import Lot
from inventory.counts import state_counts as counts_from_counters
from inventory.enums import DATA_BEARING_TYPES, DeviceState, DeviceType
from inventory.filters import LOTS_TTL, LOTS_VERSION_KEY, StockFilter, lot_choices, lots_version
from inventory.filters import stock_page as keyset_page
from inventory.services import intake
from inventory.services.stock_csv import export_rows
from inventory.views.access import choose_workshop, current_workshop, stock_page
from inventory.views.bench import label_form
from inventory.views.nav import workshop_nav
from reuse.csvfiles import csv_lines
from reuse.money import format_euros
from reuse.policy.accounts import is_staff
from reuse.policy.inventory import (
    visible_devices,
    workshop_ids,
    workshops_of,
)
from reuse.views import private_download
from reuse.workbooks import xlsx_bytes

PAGE_SIZE = 50


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
    if request.method == "POST" and "workshop" in request.POST:
        return choose_workshop(request)
    workshop = current_workshop(request)
    devices = visible_devices(request.user)
    if workshop is not None:
        devices = devices.filter(workshop=workshop)
    lots = intake.lots_for_check_in(workshop) if workshop else Lot.objects.none()
    to_wipe = devices.filter(
        state__in=[DeviceState.RECEIVED, DeviceState.IN_REPAIR], type__in=list(DATA_BEARING_TYPES)
    ).exclude(erasures__verified=True)
    return render(
        request,
        "inventory/dashboard.html",
        {
            "workshop": workshop,
            # The choice is offered to a person in several workshops only (their ids are read once per request).
            "workshops": list(workshops_of(request.user).order_by("name", "pk"))
            if len(workshop_ids(request.user)) > 1
            else [],
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


def stock_filter(request, data, *, lots=True):
    devices = visible_devices(request.user)
    ids = None if is_staff(request.user) else workshop_ids(request.user)
    return StockFilter(data, queryset=devices, lots=lot_choices(ids) if lots else ())


def _euros(cents) -> str:
    return format_euros(cents)


# What a row shows and the cursor reads, as plain tuples: a device has 29 columns, and reading all of them
# (dates, JSON, text) for fifty rows, with the lot's and the workshop's, cost 10 to 15 % of the page; building
# fifty model instances with their lot and workshop cost a third of what was left (1,000,000 devices).
ROW_FIELDS = (
    "pk",
    "asset_tag",
    "type",
    "brand",
    "model",
    "state",
    "grade",
    "price_cents",
    "received_at",
    "lot_id",
    "lot__title",
)


def escape(value) -> str:
    """Django's escape() without its lazy and SafeString wrappers: what format_html did to each value."""
    return html.escape(str(value))


def row_values(devices, *, show_workshop: bool):
    """The list's rows as named tuples (`pk` and `received_at` give the keyset cursor), not model instances."""
    fields = (*ROW_FIELDS, "workshop__name") if show_workshop else ROW_FIELDS
    return devices.values_list(*fields, named=True)


def stock_rows(devices, *, show_workshop: bool):
    """The list's rows as HTML, built in Python: the template engine spent most of the page's time on them
    (nine translated labels and five filters per row, fifty rows). The labels are escaped once per page and
    every value of a row by `escape`, as format_html would escape each (the same HTML)."""
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
    label = {key: escape(text) for key, text in labels.items()}
    types = {value: escape(text) for value, text in DeviceType.choices}
    states = {value: escape(text) for value, text in DeviceState.choices}
    device_url = escape(reverse("inventory:device", args=["TAG"]).replace("TAG/", ""))
    walk_in = escape(_("Don direct"))
    # Prices repeat from row to row: each amount is formatted (Babel) once a page.
    prices = {}
    zone = timezone.get_current_timezone()
    head = f'<tr><td data-label="{label["tick"]}"><input type="checkbox" name="tag" value="'
    rows = []
    for device in devices:
        tag = escape(device.asset_tag)
        price = prices.get(device.price_cents)
        if price is None:
            price = prices[device.price_cents] = escape(_euros(device.price_cents))
        workshop = (
            f'<td data-label="{label["workshop"]}">{escape(device.workshop__name)}</td>'
            if show_workshop
            else ""
        )
        rows.append(
            f'{head}{tag}" id="tag-{escape(device.pk)}" aria-label="{label["tick"]} {tag}"></td>'
            f'<th scope="row"><a href="{device_url}{tag}/">{tag}</a></th>'
            f'<td data-label="{label["device"]}">{types.get(device.type) or escape(device.type)} '
            f"{escape(device.brand)} {escape(device.model)}</td>"
            f'<td data-label="{label["state"]}">{states.get(device.state) or escape(device.state)}</td>'
            f'<td data-label="{label["grade"]}">{escape(device.grade or "—")}</td>'
            f'<td data-label="{label["price"]}">{price}</td>'
            f'<td data-label="{label["lot"]}">{escape(device.lot__title) if device.lot_id else walk_in}</td>'
            f'{workshop}<td data-label="{label["received"]}">'
            f"{device.received_at.astimezone(zone).strftime('%d/%m/%Y')}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308  (every value of a row is escaped above)


def stock_filters_html(request, filterset, scope) -> str:
    """The filter form's HTML depends only on the query, the language and the lots offered: rendered once
    per variant and cached beside the lots' version it was rendered with (inventory.lot_choices).

    One cache round trip reads the lots' version and the form together; the form is rendered again when the
    version kept with it is not the current one. `filterset` is called only then: its lots are not read
    when the form is cached.
    """
    params = sorted((k, v) for k, v in request.GET.lists() if k not in ("apres", "avant", "fin", "page"))
    digest = hashlib.sha256(repr((params, scope)).encode()).hexdigest()[:32]
    key = f"inventory:stock-filters:{get_language()}:{digest}"
    found = cache.get_many([LOTS_VERSION_KEY, key])
    version = found.get(LOTS_VERSION_KEY) or lots_version()
    kept = found.get(key)
    if isinstance(kept, tuple) and kept[0] == version:
        html = kept[1]
    else:
        html = render_to_string("includes/form_fields.html", {"form": filterset().form}, request=request)
        cache.set(key, (version, html), LOTS_TTL)
    return mark_safe(html)  # noqa: S308  (rendered by the template engine, escaped there)


@stock_page
def stock(request):
    """The workshop's stock, newest first, 50 a page, in at most four SQL queries whatever the page.

    Pages follow each other by keyset (`apres`/`avant` cursors, `fin` for the last page): a deep page costs
    what the first does. The counts per state come from the counters the database keeps (stock_counts).
    """
    scope = None if is_staff(request.user) else workshop_ids(request.user)
    # The lots offered are read only to check a chosen lot, or to render the filter form when it is not
    # cached: without a lot chosen, an empty list of lots filters the same.
    filterset = stock_filter(request, request.GET, lots=bool(request.GET.get("lot")))
    counts, capped = stock_counts(request, filterset)
    rows, previous_cursor, next_cursor = keyset_page(
        row_values(filterset.qs, show_workshop=is_staff(request.user)),
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
            "filters_html": stock_filters_html(
                request,
                lambda: filterset if request.GET.get("lot") else stock_filter(request, request.GET),
                scope,
            ),
            "nav_html": workshop_nav(request),
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
            "label_form": label_form(request),
        },
    )


@stock_page
def stock_csv(request):
    filterset = stock_filter(request, request.GET)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return private_download(
        csv_lines(export_rows(filterset.qs.order_by("pk"))),
        filename=f"stock-{stamp}.csv",
        content_type="text/csv; charset=utf-8",
    )


@stock_page
def stock_xlsx(request):
    """The stock for Excel: its serials, IMEIs and postcodes as text cells Excel keeps as written (the CSV is for
    tools and the import, which read it raw)."""
    filterset = stock_filter(request, request.GET)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return private_download(
        xlsx_bytes(export_rows(filterset.qs.order_by("pk")), sheet=_("Stock")),
        filename=f"stock-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
