"""Factories for donations (and the inventory rows a donations test needs, created directly)."""

import csv
import io
from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from donations.enums import LotStatus
from donations.models import Lot, LotItem
from inventory.enums import DeviceState, DeviceType, ErasureMethod, StorageMedium
from inventory.models import Device, ErasureRecord, WorkshopProfile
from tests.factories import OrganisationFactory, UserFactory, member_of


class LotFactory(DjangoModelFactory):
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


class LotItemFactory(DjangoModelFactory):
    class Meta:
        model = LotItem

    lot = factory.SubFactory(LotFactory)
    type = DeviceType.LAPTOP
    brand = "Lenovo"
    model = "ThinkPad T480"
    serial = factory.Sequence(lambda n: f"PF{n:08d}")
    row_number = factory.Sequence(lambda n: n + 2)


class WorkshopProfileFactory(DjangoModelFactory):
    class Meta:
        model = WorkshopProfile

    organisation = factory.SubFactory(OrganisationFactory, workshop=True)
    service_departments = factory.LazyFunction(lambda: ["93"])
    monthly_capacity = 100


class DeviceFactory(DjangoModelFactory):
    class Meta:
        model = Device

    workshop = factory.SubFactory(OrganisationFactory, workshop=True)
    lot = None
    asset_tag = factory.Sequence(lambda n: f"RB-{n:06d}")
    type = DeviceType.LAPTOP
    brand = "Lenovo"
    model = "ThinkPad T480"
    serial = factory.Sequence(lambda n: f"PF{n:08d}")
    state = DeviceState.RECEIVED

    class Params:
        handed_over = factory.Trait(state=DeviceState.HANDED_OVER, grade="B", outcome_department="93")
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
    media_type = StorageMedium.SSD
    media_make = "Samsung"
    media_model = "PM981"
    media_serial = factory.Sequence(lambda n: f"S4DY{n:06d}")
    operator = factory.SubFactory(UserFactory)
    performed_at = factory.LazyFunction(timezone.now)
    verified = True


def donor_with_member(**kwargs):
    donor = OrganisationFactory(donor=True, **kwargs)
    return donor, member_of(donor)


def workshop_with_member(departments=("93",), capacity=100, may_issue_tax_receipts=False):
    profile = WorkshopProfileFactory(
        service_departments=list(departments),
        monthly_capacity=capacity,
        may_issue_tax_receipts=may_issue_tax_receipts,
    )
    return profile.organisation, member_of(profile.organisation)


FRENCH_HEADER = [
    "Type d'appareil",
    "Marque",
    "Modèle",
    "Numéro de série",
    "Numéro d'inventaire",
    "Année",
    "Processeur",
    "Mémoire",
    "Stockage",
    "État",
    "Quantité",
]


def french_rows(count=3, start=1):
    return [
        [
            "Ordinateur portable",
            "Lenovo",
            "ThinkPad T480",
            f"PF1{i:07d}",
            f"INV-{i:05d}",
            "2019",
            "Intel Core i5-8350U",
            "8 Go",
            "256 Go",
            "Écran rayé, fonctionne",
            "1",
        ]
        for i in range(start, start + count)
    ]


def csv_bytes(rows, header=FRENCH_HEADER, delimiter=";", encoding="cp1252", bom=False):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows, header=FRENCH_HEADER):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
