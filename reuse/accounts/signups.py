"""Where a newcomer creates an account, by role: the sign-in page offers each, and puts first the one that
matches the space the person was heading to (the `next` of the sign-in page)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reuse.accounts.enums import Role


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
