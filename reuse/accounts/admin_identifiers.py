"""The admin's user form and the sign-in identifiers: staff never choose someone else's password, and a new
address they type is asked for through reuse.accounts.identifiers like anywhere else (the before-edit hook in
reuse.accounts.wagtail_hooks calls these; the after-edit hook is registered here)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks

from reuse.accounts import identifiers
from reuse.accounts.auth import normalise_email
from reuse.views import domain_errors


def password_for_someone_else(request, user):
    """Staff never choose someone else's password: whoever knows it enters the account unseen. The person chooses
    it with the reset link, sent to the address they confirmed."""
    if request.method != "POST" or user.pk == request.user.pk or not request.POST.get("password1"):
        return None
    messages.error(
        request,
        _(
            "Vous ne choisissez pas le mot de passe de quelqu’un d’autre : la personne le choisit elle-même avec "
            "le lien « Mot de passe oublié » de la page de connexion."
        ),
    )
    return redirect("wagtailusers_users:edit", user.pk)


# A new address typed in the admin's user form is asked for like anywhere else (reuse.accounts.identifiers): the
# form saves the rest with the address in use, then the link goes to the new one, which is used once followed.
_WANTED_EMAIL = "rebond_wanted_email"


def address_asked(request, user):
    if request.method != "POST":
        return None
    wanted = normalise_email(request.POST.get("email"))
    if not wanted or wanted == (user.email or ""):
        return None
    with domain_errors(request) as attempt:
        identifiers.checked_address(user=user, new_email=wanted)
    if not attempt.ok:
        return redirect("wagtailusers_users:edit", user.pk)
    request.POST = request.POST.copy()
    request.POST["email"] = user.email or ""
    setattr(request, _WANTED_EMAIL, wanted)
    return None


@hooks.register("after_edit_user")
def ask_for_the_new_address(request, user):
    wanted = getattr(request, _WANTED_EMAIL, None)
    if wanted:
        identifiers.request_email_change(user=user, new_email=wanted, by=request.user)
        messages.info(
            request,
            _(
                "Un lien de confirmation est parti vers %(email)s : l’adresse sera celle du compte quand la "
                "personne l’aura ouvert."
            )
            % {"email": wanted},
        )
