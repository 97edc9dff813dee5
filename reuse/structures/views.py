"""A small structure signs up; a cheque batch is printed (staff, or the funder's members)."""

from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from reuse.accounts.auth import client_address
from reuse.accounts.backends import BACKEND
from reuse.policy.claims import is_funder_of
from reuse.structures import services
from reuse.structures.forms import StructureSignupForm
from reuse.structures.models import ChequeBatch, ChequeProgramme
from reuse.views import domain_errors

# A refused SIRET is said beside its field, where the person corrects it.
SIRET_REFUSALS = {"siret": "siret", "siret_taken": "siret"}


def signup(request):
    form = StructureSignupForm(request.POST or None, client_key=client_address(request))
    status = 200
    if request.method == "POST" and not form.is_valid() and (user := form.sent_again(request)):
        login(request, user, backend=BACKEND)
        return redirect("structures:registered")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with domain_errors(form=form, fields=SIRET_REFUSALS) as attempt:
                organisation = services.register_structure(**data)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
            status = 422
        else:
            status = attempt.status
            if attempt.ok:
                user = organisation.memberships.get().user
                login(request, user, backend=BACKEND)
                return redirect("structures:registered")
    return render(request, "structures/signup.html", {"form": form}, status=status)


def registered(request):
    if not request.user.is_authenticated:
        return redirect("structures:signup")
    return render(request, "structures/registered.html", {"programmes": ChequeProgramme.objects.running()})


def batch_print(request, pk):
    batch = get_object_or_404(ChequeBatch.objects.select_related("programme__funder"), pk=pk)
    if not request.user.is_authenticated or not is_funder_of(request.user, batch.programme.funder):
        raise Http404
    cheques = batch.cheques.select_related("voucher").order_by("voucher__code")
    return render(request, "structures/batch_print.html", {"batch": batch, "cheques": cheques})


def programmes(request):
    """Public: the running equipment-cheque programmes, who they are for and how to use a cheque."""
    return render(
        request,
        "structures/programmes.html",
        {"programmes": ChequeProgramme.objects.running().select_related("funder")},
    )
