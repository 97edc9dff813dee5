import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from donations.enums import LotStatus
from donations.models import Lot, LotItem
from inventory.enums import DeviceState, DeviceType, ErasureMethod
from inventory.models import Device, ErasureRecord, WorkshopProfile
from tests.factories import OrganisationFactory, UserFactory


class WorkshopProfileFactory(DjangoModelFactory):
    class Meta:
        model = WorkshopProfile

    organisation = factory.SubFactory(OrganisationFactory, workshop=True)
    service_departments = ["93"]
    weee_partner = "Ecosystem"


class DeviceFactory(DjangoModelFactory):
    class Meta:
        model = Device

    workshop = factory.SubFactory(OrganisationFactory, workshop=True)
    asset_tag = factory.Sequence(lambda n: f"T{n:05d}")
    type = DeviceType.LAPTOP
    brand = "Lenovo"
    model = "ThinkPad T480"
    serial = factory.Sequence(lambda n: f"SN{n:06d}")
    state = DeviceState.RECEIVED

    class Params:
        ready = factory.Trait(state=DeviceState.READY, grade="B")
        listed = factory.Trait(state=DeviceState.LISTED, grade="B", price_cents=2000)
        monitor = factory.Trait(type=DeviceType.MONITOR, media_count=0)


class ErasureFactory(DjangoModelFactory):
    class Meta:
        model = ErasureRecord

    device = factory.SubFactory(DeviceFactory)
    method = ErasureMethod.PURGE
    tool = "Blancco Drive Eraser"
    tool_version = "7.9"
    media_serial = factory.Sequence(lambda n: f"DISK{n:05d}")
    operator = factory.SubFactory(UserFactory)
    performed_at = factory.LazyFunction(timezone.now)
    verified = True


class LotFactory(DjangoModelFactory):
    class Meta:
        model = Lot

    donor = factory.SubFactory(OrganisationFactory, donor=True)
    workshop = factory.SubFactory(OrganisationFactory, workshop=True)
    title = factory.Sequence(lambda n: f"Lot {n}")
    pickup_address = "4 avenue des Parcs"
    pickup_postcode = "93200"
    pickup_department = "93"
    available_from = factory.LazyFunction(lambda: timezone.localdate())
    status = LotStatus.ACCEPTED
    created_by = factory.SubFactory(UserFactory)


class LotItemFactory(DjangoModelFactory):
    class Meta:
        model = LotItem

    lot = factory.SubFactory(LotFactory)
    type = DeviceType.LAPTOP
    brand = "Dell"
    model = "Latitude 5490"
    serial = factory.Sequence(lambda n: f"LOT-SN{n:05d}")
    cpu = "Intel Core i5-8250U"
    ram_gb = 8
    storage_gb = 256
