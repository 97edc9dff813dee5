"""Factories for claims tests: listed devices, programmes, eligible decisions, vouchers."""

from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from inventory.enums import DeviceState, DeviceType, ErasureMethod, Grade
from inventory.models import Device, ErasureRecord, WorkshopProfile
from reuse.claims.models import Voucher, VoucherFunder
from reuse.eligibility.enums import DecisionStatus, Evidence
from reuse.eligibility.models import EligibilityDecision, Mandate
from reuse.programmes.models import Programme
from tests.factories import HouseholdFactory, OrganisationFactory, UserFactory, member_of


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    departments = ["93", "75"]
    starts_on = date(2025, 1, 1)
    criteria = ["rsa", "css"]
    accepted_evidence = ["attestation", "declaration"]
    hold_hours = 48
    household_cap_devices = 1
    household_cap_months = 24
    association_cap_per_year = 5


class WorkshopFactory(OrganisationFactory):
    class Meta:
        model = "accounts.Organisation"
        skip_postgeneration_save = True

    kind = "workshop"
    name = factory.Sequence(lambda n: f"Atelier {n}")
    phone = "01 23 45 67 89"

    @factory.post_generation
    def profile(obj, create, extracted, **kwargs):
        if create:
            WorkshopProfile.objects.create(organisation=obj, opening_hours="Mo-Fr 09:00-17:00")


class DeviceFactory(DjangoModelFactory):
    class Meta:
        model = Device
        skip_postgeneration_save = True

    workshop = factory.SubFactory(WorkshopFactory)
    asset_tag = factory.Sequence(lambda n: f"RB-{n:06d}")
    type = DeviceType.LAPTOP
    brand = "Lenovo"
    model = factory.Sequence(lambda n: f"ThinkPad T48{n % 10}")
    serial = factory.Sequence(lambda n: f"SN{n:08d}")
    state = DeviceState.LISTED
    grade = Grade.B
    price_cents = 5000
    cpu = "Intel Core i5-8250U"
    ram_gb = 8
    storage_type = "ssd"
    storage_gb = 256
    os = "Linux Mint 22"
    keyboard_layout = "azerty"

    @factory.post_generation
    def erased(obj, create, extracted, **kwargs):
        """A listed device has been wiped: the inventory rule re-checks it when a claim puts it back online."""
        if create and extracted is not False:
            ErasureRecord.objects.create(
                device=obj,
                method=ErasureMethod.PURGE,
                tool="nwipe",
                tool_version="0.35",
                media_serial=f"MEDIA-{obj.serial}",
                operator=UserFactory(),
                performed_at=timezone.now(),
                verified=True,
            )

    class Params:
        free = factory.Trait(price_cents=0)
        phone = factory.Trait(type=DeviceType.SMARTPHONE, brand="Samsung", model="Galaxy A52", ram_gb=4)


def eligible(user=None, *, programme=None, organisation=None, postcode="93200"):
    """A household (or association) with a valid eligibility decision; returns the user (or organisation)."""
    programme = programme or Programme.objects.first() or ProgrammeFactory()
    if organisation is None and user is None:
        user = HouseholdFactory(postcode=postcode).user
    author = UserFactory()
    EligibilityDecision.objects.create(
        beneficiary=user,
        beneficiary_organisation=organisation,
        programme=programme,
        status=DecisionStatus.ELIGIBLE,
        criteria=["rsa"],
        evidence=Evidence.ATTESTATION,
        author=author,
        expires_at=timezone.now() + timedelta(days=365),
    )
    return organisation or user


def eligible_association(programme=None):
    organisation = OrganisationFactory(association=True, email="asso@example.test")
    member = member_of(organisation)
    eligible(organisation=organisation, programme=programme)
    return organisation, member


def referrer_with_household(*, with_email=False):
    organisation = OrganisationFactory(referrer=True)
    referrer = member_of(organisation)
    household = HouseholdFactory(user=UserFactory(email=None) if not with_email else UserFactory()).user
    Mandate.objects.create(
        household=household,
        referrer_organisation=organisation,
        referrer=referrer,
        scopes=["eligibility", "claims"],
        consent_method="paper",
        expires_at=timezone.now() + timedelta(days=180),
    )
    eligible(household)
    return referrer, household


class FunderFactory(DjangoModelFactory):
    class Meta:
        model = VoucherFunder

    name = factory.Sequence(lambda n: f"Financeur {n}")


class VoucherFactory(DjangoModelFactory):
    class Meta:
        model = Voucher

    code = factory.Sequence(lambda n: f"PASS-{n:05d}")
    face_value_cents = 2000
    funder = factory.SubFactory(FunderFactory)
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))
