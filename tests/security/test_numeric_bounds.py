"""Numbers people write have bounds, declared once (reuse/bounds.py) and held on every write path.

The API answers a 422 naming the field, forms and the CSV import show the error at the field, and the database
refuses whatever slips past (a bulk update).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse

from donations.models import LotItem
from inventory.models import Device, WorkshopProfile
from reuse.accounts.services import issue_api_token
from reuse.bounds import FieldInvalid
from tests import fixtures
from tests.factories.donations import LotFactory, donor_with_member
from tests.factories.inventory import DeviceFactory

# The recycling workshop of tests/fixtures.py and its technician.
workshop = fixtures.workshop
technician = fixtures.technician

pytestmark = pytest.mark.django_db

# What the outside review stored through PATCH /devices/{id}, and the negatives that said "serial already used".
OUT_OF_BOUNDS = [
    ("screen_inches", 123456789.5),
    ("screen_inches", 0),
    ("screen_inches", 1e300),
    ("ram_gb", 70000),
    ("ram_gb", -1),
    ("storage_gb", 10**12),
    ("storage_gb", -8),
    ("battery_health", 500),
    ("battery_health", -3),
    ("year", 99999),
    ("year", -2020),
    ("price_cents", 2**40),
    ("price_cents", -1),
    ("media_count", 70000),
    ("media_count", -1),
]


@pytest.fixture
def api(api_client, technician):
    return api_client.with_token(issue_api_token(user=technician))


@pytest.mark.parametrize(("field", "value"), OUT_OF_BOUNDS)
def test_the_api_refuses_an_out_of_bounds_number_with_a_422_naming_the_field(api, workshop, field, value):
    device = DeviceFactory(workshop=workshop)
    before = Device.objects.filter(pk=device.pk).values().get()
    response = api.patch(f"/api/v1/devices/{device.pk}", {field: value})
    assert response.status_code == 422, response.json()
    body = response.json()
    assert body["field"] == field and body["errors"][0]["field"] == field
    assert "numéro de série" not in body["detail"]
    assert Device.objects.filter(pk=device.pk).values().get() == before


def test_numbers_within_bounds_are_kept(api, workshop):
    device = DeviceFactory(workshop=workshop)
    values = {"screen_inches": 15.6, "ram_gb": 16, "battery_health": 87, "year": 2019, "media_count": 2}
    response = api.patch(f"/api/v1/devices/{device.pk}", values)
    assert response.status_code == 200, response.json()
    assert {name: response.json()[name] for name in values} == values


def test_the_catalogue_still_answers_after_an_attempt(api, workshop, client):
    device = DeviceFactory(workshop=workshop)
    api.patch(f"/api/v1/devices/{device.pk}", {"screen_inches": 123456789.5})
    assert client.get("/api/v1/catalogue").status_code == 200


@pytest.mark.parametrize(("field", "value"), [("ram_gb", 70000), ("screen_inches", 5000), ("year", 99999)])
def test_the_database_refuses_what_bypasses_the_model(workshop, field, value):
    device = DeviceFactory(workshop=workshop)
    # SQLite refuses through the CheckConstraint (IntegrityError); PostgreSQL's narrower column types may refuse
    # first (DataError: smallint or numeric(4,1) out of range). Either way nothing is written.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Device.objects.filter(pk=device.pk).update(**{field: value})
    device.refresh_from_db()
    assert getattr(device, field) != value


def test_a_medium_read_from_a_hardware_report_is_bounded_too(workshop):
    from inventory.models import StorageMediumRecord

    medium = StorageMediumRecord(device=DeviceFactory(workshop=workshop), serial="S1", capacity_gb=10**7)
    with pytest.raises(FieldInvalid):
        medium.save()
    medium.capacity_gb = 512
    medium.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        StorageMediumRecord.objects.filter(pk=medium.pk).update(capacity_gb=10**7)


def test_every_save_checks_the_bounds(workshop):
    device = DeviceFactory(workshop=workshop)
    device.battery_health = 500
    with pytest.raises(FieldInvalid) as excinfo:
        device.save()
    assert excinfo.value.field == "battery_health"
    profile = WorkshopProfile.objects.get(organisation=workshop)
    profile.monthly_capacity = 10**9
    with pytest.raises(FieldInvalid):
        profile.save()


def test_the_device_form_shows_the_error_at_the_field(client, workshop, technician):
    device = DeviceFactory(workshop=workshop)
    client.force_login(technician)
    response = client.post(
        reverse("inventory:device_specs", args=[device.asset_tag]),
        {"type": device.type, "ram_gb": "70000", "battery_health": "500", "media_count": "1"},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "4096" in page and "100" in page
    assert Device.objects.get(pk=device.pk).ram_gb != 70000


def test_the_stock_import_names_the_column_and_writes_nothing(client, workshop, technician):
    client.force_login(technician)
    csv = "Numéro de série,Type,Mémoire vive (Go),Écran (pouces)\nA1,laptop,8,14\nB2,laptop,70000,-3\n"
    response = client.post(reverse("inventory:import"), {"file": SimpleUploadedFile("s.csv", csv.encode())})
    page = response.content.decode()
    assert "rien n’a été importé" in page
    assert "Mémoire vive (Go)" in page and "Écran (pouces)" in page
    assert not Device.objects.exists()


def test_a_manifest_line_worth_more_than_the_bound_is_refused(api_client):
    donor, user = donor_with_member()
    api = api_client.with_token(issue_api_token(user=user))
    lot = {
        "title": "Parc",
        "pickup_postcode": "93200",
        "pickup_address": "1 rue",
        "available_from": "2030-01-01",
        "items": [{"type": "laptop", "net_book_value_cents": 2**40}],
    }
    response = api.post("/api/v1/lots", lot)
    assert response.status_code == 422
    assert not LotItem.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        LotItem.objects.bulk_create([LotItem(lot=LotFactory(donor=donor), type="laptop", quantity=0)])


def test_staff_and_household_numbers_are_bounded_too():
    from reuse.accounts.models import HouseholdProfile
    from reuse.programmes.models import ProgrammePrice
    from tests.factories.accounts import HouseholdProfileFactory
    from tests.factories.claims import VoucherFactory
    from tests.factories.programmes import ProgrammeFactory

    household = HouseholdProfileFactory()
    household.household_size = 500
    with pytest.raises(FieldInvalid):
        household.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdProfile.objects.filter(pk=household.pk).update(household_size=0)
    voucher = VoucherFactory()
    voucher.face_value_cents = 2**40
    with pytest.raises(FieldInvalid):
        voucher.save()
    price = ProgrammePrice(programme=ProgrammeFactory(), device_type="laptop", grade="A", max_cents=2**40)
    with pytest.raises(FieldInvalid) as excinfo:
        price.save()
    assert excinfo.value.field == "max_cents"
