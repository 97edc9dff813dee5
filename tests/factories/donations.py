"""Donors' lots and their manifest lines."""

from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from donations.enums import LotStatus
from donations.models import Lot, LotItem
from inventory.enums import DeviceType
from tests.factories.accounts import OrganisationFactory, UserFactory, member_of


class LotFactory(DjangoModelFactory):
    """A donor's draft lot, available for pickup in a week."""

    class Meta:
        model = Lot

    donor = factory.SubFactory(OrganisationFactory, donor=True)
    title = factory.Sequence(lambda n: f"Lot {n}")
    pickup_address = "4 avenue des Parcs"
    pickup_postcode = "93200"
    available_from = factory.LazyFunction(lambda: date.today() + timedelta(days=7))
    created_by = factory.SubFactory(UserFactory)

    class Params:
        submitted = factory.Trait(status=LotStatus.SUBMITTED)
        accepted = factory.Trait(status=LotStatus.ACCEPTED)
        received = factory.Trait(status=LotStatus.RECEIVED)
        # Accepted by a workshop and available today: what the workshop's bench receives.
        assigned = factory.Trait(
            status=LotStatus.ACCEPTED,
            workshop=factory.SubFactory(OrganisationFactory, workshop=True),
            available_from=factory.LazyFunction(timezone.localdate),
        )


class LotItemFactory(DjangoModelFactory):
    class Meta:
        model = LotItem

    lot = factory.SubFactory(LotFactory)
    type = DeviceType.LAPTOP
    brand = "Lenovo"
    model = "ThinkPad T480"
    serial = factory.Sequence(lambda n: f"PF{n:08d}")
    row_number = factory.Sequence(lambda n: n + 2)

    class Params:
        # A line typed at the bench rather than read from a manifest: specs, no row number, in an assigned lot.
        described = factory.Trait(
            lot=factory.SubFactory(LotFactory, assigned=True),
            brand="Dell",
            model="Latitude 5490",
            serial=factory.Sequence(lambda n: f"LOT-SN{n:05d}"),
            row_number=None,
            cpu="Intel Core i5-8250U",
            ram_gb=8,
            storage_gb=256,
        )


def donor_with_member(**kwargs):
    donor = OrganisationFactory(donor=True, **kwargs)
    return donor, member_of(donor)


def manifest_lines(lot, start: int, stop: int) -> None:
    """Serialised laptop lines FLEET-<start> … FLEET-<stop - 1> of a large lot's manifest, written in one query."""
    LotItem.objects.bulk_create(
        LotItem(
            lot=lot,
            type=DeviceType.LAPTOP,
            brand="Dell",
            model="Latitude 5490",
            serial=f"FLEET-{n:05d}",
            row_number=n,
        )
        for n in range(start, stop)
    )
