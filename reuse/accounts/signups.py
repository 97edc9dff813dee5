"""Where a newcomer creates an account, by role, and the one way every sign-up creates it.

The sign-in page offers each sign-up, and puts first the one that matches the space the person was heading to
(the `next` of the sign-in page). Whatever the sign-up (household, association, small structure, workshop,
invitation), the account itself is made by `create_account`: one spelling of the email, one password rule
(settings.AUTH_PASSWORD_VALIDATORS, nothing else), one refusal of an address already taken.
"""

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from reuse.accounts.auth import normalise_email
from reuse.accounts.emails import spoken
from reuse.accounts.enums import Role
from reuse.accounts.models import User
from reuse.errors import InvalidInput


@dataclass(frozen=True)
class SignUp:
    role: str
    title: str
    text: str
    action: str
    url_name: str  # empty: no self-service sign-up for this role

    @property
    def url(self) -> str:
        return reverse(self.url_name) if self.url_name else ""


SIGNUPS = (
    SignUp(
        Role.HOUSEHOLD,
        _("J’ai besoin d’un appareil"),
        _("Créez votre compte, répondez à quelques questions et découvrez si vous avez droit à un appareil."),
        _("Créer mon compte"),
        "eligibility:signup",
    ),
    SignUp(
        Role.DONOR,
        _("Je donne du matériel"),
        _("Entreprise, collectivité, administration : inscrivez votre organisation pour déclarer un lot."),
        _("Inscrire mon organisation donatrice"),
        "donations:register",
    ),
    SignUp(
        Role.WORKSHOP,
        _("J’ai un atelier"),
        _(
            "Atelier de réparation, tiers-lieu, structure de l’ESS : rejoignez le réseau pour recevoir des lots."
        ),
        _("Inscrire mon atelier"),
        "inventory:register",
    ),
    SignUp(
        Role.ASSOCIATION,
        _("Nous sommes une association"),
        _("Demandez des appareils pour votre public ou vos équipes, dans la limite d’un plafond annuel."),
        _("Inscrire mon association"),
        "eligibility:association_signup",
    ),
    SignUp(
        Role.REFERRER,
        _("J’accompagne des personnes"),
        _(
            "CCAS, France Services, travailleurs sociaux, conseillers numériques : l’équipe Rebond ouvre les "
            "comptes de votre structure. Écrivez-nous à l’adresse indiquée en bas de page."
        ),
        "",
        "",
    ),
)

# The space a path belongs to, most specific first: /dons/atelier/ is the workshop's, /dons/ the donor's.
SPACES = (
    ("/eligibilite/association/", Role.ASSOCIATION),
    ("/demandes/association/", Role.ASSOCIATION),
    ("/eligibilite/prescripteur/", Role.REFERRER),
    ("/dons/atelier/", Role.WORKSHOP),
    ("/demandes/atelier/", Role.WORKSHOP),
    ("/atelier/", Role.WORKSHOP),
    ("/dons/", Role.DONOR),
    ("/eligibilite/", Role.HOUSEHOLD),
    ("/catalogue/", Role.HOUSEHOLD),
    ("/demandes/", Role.HOUSEHOLD),
)


def role_of_path(path: str) -> str | None:
    return next((role for prefix, role in SPACES if (path or "").startswith(prefix)), None)


def signups_for(next_path: str) -> tuple[SignUp | None, list[SignUp]]:
    """The sign-up matching the space `next_path` belongs to (or None), and every sign-up in display order."""
    role = role_of_path(next_path)
    wanted = next((signup for signup in SIGNUPS if signup.role == role), None)
    return wanted, list(SIGNUPS)


def email_taken(email: str | None) -> bool:
    return bool(email) and User.objects.filter(email__iexact=normalise_email(email)).exists()


def password_problems(
    password: str, *, email: str | None = "", first_name: str = "", last_name: str = ""
) -> list:
    """What the one password rule (settings.AUTH_PASSWORD_VALIDATORS) says of `password` for this person: length,
    common passwords, digits only, and likeness to their own email or name."""
    person = User(
        email=normalise_email(email) or None, first_name=first_name or "", last_name=last_name or ""
    )
    try:
        validate_password(password, person)
    except ValidationError as exc:
        return exc.messages
    return []


@transaction.atomic
def create_account(
    *,
    email: str | None,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    language: str | None = None,
) -> User:
    """The account of a newcomer. Forms check the same rules first (AccountFieldsForm) to show them by field;
    here they hold for every caller. Without a password (a household a referrer opens) the account has no
    usable password: the person signs in with an emailed link or a printed code. Its language, that of every
    message it will get, is the one of the sign-up page (the language active now) unless `language` says."""
    email = normalise_email(email) or None
    taken = InvalidInput(gettext("Un compte existe déjà avec cette adresse e-mail."), code="email_taken")
    if email_taken(email):
        raise taken
    if password is not None:
        problems = password_problems(password, email=email, first_name=first_name, last_name=last_name)
        if problems:
            raise InvalidInput(" ".join(problems), code="password")
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                first_name=first_name,
                last_name=last_name,
                language=spoken(language or get_language()),
            )
    except IntegrityError:
        # The same address sent twice at once (a double click, two tabs): the first request opened the account.
        raise taken from None
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
