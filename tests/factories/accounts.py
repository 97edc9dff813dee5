"""Users, households, organisations and memberships. Traits give each organisation kind."""

import factory
from factory.django import DjangoModelFactory
from stdnum import luhn

from reuse.accounts.enums import MembershipRole, OrganisationKind, OrganisationStatus
from reuse.accounts.models import HouseholdProfile, Membership, Organisation, User

PASSWORD = "correct-horse-battery-2026"


def valid_siret(n: int) -> str:
    """A valid SIRET (Luhn-valid SIREN, then Luhn-valid SIRET) that is unique per n (never La Poste's SIREN)."""
    head = f"8{n:07d}"
    siren = head + luhn.calc_check_digit(head)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def persist_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class HouseholdProfileFactory(DjangoModelFactory):
    class Meta:
        model = HouseholdProfile

    user = factory.SubFactory(UserFactory)
    postcode = "93200"
    household_size = 2


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    kind = OrganisationKind.DONOR
    name = factory.Sequence(lambda n: f"Organisation {n}")
    siret = factory.Sequence(valid_siret)
    address = "1 rue de la Paix"
    postcode = "93200"
    city = "Saint-Denis"
    department = "93"
    status = OrganisationStatus.APPROVED

    class Params:
        donor = factory.Trait(kind=OrganisationKind.DONOR)
        workshop = factory.Trait(kind=OrganisationKind.WORKSHOP)
        referrer = factory.Trait(kind=OrganisationKind.REFERRER)
        association = factory.Trait(
            kind=OrganisationKind.ASSOCIATION, siret="", rna=factory.Sequence(lambda n: f"W{n:09d}")
        )
        hub = factory.Trait(kind=OrganisationKind.HUB)
        pending = factory.Trait(status=OrganisationStatus.PENDING)
        # A workshop households come to: a name, a phone and opening hours shown on the claim's pickup page.
        open_workshop = factory.Trait(
            kind=OrganisationKind.WORKSHOP,
            name=factory.Sequence(lambda n: f"Atelier {n}"),
            phone="01 23 45 67 89",
            profile=factory.RelatedFactory(
                "tests.factories.inventory.WorkshopProfileFactory",
                factory_related_name="organisation",
                service_departments=[],
                opening_hours="Mo-Fr 09:00-17:00",
            ),
        )


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.ADMIN


def member_of(organisation: Organisation, **user_kwargs) -> User:
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, organisation=organisation)
    return user


def household(**kwargs) -> User:
    """A household's user; name and email go to the user, the rest (postcode, size…) to its profile."""
    user_kwargs = {
        key: kwargs.pop(key) for key in list(kwargs) if key in ("email", "first_name", "last_name")
    }
    return HouseholdProfileFactory(user=UserFactory(**user_kwargs), **kwargs).user
