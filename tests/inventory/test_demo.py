"""seed_demo gives the demo workshop a believable stock, and every seeded device page renders."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from inventory.enums import DATA_BEARING_TYPES, DeviceState
from inventory.models import Device, PartUse, WorkshopProfile
from inventory.transitions import erasure_missing
from reuse.accounts.demo import demo_organisation, demo_user

pytestmark = pytest.mark.django_db


def test_the_demo_workshop_holds_devices_in_every_state(demo, client):
    workshop = demo_organisation("workshop")
    profile = WorkshopProfile.objects.get(organisation=workshop)
    assert profile.service_departments == ["93", "95", "75", "92", "94"]
    assert (
        profile.opening_hours == "Mo-Fr 09:00-17:00"
        and profile.may_issue_tax_receipts
        and profile.weee_partner
    )
    devices = Device.objects.filter(workshop=workshop)
    assert set(devices.values_list("state", flat=True)) == set(DeviceState.values)
    unwiped = devices.filter(state=DeviceState.RECEIVED, type="laptop", erasures__isnull=True)
    assert unwiped.count() >= 3
    listed = devices.filter(state=DeviceState.LISTED)
    assert 24 <= listed.count() <= 60
    assert listed.filter(price_cents=0).exists() and listed.filter(price_cents__gt=0).exists()
    for device in listed.filter(type__in=list(DATA_BEARING_TYPES)):
        assert erasure_missing(device) == 0 and device.grade
    recycled = devices.filter(state=DeviceState.RECYCLED).first()
    assert recycled.recycle_channel and recycle_reference_ok(recycled)
    assert PartUse.objects.filter(donor__workshop=workshop).exists()

    client.force_login(demo_user("atelier@example.org"))
    for device in devices:
        assert client.get(reverse("inventory:device", args=[device.asset_tag])).status_code == 200
    assert client.get(reverse("inventory:dashboard")).status_code == 200


def recycle_reference_ok(device):
    return device.recycle_reference.startswith("BSD-")


def test_seed_demo_is_idempotent_and_adds_bulk_devices_on_request(demo):
    before = Device.objects.count()
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))
    assert Device.objects.count() == before
    call_command("seed_demo", "--force", "--devices", "120", stdout=open("/dev/null", "w"))
    assert Device.objects.count() == before + 120
    assert Device.objects.filter(serial__startswith="BULK-").values("received_at").distinct().count() > 1
    assert not Device.objects.filter(
        state="listed", type__in=list(DATA_BEARING_TYPES), erasures__isnull=True
    ).exists()


def test_bench_inventory_prints_its_figures(db):
    import io

    out = io.StringIO()
    call_command("bench_inventory", "--force", "--devices", "60", "--tags", "12", "--repeat", "1", stdout=out)
    text = out.getvalue()
    assert "stock de l’atelier : 60 appareils" in text
    assert re.search(r"page 1\s+médiane\s+[\d.]+ ms\s+\d+ requêtes", text)
    assert "12 étiquettes « en réparation »" in text and "(12 réussies" in text
