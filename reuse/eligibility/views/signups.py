"""Ways in under /eligibilite/: a household's and an association's sign-up, and the printed sign-in code."""

from django.contrib.auth import login
from django.shortcuts import redirect, render

from reuse.accounts import services as accounts
from reuse.accounts import signup_attempts
from reuse.accounts.auth import client_address
from reuse.accounts.backends import BACKEND
from reuse.accounts.enums import OrganisationKind
from reuse.eligibility import sign_in_codes
from reuse.eligibility.forms import (
    AssociationSignupForm,
    CodeLoginForm,
    HouseholdSignupForm,
)
from reuse.eligibility.middleware import CODE_SESSION_KEY
from reuse.eligibility.services import associations, duplicates
from reuse.views import domain_errors, on_this_site, until_the_browser_closes


def _client_key(request) -> str:
    return client_address(request) or "unknown"


def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = HouseholdSignupForm(request.POST or None, client_key=client_address(request))
    if request.method == "POST" and not form.is_valid() and (user := form.sent_again(request)):
        login(request, user, backend=BACKEND)
        return redirect("eligibility:questionnaire")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors(form=form) as attempt:
            user = accounts.create_household(
                **form.account_fields(),
                postcode=data["postcode"],
                household_size=data["household_size"],
                birth_date=data["birth_date"],
            )
            duplicates.record_fingerprint(user)
        if attempt.ok:
            login(request, user, backend=BACKEND)
            return redirect("eligibility:questionnaire")
    return render(request, "eligibility/signup.html", {"form": form})


def code_login(request):
    form = CodeLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors(form=form, field="code") as attempt:
            code = sign_in_codes.sign_in_with_code(
                code=form.cleaned_data["code"], client_key=_client_key(request)
            )
        if attempt.ok:
            login(request, code.user, backend=BACKEND)
            # The session is bound to the code (and its mandate): see SignInCodeSessionMiddleware.
            request.session[CODE_SESSION_KEY] = code.pk
            until_the_browser_closes(request)
            # Back where the sign-in page was asked for (its link here keeps `next`), as with a password.
            return redirect(on_this_site(request, request.GET.get("next", "")) or "eligibility:dashboard")
    return render(request, "eligibility/code_login.html", {"form": form})


# --- Associations ---------------------------------------------------------------------------------------------


def association_signup(request):
    form = AssociationSignupForm(request.POST or None, client_key=client_address(request))
    # Sent a second time (a double tap, a phone resending the POST): the first answer again, not signed in either.
    if request.method == "POST" and not form.is_valid() and (user := form.sent_again(request)):
        if organisation := signup_attempts.just_registered(user, OrganisationKind.ASSOCIATION):
            return render(request, "eligibility/association_registered.html", {"name": organisation.name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors(form=form) as attempt:
            details, profile = accounts.OrganisationDetails.split(data)
            associations.register_association(
                **form.account_fields(), details=details, purpose=profile["purpose"], public=profile["public"]
            )
        if attempt.ok:
            return render(request, "eligibility/association_registered.html", {"name": data["name"]})
    return render(request, "eligibility/association_signup.html", {"form": form})
