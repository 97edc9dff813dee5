from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from reuse.accounts.auth import normalise_email


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Adresse e-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("Adresse e-mail ou mot de passe incorrect. Vérifiez les deux et réessayez."),
        "inactive": _("Ce compte est désactivé. Contactez l’équipe Rebond."),
    }

    def clean_username(self):
        # Authenticated, and counted by django-axes, under the spelling the account is stored with.
        return normalise_email(self.cleaned_data.get("username"))


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail de la personne à inviter"))


class JoinForm(forms.Form):
    """A new person accepting an invitation: the email is the invitation's."""

    first_name = forms.CharField(
        label=_("Prénom"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Nom"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        help_text=_("10 caractères au moins."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email="", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password(self):
        from django.contrib.auth.password_validation import validate_password

        from reuse.accounts.models import User

        password = self.cleaned_data["password"]
        validate_password(password, User(email=self.email))
        return password
