"""The donor's pages: sign-up, lots declared by form, release checklist, submit and cancel (the dashboard and
the lot page, which count devices, are in inventory/donor_reports/pages.py)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from donations import services
from donations.forms import (
    ChecklistForm,
    DonorRegistrationForm,
    ItemFormSet,
    LotForm,
)
from reuse.accounts import services as account_services
from reuse.accounts import signups
from reuse.accounts.auth import client_address
from reuse.accounts.backends import BACKEND
from reuse.accounts.enums import OrganisationKind
from reuse.policy.accounts import organisations_of_kind
from reuse.policy.donations import donor_lots, get_lot
from reuse.views import domain_errors


def register(request):
    """A donor organisation signs up: the person, the organisation (SIRET checked), its first admin."""
    form = DonorRegistrationForm(request.POST or None, client_key=client_address(request))
    if request.method == "POST" and not form.is_valid() and (user := form.sent_again(request)):
        login(request, user, backend=BACKEND)
        return redirect("donations:dashboard")
    if request.method == "POST" and form.is_valid():
        details, _account = account_services.OrganisationDetails.split(form.cleaned_data)
        with domain_errors(form=form) as attempt:
            with transaction.atomic():
                user = signups.create_account(**form.account_fields())
                account_services.register_organisation(
                    kind=OrganisationKind.DONOR, details=details, admin=user
                )
        if attempt.ok:
            login(request, user, backend=BACKEND)
            messages.success(
                request,
                _(
                    "Bienvenue ! Votre organisation sera vérifiée par l’équipe Rebond ; vous pouvez déjà préparer un lot."
                ),
            )
            return redirect("donations:dashboard")
    return render(request, "donations/register.html", {"form": form})


@login_required
def lot_create(request):
    donors = list(organisations_of_kind(request.user, OrganisationKind.DONOR).order_by("name", "pk"))
    if not donors:
        raise Http404
    form = LotForm(request.POST or None, organisations=donors)
    formset = ItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        items = [item for item in (f.item() for f in formset.forms if f.has_changed()) if item]
        fields = {name: value for name, value in form.cleaned_data.items() if name != form.choice_field}
        with domain_errors(form=form, field=form.choice_field if form.chosen else None) as attempt:
            # A person in several donor organisations chose one (another organisation's is not found).
            donor = services.donor_organisation_of(request.user, form.chosen)
            lot = services.create_lot(donor=donor, created_by=request.user, items=items, **fields)
        if attempt.ok:
            messages.success(request, _("Lot enregistré comme brouillon."))
            return redirect("donations:lot", lot.pk)
    return render(request, "donations/lot_form.html", {"form": form, "formset": formset})


@login_required
def lot_items_add(request, pk: int):
    lot = get_lot(donor_lots(request.user), pk)
    formset = ItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and formset.is_valid():
        items = [item for item in (f.item() for f in formset.forms if f.has_changed()) if item]
        with domain_errors(request) as attempt:
            services.add_items(lot=lot, items=items)
        if attempt.ok:
            messages.success(request, _("%(n)s appareil(s) ajouté(s) ou mis à jour.") % {"n": len(items)})
            return redirect("donations:lot", lot.pk)
    return render(request, "donations/lot_items.html", {"lot": lot, "formset": formset})


@login_required
def checklist(request, pk: int):
    lot = get_lot(donor_lots(request.user), pk)
    types = list(lot.items.order_by("type").values_list("type", flat=True).distinct())
    current = {}
    for row in (
        lot.items.order_by()
        .values("type")
        .annotate(
            a=Count("pk", filter=Q(activation_lock_off=True)),
            f=Count("pk", filter=Q(frp_removed=True)),
            m=Count("pk", filter=Q(mdm_released=True)),
            b=Count("pk", filter=Q(bios_password_removed=True)),
            n=Count("pk"),
        )
    ):
        for key, check in (
            ("a", "activation_lock_off"),
            ("f", "frp_removed"),
            ("m", "mdm_released"),
            ("b", "bios_password_removed"),
        ):
            current[(row["type"], check)] = row[key] == row["n"] and row["n"] > 0
    form = ChecklistForm(request.POST or None, types=types, items=current)
    if request.method == "POST" and form.is_valid():
        with domain_errors(request) as attempt:
            services.update_release_checklist(lot=lot, answers=form.answers(), actor=request.user)
        if attempt.ok:
            messages.success(request, _("Liste de libération enregistrée."))
            return redirect("donations:lot", lot.pk)
    return render(request, "donations/checklist.html", {"lot": lot, "form": form})


# The donor's moves of its own lot: the service that makes it and what the donor is told once it is made.
LOT_MOVES = {
    "submit": (
        services.submit_lot,
        gettext_lazy("Lot soumis : il va être proposé à un atelier de votre territoire."),
    ),
    "cancel": (services.cancel_lot, gettext_lazy("Lot annulé.")),
}


@login_required
@require_POST
def lot_move(request, pk: int, move: str):
    lot = get_lot(donor_lots(request.user), pk)
    service, done = LOT_MOVES[move]
    with domain_errors(request) as attempt:
        service(lot=lot, actor=request.user)
    if attempt.ok:
        messages.success(request, done)
    return redirect("donations:lot", lot.pk)
