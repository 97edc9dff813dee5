"""What an integration's script meets on a bad network: a write sent again after a timeout, and two tools editing
one device at once.

A retried POST carries the same `Idempotency-Key` header (the IETF HTTPAPI draft "The Idempotency-Key HTTP Header
Field", draft-ietf-httpapi-idempotency-key-header, and Stripe's API, which scripts already know): the second
answer is the first one replayed, nothing is written twice. A PATCH carries the `ETag` its tool read in `If-Match`
(RFC 9110 §13.1.1): a device another tool changed since is refused with 412, not silently overwritten.
"""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db.models.signals import post_save
from django.test import Client, RequestFactory
from django.utils import timezone

from donations.models import ImportJob, Lot
from inventory.models import Device, ErasureRecord
from reuse import api_retries
from reuse.accounts.models import IdempotentRequest
from reuse.accounts.services import issue_api_token
from reuse.accounts.tasks import forget_idempotent_requests
from reuse.celery import app
from reuse.claims.models import Claim
from tests.donations.test_lots import LOT
from tests.factories.donations import LotFactory, donor_with_member
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory, workshop_with_member
from tests.factories.manifests import csv_bytes, french_rows

pytestmark = pytest.mark.django_db


def api_as(user, **headers) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_api_token(user=user, name='outil')}", **headers})


def post(client, path, body, key=None, **headers):
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(path, body, content_type="application/json", headers=headers)


def test_a_lot_posted_again_after_a_timeout_is_created_once():
    _donor, user = donor_with_member()
    client = api_as(user)
    first = post(client, "/api/v1/lots", LOT, key="lot-2026-12-03-a")
    again = post(client, "/api/v1/lots", LOT, key="lot-2026-12-03-a")
    assert first.status_code == again.status_code == 201, again.content
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Lot.objects.count() == 1
    # Another key is another lot: the key, not the body, says "the same request".
    assert post(client, "/api/v1/lots", LOT, key="lot-2026-12-03-b").status_code == 201
    assert Lot.objects.count() == 2


def test_a_key_sent_again_with_another_body_is_refused_and_writes_nothing():
    _donor, user = donor_with_member()
    client = api_as(user, **{"Accept-Language": "en"})
    assert post(client, "/api/v1/lots", LOT, key="k-1").status_code == 201
    other = post(client, "/api/v1/lots", {**LOT, "title": "Autre lot"}, key="k-1")
    assert other.status_code == 422, other.content
    assert other.json()["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in other.json()["detail"] and "clé" not in other.json()["detail"]
    assert Lot.objects.count() == 1


def test_a_refused_request_leaves_its_key_free_for_the_corrected_one():
    _donor, user = donor_with_member()
    client = api_as(user)
    refused = post(client, "/api/v1/lots", {**LOT, "available_from": "demain"}, key="k-2")
    assert refused.status_code == 422
    assert post(client, "/api/v1/lots", LOT, key="k-2").status_code == 201
    assert Lot.objects.count() == 1


def test_keys_belong_to_their_sender():
    """Two organisations' scripts may pick the same key: neither reads the other's answer."""
    _donor, first_user = donor_with_member()
    _other, second_user = donor_with_member()
    mine = post(api_as(first_user), "/api/v1/lots", LOT, key="shared")
    theirs = post(api_as(second_user), "/api/v1/lots", LOT, key="shared")
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert "Idempotent-Replayed" not in theirs


def test_a_claim_sent_again_returns_the_same_reservation(programme):
    household = eligible()
    device = DeviceFactory(listed=True)
    client = api_as(household)
    first = post(client, "/api/v1/claims", {"device_id": device.pk}, key="claim-1")
    again = post(client, "/api/v1/claims", {"device_id": device.pk}, key="claim-1")
    assert first.status_code == 201, first.content
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"], again.content
    assert Claim.objects.count() == 1


def test_an_erasure_sent_again_is_recorded_once():
    workshop, technician = workshop_with_member()
    device = DeviceFactory(workshop=workshop)
    erasure = {
        "method": "purge",
        "tool": "nwipe",
        "tool_version": "0.34",
        "media_serial": "WD-9",
        "verified": True,
    }
    client = api_as(technician)
    path = f"/api/v1/devices/{device.pk}/erasure"
    first = post(client, path, erasure, key="erase-WD-9")
    again = post(client, path, erasure, key="erase-WD-9")
    assert first.status_code == again.status_code == 201, again.content
    assert ErasureRecord.objects.filter(device=device).count() == 1


def test_a_malformed_key_is_refused_before_anything_is_written():
    _donor, user = donor_with_member()
    response = post(api_as(user), "/api/v1/lots", LOT, key="x" * 300)
    assert response.status_code == 400 and response.json()["code"] == "invalid_idempotency_key"
    assert Lot.objects.count() == 0


def test_two_tools_patching_one_device_do_not_lose_an_update():
    workshop, technician = workshop_with_member()
    device = DeviceFactory(workshop=workshop, ram_gb=8, brand="Dell")
    bench, inventory_tool = api_as(technician), api_as(technician)
    path = f"/api/v1/devices/{device.pk}"
    read = bench.get(path)
    etag = read["ETag"]
    assert etag and inventory_tool.get(path)["ETag"] == etag
    saved = bench.patch(path, {"ram_gb": 16}, content_type="application/json", headers={"If-Match": etag})
    assert saved.status_code == 200 and saved["ETag"] != etag
    stale = inventory_tool.patch(
        path, {"brand": "HP"}, content_type="application/json", headers={"If-Match": etag}
    )
    assert stale.status_code == 412, stale.content
    assert stale.json()["code"] == "precondition_failed"
    assert Device.objects.values_list("ram_gb", "brand").get(pk=device.pk) == (16, "Dell")
    fresh = inventory_tool.patch(
        path, {"brand": "HP"}, content_type="application/json", headers={"If-Match": saved["ETag"]}
    )
    assert fresh.status_code == 200 and fresh.json()["brand"] == "HP" and fresh.json()["ram_gb"] == 16


def test_a_transition_from_a_stale_read_is_refused():
    workshop, technician = workshop_with_member()
    device = DeviceFactory(workshop=workshop)
    client = api_as(technician)
    path = f"/api/v1/devices/{device.pk}"
    etag = client.get(path)["ETag"]
    client.patch(path, {"grade": "B"}, content_type="application/json")
    moved = post(client, f"{path}/transition", {"to": "in_repair"}, **{"If-Match": etag})
    assert moved.status_code == 412 and moved.json()["code"] == "precondition_failed"
    assert Device.objects.get(pk=device.pk).state == "received"


def test_kept_answers_are_forgotten_after_a_day_even_for_a_sender_who_never_comes_back():
    """A kept answer can hold a household's name (POST households): it is deleted nightly once its key has lapsed,
    not only when the same person sends another key."""
    _donor, gone = donor_with_member()
    _other, still_here = donor_with_member()
    assert post(api_as(gone), "/api/v1/lots", LOT, key="old").status_code == 201
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert post(api_as(still_here), "/api/v1/lots", LOT, key="recent").status_code == 201
        forget_idempotent_requests()
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["recent"]
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    name = "reuse.accounts.tasks.forget_idempotent_requests"
    assert name in scheduled and name in app.tasks


def test_a_retry_arriving_while_the_first_request_runs_is_told_to_wait():
    """The client gave up on the first POST and sent it again while the server was still writing the lot: the
    retry is sent while the first request saves its lot (a receiver of the lot's post_save)."""
    _donor, user = donor_with_member()
    client = api_as(user)
    sent, answers = [], []

    def retry_meanwhile(sender, instance, created, **kwargs):
        if created and not sent:
            sent.append(instance.pk)
            answers.append(post(client, "/api/v1/lots", LOT, key="slow"))

    post_save.connect(retry_meanwhile, sender=Lot, weak=False)
    try:
        first = post(client, "/api/v1/lots", LOT, key="slow")
    finally:
        post_save.disconnect(retry_meanwhile, sender=Lot)
    assert first.status_code == 201
    assert answers[0].status_code == 409 and answers[0].json()["code"] == "request_in_progress"
    assert int(answers[0]["Retry-After"]) > 0
    assert Lot.objects.count() == 1
    assert post(client, "/api/v1/lots", LOT, key="slow").json()["id"] == first.json()["id"]


def multipart(boundary: str, filename: str, content: bytes) -> bytes:
    """A form with one file, as RFC 7578 shapes it; HTTP clients (requests, httpx) draw a new random boundary for
    each attempt, so two sends of one upload differ byte for byte."""
    return (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: text/csv\r\n\r\n".encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )


def test_a_manifest_uploaded_again_starts_one_import():
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user)
    client = api_as(user, **{"Idempotency-Key": "manifest-1"})
    content = csv_bytes(french_rows(3))
    answers = [
        client.generic(
            "POST",
            f"/api/v1/lots/{lot.pk}/manifest",
            multipart(boundary, "parc.csv", content),
            content_type=f"multipart/form-data; boundary={boundary}",
        )
        for boundary in ("a1b2c3d4e5", "f6e5d4c3b2")
    ]
    assert [answer.status_code for answer in answers] == [202, 202], answers[1].content
    assert answers[0].json() == answers[1].json()
    assert ImportJob.objects.filter(lot=lot).count() == 1


def test_a_key_left_by_a_worker_that_died_is_taken_up_after_a_while():
    """A web process killed in the middle of a request (deploy, out of memory) never frees its key: the retries
    are told to wait, then, past the longest request, the retry runs."""
    _donor, user = donor_with_member()
    client = api_as(user)
    dying = RequestFactory().post("/api/v1/lots", LOT, content_type="application/json")
    IdempotentRequest.objects.create(user=user, key="orphan", fingerprint=api_retries._fingerprint(dying))
    assert post(client, "/api/v1/lots", LOT, key="orphan").status_code == 409
    with time_machine.travel(timezone.now() + api_retries.ABANDONED_AFTER + timedelta(seconds=1)):
        taken_up = post(client, "/api/v1/lots", LOT, key="orphan")
    assert taken_up.status_code == 201, taken_up.content
    assert Lot.objects.count() == 1
