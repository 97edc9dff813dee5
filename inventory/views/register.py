"""A workshop registers, with an account for its first administrator when the person has none."""

from django.contrib.auth import login
from django.db import transaction
from django.shortcuts import render

from inventory.forms import (
    AccountForm,
    WorkshopRegistrationForm,
)
from inventory.services.workshops import register_workshop
from reuse.accounts import signup_attempts, signups
from reuse.accounts.auth import client_address
from reuse.accounts.backends import BACKEND
from reuse.accounts.enums import OrganisationKind
from reuse.accounts.services import OrganisationDetails
from reuse.views import domain_errors


def register(request):
    needs_account = not request.user.is_authenticated
    form = WorkshopRegistrationForm(request.POST or None)
    account_form = (
        AccountForm(request.POST or None, prefix="account", client_key=client_address(request))
        if needs_account
        else None
    )
    # Both forms are checked, so that every mistake shows at once.
    valid = [form.is_valid(), account_form is None or account_form.is_valid()]
    # Sent a second time (a double tap, a phone resending the POST): signed in, and the first answer again.
    if request.method == "POST" and not valid[1] and (user := account_form.sent_again(request)):
        if organisation := signup_attempts.just_registered(user, OrganisationKind.WORKSHOP):
            login(request, user, backend=BACKEND)
            return render(request, "inventory/register_done.html", {"organisation": organisation})
    if request.method == "POST" and all(valid):
        with domain_errors(form=form) as attempt:
            with transaction.atomic():
                user = request.user
                if needs_account:
                    user = signups.create_account(**account_form.account_fields())
                details, profile = OrganisationDetails.split(form.cleaned_data)
                organisation = register_workshop(admin=user, details=details, **profile)
        if attempt.ok:
            if needs_account:
                login(request, user, backend=BACKEND)
            return render(request, "inventory/register_done.html", {"organisation": organisation})
    return render(request, "inventory/register.html", {"form": form, "account_form": account_form})
