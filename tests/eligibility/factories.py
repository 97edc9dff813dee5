import datetime

import factory
from factory.django import DjangoModelFactory

from reuse.eligibility.enums import Criterion, Evidence
from reuse.eligibility.models import ReferrerAccreditation
from reuse.programmes.models import Programme
from tests.factories import HouseholdFactory, OrganisationFactory, UserFactory, member_of


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    departments = factory.LazyFunction(lambda: ["93", "95"])
    starts_on = datetime.date(2025, 1, 1)
    criteria = factory.LazyFunction(lambda: list(Criterion.values))
    quotient_familial_max_eur = 700
    accepted_evidence = factory.LazyFunction(
        lambda: [Evidence.ATTESTATION, Evidence.DOCUMENT, Evidence.API_PARTICULIER]
    )
    api_particulier_recipient_siret = "21930066200015"

    class Params:
        declarations = factory.Trait(
            accepted_evidence=[Evidence.ATTESTATION, Evidence.DOCUMENT, Evidence.DECLARATION]
        )


class AccreditationFactory(DjangoModelFactory):
    class Meta:
        model = ReferrerAccreditation

    organisation = factory.SubFactory(OrganisationFactory, referrer=True)
    accredited_by = factory.SubFactory(UserFactory, is_staff=True)


def household(**kwargs):
    user_kwargs = {
        key: kwargs.pop(key) for key in list(kwargs) if key in ("email", "first_name", "last_name")
    }
    return HouseholdFactory(user=UserFactory(**user_kwargs), **kwargs).user


def accredited_referrer():
    accreditation = AccreditationFactory()
    return member_of(accreditation.organisation), accreditation.organisation
