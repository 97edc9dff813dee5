import datetime

import factory
from factory.django import DjangoModelFactory

from inventory.models import WorkshopProfile
from reuse.eligibility.enums import Criterion, Evidence
from reuse.programmes.models import Programme, ProgrammePrice
from tests.factories import OrganisationFactory


class WorkshopProfileFactory(DjangoModelFactory):
    class Meta:
        model = WorkshopProfile

    organisation = factory.SubFactory(OrganisationFactory, workshop=True)
    service_departments = factory.LazyAttribute(lambda profile: [profile.organisation.department])
    opening_hours = "Mo-Fr 09:00-17:00"
    latitude = "48.85000"
    longitude = "2.35000"


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    departments = ["93"]
    starts_on = datetime.date(2026, 1, 1)
    criteria = [Criterion.RSA, Criterion.QUOTIENT_FAMILIAL]
    quotient_familial_max_eur = 700
    accepted_evidence = [Evidence.ATTESTATION]
    household_cap_devices = 1
    household_cap_months = 24

    class Params:
        ended = factory.Trait(ends_on=datetime.date(2026, 2, 1))


class ProgrammePriceFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammePrice

    programme = factory.SubFactory(ProgrammeFactory)
    device_type = "laptop"
    grade = "B"
    min_cents = 3000
    max_cents = 9000
