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
    is_workshop_member,
    workshops_of,
)


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
