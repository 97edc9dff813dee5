import hashlib
from functools import partial

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import get_default_password_validators
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reuse.accounts import signup_attempts
from reuse.accounts.auth import normalise_email
from reuse.accounts.counters import count_up
from reuse.accounts.models import User
from reuse.accounts.signups import email_taken, password_problems
from reuse.accounts.tasks import send_password_reset
from reuse.accounts.validators import normalise_phone, normalise_postcode, validate_postcode


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


# Asking for a reset link costs nothing and puts an email in someone's inbox: a few an hour per address, whoever
# asks (counted in the shared cache), so that nobody floods a person with them. The page answers the same.
RESET_EMAILS_PER_HOUR = 3
# A person with a single name (« sans prénom » in French civil records, one name in many countries) leaves the
# first name empty: every form that asks a person's names says so.
SINGLE_NAME_HELP = _("Laissez vide si la personne n’a qu’un nom, sans prénom.")
OWN_SINGLE_NAME_HELP = _("Laissez vide si vous n’avez qu’un nom, sans prénom.")


def reset_email_allowed(address: str) -> bool:
    key = "password-reset:" + hashlib.sha256(address.encode()).hexdigest()[:32]
    return count_up(key, 3600) <= RESET_EMAILS_PER_HOUR


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, whose email leaves from a worker once the request is over (accounts.tasks
    .send_password_reset, with its link on PUBLIC_BASE_URL: never on the Host header of whoever asked, which a
    host ALLOWED_HOSTS lets through, a wildcard subdomain, would turn into the victim's token sent to them)."""

    def get_users(self, email):
        """Every active account with this address, one without a password too: a household a referrer opened with
        its email chooses its first password here (its email counts as its own access, accounts.auth
        .has_own_credentials, so it is printed no sign-in code). Django's form skips such accounts."""
        address = normalise_email(email)
        if not reset_email_allowed(address):
            return iter(())
        return iter(User.objects.filter(email=address, is_active=True))

    def save(self, **kwargs):
        for user in self.get_users(self.cleaned_data["email"]):
            transaction.on_commit(partial(send_password_reset.delay, user.pk))


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail de la personne à inviter"))


def min_password_length() -> int:
    """The minimum length settings.AUTH_PASSWORD_VALIDATORS set, told in the password's help text."""
    return max((getattr(v, "min_length", 0) for v in get_default_password_validators()), default=0)


EMAIL_TAKEN = "email_taken"
# The input of a code copied from paper (a voucher, a handover code): capitals offered, and no spelling fix nor
# suggestion that would change its letters (`autocorrect` is what Safari on iOS and Chromium's Android keyboard
# flags read: without it « cateat » becomes « create » before it is sent).
CODE_TYPED_FROM_PAPER = {
    "autocomplete": "off",
    "autocapitalize": "characters",
    "autocorrect": "off",
    "spellcheck": "false",
}


class PaperCodeField(forms.CharField):
    """A code copied from paper (a voucher, the handover code, the follow-up questionnaire's code, a sign-in code),
    typed in a box that offers capitals and changes no letter (CODE_TYPED_FROM_PAPER), whichever form asks for it.
    `autocomplete` says what the browser may offer instead of nothing (the sign-in code: "one-time-code")."""

    def __init__(self, *, autocomplete: str = "off", **kwargs):
        kwargs["widget"] = forms.TextInput(attrs={**CODE_TYPED_FROM_PAPER, "autocomplete": autocomplete})
        super().__init__(**kwargs)


class AccountFieldsForm(forms.Form):
    """The fields of a new account, shared by every sign-up form (household, association, small structure,
    workshop, invitation), with the one password rule of accounts.signups.create_account.

    A form whose own `email` means something else (the workshop's public address) names the account's address
    `account_email` and sets `email_field`; a form whose address is known already (an invitation) drops the field
    and passes `email=`.
    """

    email_field = "email"
    email_taken_message = _("Un compte existe déjà avec cette adresse e-mail.")

    first_name = forms.CharField(
        label=_("Votre prénom"),
        max_length=150,
        required=False,
        help_text=OWN_SINGLE_NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Votre nom"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        label=_("Votre adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Choisissez un mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str = "", client_key: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.known_email = email
        # The network address of whoever signs up (accounts.auth.client_address): see accounts.signup_attempts.
        self.client_key = client_key
        self.fields["password"].help_text = gettext("Au moins %(n)s caractères.") % {
            "n": min_password_length()
        }

    def account_email(self) -> str:
        return self.known_email or self.cleaned_data.get(self.email_field) or ""

    def clean(self):
        data = super().clean()
        refused = signup_attempts.refusal(self.client_key)
        if refused:
            raise forms.ValidationError(refused, code="too_many_signups")
        if self.email_field in self.fields and self.email_field in data:
            address = data[self.email_field] = normalise_email(data[self.email_field])
            if email_taken(address):
                self.add_error(
                    self.email_field, ValidationError(str(self.email_taken_message), code=EMAIL_TAKEN)
                )
                signup_attempts.address_was_taken(address, self.client_key)
        if data.get("password"):
            problems = password_problems(
                data["password"],
                email=self.account_email(),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            for problem in problems:
                self.add_error("password", problem)
        return data

    def sent_again(self, request) -> User | None:
        """The account this same form already created, when it comes a second time: a double tap, or a phone
        resending the POST after a timeout whose answer (and session cookie) never arrived. Only when the one
        refusal is the taken address and the password typed opens that account, through authenticate() (so
        the lockout counts a wrong one, as on the sign-in page): the view then signs the person in and answers
        as it did the first time, instead of "an account already exists" with the password emptied."""
        errors = self.errors.as_data()
        if list(errors) != [self.email_field] or [e.code for e in errors[self.email_field]] != [EMAIL_TAKEN]:
            return None
        # Read under the form's prefix, if any (the workshop's page names them « account-… »).
        email = normalise_email(self.data.get(self.add_prefix(self.email_field), ""))
        return authenticate(request, username=email, password=self.data.get(self.add_prefix("password"), ""))

    def account_fields(self) -> dict:
        """The keyword arguments of accounts.signups.create_account."""
        data = self.cleaned_data
        return {
            "email": self.account_email(),
            "password": data["password"],
            "first_name": data["first_name"],
            "last_name": data["last_name"],
        }


class JoinForm(AccountFieldsForm):
    """A new person accepting an invitation: the email is the invitation's."""

    email = None


class AccountLanguageForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["language"]
        labels = {"language": _("Langue des messages que Rebond vous envoie")}


def current_password() -> forms.CharField:
    """The person's password typed again before a change that is theirs to make (closing, a new address)."""
    return forms.CharField(
        label=_("Votre mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CloseAccountForm(forms.Form):
    """Closing is for good: the person types their password again and ticks that they understood."""

    password = current_password()
    confirm = forms.BooleanField(
        label=_(
            "J’ai compris que mon compte sera fermé pour toujours et que je ne pourrai plus m’y connecter."
        )
    )


class EmailChangeForm(forms.Form):
    """A new sign-in address, confirmed by the link sent to it; the password again when the account has one."""

    new_email = forms.EmailField(
        label=_("Nouvelle adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = current_password()

    def __init__(self, *args, with_password: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_password:
            del self.fields["password"]


class PostcodeField(forms.CharField):
    """A French postcode as people type it on a phone ("93 200", a space before or after, a non-breaking space
    from a copied address): the spaces are dropped, then 5 digits are asked for. The digits keyboard opens and
    the browser may offer the person's own postcode; no maxlength nor pattern, which would refuse the space
    before the site could drop it. Override the words of a refusal with error_messages={"postcode": ...}."""

    default_validators = [validate_postcode]

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_postcode(super().to_python(value))


class PhoneField(forms.CharField):
    """A phone number as people type it (spaces, dots, « +33 6… », « 0033… »), kept in one form by
    accounts.validators.normalise_phone. The phone's keypad opens and the browser may offer the person's own
    number; no pattern nor short maxlength, which would refuse the spaces before the site could drop them."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_phone(super().to_python(value))


class OrganisationAddressForm(forms.Form):
    """Where an organisation is, as every organisation sign-up asks it (donor, workshop, association, small
    structure), in the lengths accounts.services.OrganisationDetails stores. A form lists these fields in its
    `field_order`: the fields of a base form come before its own."""

    address = forms.CharField(
        label=_("Adresse"), max_length=255, widget=forms.TextInput(attrs={"autocomplete": "street-address"})
    )
    postcode = PostcodeField(label=_("Code postal"))
    city = forms.CharField(
        label=_("Commune"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )


class OrganisationChoice(forms.Form):
    """For a person in several organisations of a kind, the one a form acts for, chosen each time: the first one
    by default would act for, and file under, another organisation. Only offered to a person in several; the view
    hands `chosen` to reuse.policy.accounts.acting_organisation (through its kind's rule), which refuses a missing
    choice and does not find another organisation's."""

    choice_field = "organisation"
    choice_label = _("Organisation")
    choice_help = _("Vous êtes membre de plusieurs organisations : celle pour laquelle vous agissez.")

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        if len(organisations) > 1:
            self.fields[self.choice_field] = forms.CharField(
                label=self.choice_label,
                help_text=self.choice_help,
                widget=forms.Select(choices=[("", "—"), *((str(o.pk), o.name) for o in organisations)]),
            )
            self.order_fields([self.choice_field])

    @property
    def chosen(self):
        """The id chosen, None for a person in one organisation (their only one then acts)."""
        return self.cleaned_data.get(self.choice_field) if self.choice_field in self.fields else None
