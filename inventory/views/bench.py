"""Bench mode (a batch of scans, one action each) and the QR label sheets it queues."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from inventory.forms import (
    BenchForm,
    LabelForm,
)
from inventory.services import intake
from inventory.services.bench import BENCH_CHECK_IN, BENCH_LABELS, bench_apply, split_codes
from inventory.services.devices import (
    normalise_code,
)
from inventory.services.labels import DEFAULT_LABEL_FORMAT, MAX_LABELS, is_label_format, labels_pdf
from inventory.views.access import stock_page, workshop_page
from reuse.policy.inventory import (
    visible_devices,
)
from reuse.views import domain_errors, private_download

BENCH_HISTORY = 30
LABEL_QUEUE_MAX = MAX_LABELS
# The label format the technician printed last: offered first on every page that prints labels.
LABEL_FORMAT_KEY = "label_format"


def label_format(request) -> str:
    chosen = request.session.get(LABEL_FORMAT_KEY)
    return chosen if is_label_format(chosen) else DEFAULT_LABEL_FORMAT


def label_form(request) -> LabelForm:
    return LabelForm(auto_id="label_%s", initial={"sheet": label_format(request)})


@workshop_page
def bench(request, workshop):
    lots = list(intake.lots_for_check_in(workshop))
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
            results = bench_apply(
                workshop=workshop,
                actor=request.user,
                action=data["action"],
                codes=split_codes(data["code"]),
                lot=lot,
                device_type=data["device_type"],
            )
        if attempt.ok:
            for result in results:
                if (
                    result.ok
                    and result.tag
                    and result.tag not in queue
                    and (data["action"] in (BENCH_LABELS, BENCH_CHECK_IN))
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
        {"form": form, "results": history, "queue": queue, "label_form": label_form(request)},
    )


# Labels and import --------------------------------------------------------------------------------------


@stock_page
def labels(request):
    tags = [normalise_code(tag) for tag in request.GET.getlist("tag") if tag.strip()]
    if request.GET.get("queue"):
        tags = list(request.session.get("label_queue", []))
    tags = list(dict.fromkeys(tags))[: MAX_LABELS + 1]  # one label a device; labels_pdf refuses what is over
    back = "inventory:bench" if request.GET.get("queue") else "inventory:stock"
    if not tags:
        messages.error(request, _("Aucun appareil à étiqueter."))
        return redirect(back)
    # No format in the request (the one-action print after a check-in): the one printed last.
    sheet = request.GET.get("sheet") or label_format(request)
    by_tag = {d.asset_tag: d for d in visible_devices(request.user).filter(asset_tag__in=tags)}
    devices = [by_tag[tag] for tag in tags if tag in by_tag]
    with domain_errors(request) as attempt:
        pdf = labels_pdf(devices, sheet=sheet)
    if not attempt.ok:
        return redirect(back)
    request.session[LABEL_FORMAT_KEY] = sheet
    return private_download(pdf, filename="etiquettes.pdf", content_type="application/pdf", inline=True)
