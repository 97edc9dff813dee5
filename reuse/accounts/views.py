import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from reuse.accounts import identifiers, invitations, lockouts, privacy
from reuse.accounts.backends import BACKEND
from reuse.accounts.email_links import (
    already_confirmed,
    password_link,
    remember_reset_used,
    reset_link_used,
)
from reuse.accounts.emails import spoken
from reuse.accounts.enums import Role
from reuse.accounts.forms import (
    AccountLanguageForm,
    CloseAccountForm,
    EmailAuthenticationForm,
    EmailChangeForm,
    InvitationForm,
    JoinForm,
)
from reuse.accounts.middleware import remember_language
from reuse.accounts.models import Invitation, User
from reuse.accounts.signups import create_account, signups_for
from reuse.errors import DomainError
from reuse.policy.accounts import (
    can_manage_organisation,
    get_visible_organisation,
    primary_role,
    visible_organisations,
)
from reuse.views import domain_errors, private_download

# The page each role lands on once signed in; a role without an entry gets the generic role page.
ROLE_HOME = {
    Role.STAFF: "wagtailadmin_home",
    Role.WORKSHOP: "inventory:dashboard",
    Role.HOUSEHOLD: "eligibility:dashboard",
    Role.REFERRER: "eligibility:referrer_dashboard",
    Role.ASSOCIATION: "claims:association_dashboard",
    Role.DONOR: "donations:dashboard",
}


class LoginView(auth_views.LoginView):
    """Sign in, or create an account: the sign-up of the space the person was heading to comes first."""

    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["wanted_signup"], context["signups"] = signups_for(self.get_redirect_url())
        return context


RESET_DONE_FOR = "reuse_password_reset_done_for"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's page, for an active account only: Django's link outlives a deactivation (its token reads the
    password, the last login and the email, none of which staff change), so whoever held a link emailed before
    staff deactivated the account could still choose its password, ready for the day it is reactivated.

    Choosing the new password signs the person in: the link proved the mailbox, and an attacker guessing passwords
    on the account (accounts.lockouts) must not keep its owner out."""

    post_reset_login = True
    post_reset_login_backend = BACKEND

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        token = self.request.session.get(auth_views.INTERNAL_RESET_SESSION_TOKEN, "")
        response = super().form_valid(form)
        remember_reset_used(token)
        self.request.session[RESET_DONE_FOR] = self.user.pk  # the form sent twice: this browser did it
        return response

    def get_context_data(self, **kwargs):
        """A link that already set the password (a double tap, the link tapped again) says so: sign in."""
        context = super().get_context_data(**kwargs)
        if not self.validlink and self.user is not None:
            token = self.kwargs["token"]
            context["already_done"] = (
                self.request.session.get(RESET_DONE_FOR) == self.user.pk
                if token == self.reset_url_token
                else reset_link_used(token)
            )
        return context


@login_required
def home(request):
    """Send each person to the page of what they came to do."""
    role = primary_role(request.user)
    target = ROLE_HOME.get(role)
    if target:
        return redirect(reverse(target))
    return render(
        request,
        "accounts/home.html",
        {
            "role": role,
            "organisations": visible_organisations(request.user).filter(memberships__user=request.user),
        },
    )


@login_required
def organisation_detail(request, pk: int):
    organisation = get_visible_organisation(request.user, pk)
    members = organisation.memberships.select_related("user").order_by("user__email")
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "members": members,
            "can_invite": can_manage_organisation(request.user, organisation),
        },
    )


@login_required
def organisation_invite(request, pk: int):
    organisation = get_visible_organisation(request.user, pk)
    if not can_manage_organisation(request.user, organisation):
        raise Http404
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors(form=form, field="email") as attempt:
            invitations.invite(organisation=organisation, email=form.cleaned_data["email"], by=request.user)
        if attempt.ok:
            messages.success(request, gettext("Invitation envoyée."))
            return redirect("accounts:organisation", organisation.pk)
    return render(request, "accounts/invite.html", {"organisation": organisation, "form": form})


def invitation_accept(request, token: str):
    """Join an organisation from an emailed link: sign up (new person) or confirm (signed in)."""
    invitation = invitations.open_invitation(token)
    if invitation is None:
        # Opened again once it has served (the email read twice, « Créer mon compte » tapped twice): its member
        # is a member, told so, never asked to get a new invitation; anyone else learns nothing of whose it was.
        accepted = Invitation.objects.filter(token=token, accepted_by__isnull=False).first()
        if accepted is not None and accepted.accepted_by_id == request.user.pk:
            messages.info(
                request,
                gettext("Vous faites déjà partie de %(name)s.") % {"name": accepted.organisation.name},
            )
            return redirect("accounts:home")
        return render(
            request,
            "accounts/invitation.html",
            {"invitation": None, "accepted": accepted is not None and not request.user.is_authenticated},
            status=410,
        )
    existing = User.objects.filter(email__iexact=invitation.email).first()
    form = None
    if request.user.is_authenticated:
        if request.method == "POST":
            with domain_errors(request) as attempt:
                invitations.accept(token=token, user=request.user)
            if attempt.ok:
                messages.success(
                    request, gettext("Vous avez rejoint %(name)s.") % {"name": invitation.organisation.name}
                )
                return redirect("accounts:home")
    elif existing is None:
        form = JoinForm(request.POST or None, email=invitation.email)
        if request.method == "POST" and form.is_valid():
            with domain_errors(form=form) as attempt:
                with transaction.atomic():
                    user = create_account(**form.account_fields())
                    invitations.accept(token=token, user=user)
            if attempt.ok:
                login(request, user, backend=BACKEND)
                messages.success(
                    request, gettext("Vous avez rejoint %(name)s.") % {"name": invitation.organisation.name}
                )
                return redirect("accounts:home")
    return render(
        request,
        "accounts/invitation.html",
        {"invitation": invitation, "form": form, "existing": existing is not None},
    )


@login_required
def my_data(request):
    """What the platform holds about the person, the copy they can download, and closing their account."""
    refusals = privacy.closure_refusals(request.user)
    form = CloseAccountForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if refusals:
            status = 409
        elif lockouts.refuses(request, request.user.email or ""):
            return render(request, "accounts/locked_out.html", status=429)
        elif form.is_valid():
            with domain_errors(form=form, field="password") as attempt:
                privacy.close_account(user=request.user, password=form.cleaned_data["password"])
            if attempt.ok:
                logout(request)
                messages.success(
                    request, gettext("Votre compte est fermé. Vos données personnelles ont été effacées.")
                )
                return redirect("/")
            if attempt.error.code == "wrong_password":
                lockouts.count_failure(request, request.user.email or "")
            status = attempt.error.status
        else:
            status = 422
    return render(
        request,
        "accounts/my_data.html",
        {
            "form": form,
            "refusals": refusals,
            "has_password": request.user.has_usable_password(),
            "language_form": AccountLanguageForm(instance=request.user),
        },
        status=status,
    )


@login_required
def my_data_download(request):
    """The person's copy of their data (RGPD art. 15 and 20), as JSON."""
    body = json.dumps(privacy.personal_data(request.user), ensure_ascii=False, indent=2)
    return private_download(
        body, filename="mes-donnees-rebond.json", content_type="application/json; charset=utf-8"
    )


def switch_language(request):
    """The site's language switcher (Django's set_language); a signed-in person's choice is also their account's
    language, the one every message Rebond sends them is written in."""
    response = set_language(request)
    language = request.POST.get("language") if request.method == "POST" else None
    if request.user.is_authenticated and language and spoken(language) == language:
        User.objects.filter(pk=request.user.pk).exclude(language=language).update(language=language)
    return response


@login_required
@require_POST
def account_language(request):
    """The account page's choice of language: for the messages Rebond sends, and for the site from now on."""
    form = AccountLanguageForm(request.POST, instance=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("language", [])))
        return redirect("accounts:my_data")
    form.save()
    language = form.instance.language
    translation.activate(language)
    request.LANGUAGE_CODE = language
    messages.success(request, gettext("Rebond vous écrira désormais dans cette langue."))
    response = redirect("accounts:my_data")
    remember_language(response, language)
    return response


@login_required
def change_email(request):
    """The person asks for a new sign-in address; it is used once they follow the link sent to it."""
    user = request.user
    form = EmailChangeForm(request.POST or None, with_password=user.has_usable_password())
    if request.method == "POST":
        if lockouts.refuses(request, user.email or ""):
            return render(request, "accounts/locked_out.html", status=429)
        if form.is_valid():
            with domain_errors(form=form, field="new_email") as attempt:
                identifiers.request_email_change(
                    user=user,
                    new_email=form.cleaned_data["new_email"],
                    by=user,
                    password=form.cleaned_data.get("password"),
                )
            if attempt.ok:
                messages.success(
                    request,
                    gettext(
                        "Un lien de confirmation est parti vers %(email)s. Tant que vous ne l’avez pas ouvert, "
                        "votre compte garde son adresse actuelle."
                    )
                    % {"email": form.cleaned_data["new_email"]},
                )
                return redirect("accounts:home")
            if attempt.error.code == "wrong_password":
                lockouts.count_failure(request, user.email or "")
    return render(request, "accounts/change_email.html", {"form": form, "pending": user.pending_email})


def confirm_email(request, token: str):
    """The link sent to a new address. A GET only asks (a mail scanner opening links confirms nothing); the POST
    confirms. An account without a password then chooses one, as with a reset link."""
    if request.method != "POST":
        done = already_confirmed(token)
        context = {"token": None, "done_for": done} if done else {"token": token}
        return render(request, "accounts/confirm_email.html", context)
    try:
        user = identifiers.confirm_email_change(token=token)
    except DomainError as exc:
        # Used already (a double tap, the second request waiting on the first's lock; tapped again from the
        # email): what the first use did, rather than « ask again ».
        done = already_confirmed(token)
        if done:
            return render(request, "accounts/confirm_email.html", {"token": None, "done_for": done})
        messages.error(request, exc.message)
        return render(request, "accounts/confirm_email.html", {"token": None}, status=410)
    messages.success(
        request, gettext("Votre adresse e-mail est confirmée : c’est désormais celle du compte.")
    )
    if not user.has_usable_password():
        return redirect("accounts:password_reset_confirm", **password_link(user))
    return redirect("accounts:home" if request.user.is_authenticated else "accounts:login")
