"""The published priority page (programme weights, the lists and their sources) and the referrer's attestation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from reuse.eligibility.enums import MandateScope
from reuse.policy.eligibility import get_followed_household
from reuse.programmes.models import Programme
from reuse.territories import services
from reuse.territories.enums import TerritoryKind
from reuse.territories.forms import AttestationForm
from reuse.territories.models import TerritoryAttestation, TerritoryList, TerritoryWeights
from reuse.views import domain_errors


def priority(request):
    programmes = list(Programme.objects.active().order_by("name"))
    weights = {w.programme_id: w for w in TerritoryWeights.objects.filter(programme__in=programmes)}
    lists = TerritoryList.objects.filter(is_active=True).annotate(n=Count("areas")).order_by("kind", "name")
    return render(
        request,
        "territories/priority.html",
        {"rows": [(p, weights.get(p.pk)) for p in programmes], "lists": lists},
    )


@login_required
def attest(request, pk):
    # The territory is part of the household's eligibility: a mandate for its claims alone is a 404 here.
    household = get_followed_household(request.user, pk, scope=MandateScope.ELIGIBILITY)
    current = services.territories_of([household.pk]).get(household.pk, {})
    attested = set(
        TerritoryAttestation.objects.valid().filter(household=household).values_list("kind", flat=True)
    )
    # Nothing ticked is an answer (it withdraws the attestation): bind the form on any POST.
    form = AttestationForm(
        request.POST if request.method == "POST" else None, initial={"kinds": sorted(attested)}
    )
    if request.method == "POST" and form.is_valid():
        with domain_errors(form=form) as attempt:
            services.attest(actor=request.user, household=household, kinds=form.cleaned_data["kinds"])
        if attempt.ok:
            messages.success(request, _("Attestation de territoire enregistrée."))
            return redirect("eligibility:referrer_household", pk=household.pk)
    found = [(TerritoryKind(kind).label, source) for kind, source in sorted(current.items())]
    return render(request, "territories/attest.html", {"household": household, "form": form, "found": found})
