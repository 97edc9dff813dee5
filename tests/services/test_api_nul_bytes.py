"""A NUL character in any text the API reads, on PostgreSQL: its text columns refuse \\x00 (« invalid byte
sequence for encoding UTF8: 0x00 ») where SQLite stores it, so a filter or a write that reached the database
answered 500 in production while every SQLite test passed. The API's parser refuses it before any schema, in a
JSON body, a query string and an upload's form fields alike (reuse/api_input.py): a 400 in the person's words,
nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from donations.models import Lot
from inventory.models import Device
from reuse.accounts.services import issue_api_token
from tests.donations.test_lots import LOT
from tests.factories.donations import donor_with_member
from tests.factories.inventory import DeviceFactory, workshop_with_member

pytestmark = pytest.mark.django_db(transaction=True)


def headers(user) -> dict:
    return {"Authorization": f"Bearer {issue_api_token(user=user)}"}


def assert_refused(response):
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert "nul" in response.json()["detail"]


def test_the_database_is_postgresql():
    assert connection.vendor == "postgresql"


def test_a_nul_in_a_json_body_is_a_400_and_writes_nothing(client):
    _donor, user = donor_with_member()
    workshop, technician = workshop_with_member()
    device = DeviceFactory(workshop=workshop, brand="Dell")

    assert_refused(
        client.post(
            "/api/v1/lots",
            {**LOT, "title": "Parc\x00"},
            content_type="application/json",
            headers=headers(user),
        )
    )
    assert_refused(
        client.patch(
            f"/api/v1/devices/{device.pk}",
            {"brand": "a\x00b"},
            content_type="application/json",
            headers=headers(technician),
        )
    )
    # A key is text too.
    assert_refused(
        client.post(
            "/api/v1/lots", {**LOT, "ti\x00tle": "x"}, content_type="application/json", headers=headers(user)
        )
    )
    assert not Lot.objects.exists()
    assert Device.objects.get(pk=device.pk).brand == "Dell"


def test_a_nul_in_a_query_filter_is_a_400(client):
    _workshop, technician = workshop_with_member()

    assert_refused(client.get("/api/v1/devices", {"serial": "SN\x001"}, headers=headers(technician)))
    assert_refused(client.get("/api/v1/catalogue", {"q": "thinkpad\x00"}))


def test_a_nul_in_an_upload_form_field_is_a_400_and_imports_nothing(client):
    workshop, technician = workshop_with_member()
    upload = SimpleUploadedFile("stock.csv", b"type;serial\nlaptop;S1\n", content_type="text/csv")

    response = client.post(
        "/api/v1/devices/import",
        {"file": upload, "workshop_id": f"{workshop.pk}\x00"},
        headers=headers(technician),
    )

    assert_refused(response)
    assert not Device.objects.exists()
