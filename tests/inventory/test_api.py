"""The stock API of PRODUCT.md for workshops' own tools."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inventory.models import Device, DeviceEvent
from reuse.accounts.services import issue_api_token
from tests.factories.accounts import UserFactory
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client, technician):
    return api_client.with_token(issue_api_token(user=technician))


def test_list_and_read_own_devices_only(api, workshop, other_workshop):
    mine = DeviceFactory.create_batch(3, workshop=workshop)
    foreign = DeviceFactory(workshop=other_workshop)
    response = api.get("/api/v1/devices", limit=2)
    body = response.json()
    assert response.status_code == 200 and len(body["items"]) == 2 and body["next_cursor"]
    rest = api.get("/api/v1/devices", cursor=body["next_cursor"]).json()
    assert {d["id"] for d in body["items"] + rest["items"]} == {d.pk for d in mine}
    assert api.get(f"/api/v1/devices/{foreign.pk}").json()["code"] == "not_found"
    assert api.get(f"/api/v1/devices/{mine[0].pk}").json()["asset_tag"] == mine[0].asset_tag
    assert api.patch(f"/api/v1/devices/{foreign.pk}", {"brand": "x"}).status_code == 404


def test_patch_updates_specs_and_checks_bounds(api, workshop):
    device = DeviceFactory(workshop=workshop)
    response = api.patch(f"/api/v1/devices/{device.pk}", {"ram_gb": 16, "grade": "A", "os": "Debian 12"})
    assert response.status_code == 200 and response.json()["ram_gb"] == 16
    assert api.patch(f"/api/v1/devices/{device.pk}", {"grade": "Z"}).status_code == 422


def test_transition_is_409_illegal_transition_with_a_message(api, workshop):
    device = DeviceFactory(workshop=workshop, ready=True, price_cents=0)
    response = api.post(f"/api/v1/devices/{device.pk}/transition", {"to": "listed", "note": "go"})
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition" and "effacement" in response.json()["detail"]
    erasure = api.post(
        f"/api/v1/devices/{device.pk}/erasure",
        {"method": "purge", "tool": "nwipe", "tool_version": "0.34", "media_serial": "D1", "verified": True},
    )
    assert erasure.status_code == 201 and erasure.json()["verified"] is True
    response = api.post(f"/api/v1/devices/{device.pk}/transition", {"to": "listed", "note": "go"})
    assert response.status_code == 200 and response.json()["state"] == "listed"
    assert DeviceEvent.objects.filter(device=device, to_state="listed", note="go").exists()
    assert api.post(f"/api/v1/devices/{device.pk}/transition", {"to": "parts"}).status_code == 409


def test_erasure_input_is_validated(api, workshop):
    device = DeviceFactory(workshop=workshop)
    response = api.post(
        f"/api/v1/devices/{device.pk}/erasure",
        {"method": "shred", "tool": "", "tool_version": "", "media_serial": "", "verified": True},
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid"


def test_an_erasure_dated_without_an_offset_is_read_in_the_site_time_zone(api, workshop):
    """A tool sending « 2026-01-05T10:00:00 » (no offset): compared with now, it raised a server error."""
    device = DeviceFactory(workshop=workshop)
    erasure = {
        "method": "clear",
        "tool": "nwipe",
        "tool_version": "0.34",
        "media_serial": "WD-1",
        "verified": True,
    }
    future = api.post(
        f"/api/v1/devices/{device.pk}/erasure", {**erasure, "performed_at": "2099-01-05T10:00:00"}
    )
    assert future.status_code == 422
    recorded = api.post(
        f"/api/v1/devices/{device.pk}/erasure", {**erasure, "performed_at": "2026-01-05T10:00:00"}
    )
    assert recorded.status_code == 201, recorded.json()
    assert recorded.json()["performed_at"].startswith("2026-01-05T10:00:00+01:00")


def test_a_patch_with_null_clears_a_text_and_is_refused_where_nothing_may_be_empty(api, workshop):
    """`"repair_notes": null` from a tool: the database refused the null with a server error (found by the fuzzer)."""
    device = DeviceFactory(workshop=workshop, brand="Lenovo", repair_notes="Clavier changé")
    cleared = api.patch(f"/api/v1/devices/{device.pk}", {"repair_notes": None, "brand": None, "year": None})
    assert cleared.status_code == 200, cleared.json()
    device.refresh_from_db()
    assert (device.repair_notes, device.brand, device.year) == ("", "", None)
    refused = api.patch(f"/api/v1/devices/{device.pk}", {"media_count": None})
    assert refused.status_code == 422 and refused.json()["code"] == "invalid", refused.json()


def test_recycling_through_the_api_needs_channel_and_reference(api, workshop):
    device = DeviceFactory(workshop=workshop)
    assert api.post(f"/api/v1/devices/{device.pk}/transition", {"to": "recycled"}).status_code == 409
    response = api.post(
        f"/api/v1/devices/{device.pk}/transition",
        {"to": "recycled", "recycle_channel": "Ecosystem", "recycle_reference": "BSD-3"},
    )
    assert response.json()["recycle_reference"] == "BSD-3"


def test_csv_import_through_the_api(api, workshop, client):
    ok = client.post(
        "/api/v1/devices/import",
        {"file": SimpleUploadedFile("s.csv", b"serial;type;brand\nN1;laptop;HP\nN2;smartphone;Fairphone\n")},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert ok.status_code == 200 and ok.json() == {"created": 2, "updated": 0, "lost_letters": []}
    bad = client.post(
        "/api/v1/devices/import",
        {"file": SimpleUploadedFile("s.csv", b"serial;type\nN1;laptop\nN3;fridge\n")},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["row"] == 3
    assert Device.objects.count() == 2


def test_check_in_by_api_and_people_outside_workshops(api, api_client, workshop):
    response = api.post("/api/v1/devices", {"type": "laptop", "serial": "W1"})
    assert response.status_code == 201 and len(response.json()["asset_tag"]) == 6
    assert api.post("/api/v1/devices", {"type": "laptop", "serial": "W1"}).status_code == 200
    outsider = api_client.with_token(issue_api_token(user=UserFactory()))
    assert outsider.get("/api/v1/devices").json()["items"] == []
    assert outsider.post("/api/v1/devices", {"type": "laptop"}).status_code == 403
    assert api_client.get("/api/v1/devices").status_code == 401
