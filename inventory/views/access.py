"""Who may open the workshop pages: signed-in members and staff, and the workshop a page acts for."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from reuse.accounts.enums import OrganisationKind, OrganisationStatus
from reuse.policy.accounts import is_staff, organisations_of_kind
from reuse.policy.inventory import (
    acting_workshop,
    is_workshop_member,
    workshop_ids,
    workshops_of,
)
from reuse.views import domain_errors, kept_choice

CHOSEN_WORKSHOP_KEY = "inventory_workshop"


def current_workshop(request):
    """The workshop the pages act for: the one chosen on the dashboard by a person in several, else the first."""
    workshops = workshops_of(request.user).order_by("pk")
    chosen = request.session.get(CHOSEN_WORKSHOP_KEY)
    if chosen:
        workshop = workshops.filter(pk=chosen).first()
        if workshop is not None:
            return workshop
    return workshops.first()


def chosen_workshop(request):
    """The workshop a page acts for: the one chosen on the dashboard (kept in the session) or the person's only one,
    as reuse.policy.inventory.acting_workshop says; a person in several who has not chosen yet gets its
    DomainError. A choice no longer theirs (they left that workshop) is dropped."""
    return kept_choice(request, CHOSEN_WORKSHOP_KEY, acting_workshop, workshop_ids(request.user))


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


def workshop_page(view, *, own_choice=False):
    """Pages that act for one workshop (check-in, bench, import): staff need a membership too. A person in several
    chooses on the dashboard first, except on pages whose form asks which one (`own_choice`: the imports)."""

    @stock_page
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        # Where the form asks which workshop, the refusal is not said: the form's default is all it needed.
        with domain_errors(None if own_choice else request) as attempt:
            workshop = chosen_workshop(request)
        if not attempt.ok:
            if not own_choice:
                return redirect("inventory:dashboard")
            workshop = current_workshop(request)  # only the form's default: it asks which one
        if workshop is None:
            messages.error(request, _("Cette page est réservée aux membres d’un atelier."))
            return redirect("inventory:stock")
        return view(request, workshop, *args, **kwargs)

    return wrapper


def choose_workshop(request):
    """A person in several workshops switches the one the check-in, bench and dashboard act for (another
    organisation's is not found, as the rule of acting_workshop says)."""
    with domain_errors(request) as attempt:
        workshop = acting_workshop(request.user, request.POST.get("workshop"))
    if not attempt.ok:
        return redirect("inventory:dashboard")
    if workshop is not None:
        request.session[CHOSEN_WORKSHOP_KEY] = workshop.pk
        messages.success(
            request, _("Vous travaillez maintenant pour l’atelier %(name)s.") % {"name": workshop.name}
        )
    return redirect("inventory:dashboard")
