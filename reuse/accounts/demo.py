"""Demo accounts and organisations (PRODUCT.md). Idempotent; built on the same services as the app."""

from django.db import transaction

from reuse.accounts import services
from reuse.accounts.enums import MembershipRole, OrganisationKind, OrganisationStatus
from reuse.accounts.models import HouseholdProfile, Organisation, User

ORDER = 0
DEMO_PASSWORD = "demo-pass-2026"

ORGANISATIONS = {
    "hub": dict(
        kind=OrganisationKind.HUB,
        name="Rebond (équipe d’animation)",
        siret="88900000600011",
        address="10 rue de la Solidarité",
        postcode="75011",
        city="Paris",
        email="hub@example.org",
    ),
    "donor": dict(
        kind=OrganisationKind.DONOR,
        name="Assurances Mutuelles du Centre",
        siret="55200000200014",
        address="4 avenue des Parcs",
        postcode="93200",
        city="Saint-Denis",
        email="donateur@example.org",
    ),
    "workshop": dict(
        kind=OrganisationKind.WORKSHOP,
        name="Atelier du Rebond Saint-Denis",
        siret="41200000200011",
        address="12 rue Gabriel Péri",
        postcode="93200",
        city="Saint-Denis",
        email="atelier@example.org",
        phone="01 23 45 67 89",
    ),
    "referrer": dict(
        kind=OrganisationKind.REFERRER,
        name="CCAS de Saint-Denis",
        siret="21300000300011",
        address="2 place Victor Hugo",
        postcode="93200",
        city="Saint-Denis",
        email="prescripteur@example.org",
    ),
    "association": dict(
        kind=OrganisationKind.ASSOCIATION,
        name="Association Lire et Écrire 93",
        rna="W931234567",
        address="8 rue du Landy",
        postcode="93300",
        city="Aubervilliers",
        email="association@example.org",
    ),
}

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
    data = ORGANISATIONS[key]
    existing = Organisation.objects.filter(kind=data["kind"], name=data["name"]).first()
    if existing:
        return existing
    return services.register_organisation(**data, status=OrganisationStatus.APPROVED)


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
            services.add_member(organisation=demo_organisation(org_key), user=user, role=MembershipRole.ADMIN)
        elif not HouseholdProfile.objects.filter(user=user).exists():
            HouseholdProfile.objects.create(user=user, postcode="93200", household_size=3)
    stdout.write(f"  {len(PEOPLE)} comptes de démonstration (mot de passe : {DEMO_PASSWORD})")
