"""Demo accounts and organisations (PRODUCT.md). Idempotent; built on the same services as the app."""

from django.db import transaction

from reuse.accounts import services
from reuse.accounts.enums import MembershipRole, OrganisationKind, OrganisationStatus
from reuse.accounts.models import HouseholdProfile, Organisation, User

ORDER = 0
DEMO_PASSWORD = "demo-pass-2026"

# One row per organisation, read by demo_organisation() into services.register_organisation: its kind is its key,
# its contact email that of its member in PEOPLE.
# fmt: off
ORGANISATIONS = {
    # key:          name                              SIRET (RNA)       street                    postcode city
    "hub":         ("Rebond (équipe d’animation)",    "88900000600011", "10 rue de la Solidarité", "75011", "Paris"),
    "donor":       ("Assurances Mutuelles du Centre", "55200000200014", "4 avenue des Parcs",     "93200", "Saint-Denis"),
    "workshop":    ("Atelier du Rebond Saint-Denis",  "41200000200011", "12 rue Gabriel Péri",    "93200", "Saint-Denis"),
    "referrer":    ("CCAS de Saint-Denis",            "21300000300011", "2 place Victor Hugo",    "93200", "Saint-Denis"),
    "association": ("Association Lire et Écrire 93",  "W931234567",     "8 rue du Landy",         "93300", "Aubervilliers"),
}
# fmt: on
PHONES = {"workshop": "01 23 45 67 89"}

PEOPLE = [
    # email, first name, last name, organisation key (None for a household), staff
    ("hub@example.org", "Camille", "Martin", "hub", True),
    ("donateur@example.org", "Didier", "Laurent", "donor", False),
    ("atelier@example.org", "Awa", "Diallo", "workshop", False),
    ("prescripteur@example.org", "Sophie", "Bernard", "referrer", False),
    ("association@example.org", "Karim", "Haddad", "association", False),
    ("beneficiaire@example.org", "Nadia", "Benali", None, False),
]


def demo_organisation(key: str) -> Organisation:
    kind = OrganisationKind(key)
    number = "rna" if kind == OrganisationKind.ASSOCIATION else "siret"
    fields = dict(zip(("name", number, "address", "postcode", "city"), ORGANISATIONS[key], strict=True))
    existing = Organisation.objects.filter(kind=kind, name=fields["name"]).first()
    if existing:
        return existing
    email = next(person[0] for person in PEOPLE if person[3] == key)
    return services.register_organisation(
        kind=kind,
        details=services.OrganisationDetails(email=email, phone=PHONES.get(key, ""), **fields),
        status=OrganisationStatus.APPROVED,
    )


def demo_user(email: str) -> User:
    return User.objects.get(email=email)


@transaction.atomic
def seed(*, stdout, devices: int = 0) -> None:
    for email, first_name, last_name, org_key, staff in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            if org_key is None:
                user = services.create_household(
                    first_name=first_name,
                    last_name=last_name,
                    email=email,
                    password=DEMO_PASSWORD,
                    postcode="93200",
                    household_size=3,
                )
            else:
                user = User.objects.create_user(
                    email=email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name
                )
        if staff and not user.is_staff:
            user.is_staff = True
            user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        if org_key:
            services.add_member(
                organisation=demo_organisation(org_key), user=user, role=MembershipRole.ADMIN, by=user
            )
        elif not HouseholdProfile.objects.filter(user=user).exists():
            HouseholdProfile.objects.create(user=user, postcode="93200", household_size=3)
    stdout.write(f"  {len(PEOPLE)} comptes de démonstration (mot de passe : {DEMO_PASSWORD})")
