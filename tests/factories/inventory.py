"""Workshop profiles, devices and erasure records.

A device starts as the workshop receives it; traits move it along its lifecycle. `listed=True` is the device a
household finds in the catalogue: at a workshop with opening hours, priced, described and verifiably wiped.
"""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from inventory.enums import DeviceState, DeviceType, ErasureMethod, Grade, StorageMedium
from inventory.models import Device, ErasureRecord, ErasureReport, WorkshopProfile
from tests.factories.accounts import OrganisationFactory, UserFactory, member_of


class WorkshopProfileFactory(DjangoModelFactory):
    class Meta:
        model = WorkshopProfile

    organisation = factory.SubFactory(OrganisationFactory, workshop=True)
    service_departments = factory.LazyAttribute(lambda profile: [profile.organisation.department])
    legal_status = "association_ig"

    class Params:
        recycles = factory.Trait(weee_partner="Ecosystem")
        on_map = factory.Trait(opening_hours="Mo-Fr 09:00-17:00", latitude="48.85000", longitude="2.35000")


class DeviceFactory(DjangoModelFactory):
    class Meta:
        model = Device
        skip_postgeneration_save = True

    workshop = factory.SubFactory(OrganisationFactory, workshop=True)
    asset_tag = factory.Sequence(lambda n: f"RB-{n:06d}")
    type = DeviceType.LAPTOP
    brand = "Lenovo"
    model = "ThinkPad T480"
    serial = factory.Sequence(lambda n: f"SN{n:08d}")
    state = DeviceState.RECEIVED

    class Params:
        ready = factory.Trait(state=DeviceState.READY, grade=Grade.B)
        listed = factory.Trait(
            workshop=factory.SubFactory(OrganisationFactory, open_workshop=True),
            model=factory.Sequence(lambda n: f"ThinkPad T48{n % 10}"),
            state=DeviceState.LISTED,
            grade=Grade.B,
            price_cents=5000,
            cpu="Intel Core i5-8250U",
            ram_gb=8,
            storage_type="ssd",
            storage_gb=256,
            os="Linux Mint 22",
            keyboard_layout="azerty",
            # The listing rule wants a verified wipe of each medium; `erased=False` leaves it out.
            erased=factory.RelatedFactory(
                "tests.factories.inventory.ErasureRecordFactory", factory_related_name="device"
            ),
        )
        free = factory.Trait(price_cents=0)
        phone = factory.Trait(type=DeviceType.SMARTPHONE, brand="Samsung", model="Galaxy A52", ram_gb=4)
        monitor = factory.Trait(type=DeviceType.MONITOR, media_count=0)
        handed_over = factory.Trait(state=DeviceState.HANDED_OVER, grade=Grade.B, outcome_department="93")
        recycled = factory.Trait(
            state=DeviceState.RECYCLED, recycle_channel="Ecologic", recycle_reference="BSD-1"
        )
        parts = factory.Trait(state=DeviceState.PARTS)


class ErasureRecordFactory(DjangoModelFactory):
    class Meta:
        model = ErasureRecord

    device = factory.SubFactory(DeviceFactory)
    method = ErasureMethod.PURGE
    tool = "nwipe"
    tool_version = "0.37"
    media_serial = factory.Sequence(lambda n: f"S4DY{n:06d}")
    operator = factory.SubFactory(UserFactory)
    performed_at = factory.LazyFunction(timezone.now)
    verified = True

    class Params:
        ssd = factory.Trait(media_type=StorageMedium.SSD, media_make="Samsung", media_model="PM981")
        # A failed hard disk shredded rather than wiped (NIST SP 800-88 Destroy), by the workshop's shredder.
        shredded = factory.Trait(
            method=ErasureMethod.DESTROY,
            media_type=StorageMedium.HDD,
            tool="HSM Powerline",
            tool_version="HDS 230",
        )


class ErasureReportFactory(DjangoModelFactory):
    """An nwipe log a workshop imported, kept privately as the evidence of its records."""

    class Meta:
        model = ErasureReport

    workshop = factory.SubFactory(OrganisationFactory, workshop=True)
    file = factory.django.FileField(filename="nwipe.log", data=b"nwipe")
    filename = "nwipe.log"
    size = 5
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    kind = "nwipe-log"
    tool = "nwipe"
    tool_version = "0.37"
    uploaded_by = factory.SubFactory(UserFactory)


def workshop_with_member(departments=("93",), capacity=100, may_issue_tax_receipts=False):
    profile = WorkshopProfileFactory(
        service_departments=list(departments),
        monthly_capacity=capacity,
        may_issue_tax_receipts=may_issue_tax_receipts,
    )
    return profile.organisation, member_of(profile.organisation)
