"""What the API's parser and error format refuse for every operation, named one by one (the fuzzing in
test_api_hostile_input.py finds them at random): bodies too large or not readable, values no field can hold,
paths and methods no operation answers, and schema errors in the person's language."""

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from donations.models import Lot, LotItem
from reuse.accounts.services import issue_api_token
from tests.factories.accounts import OrganisationFactory, member_of


@pytest.fixture
def donor_headers(db):
    return {"Authorization": f"Bearer {issue_api_token(user=member_of(OrganisationFactory(donor=True)))}"}


def lot_body(**changes) -> dict:
    body = {
        "title": "Parc 2026",
        "pickup_postcode": "75011",
        "pickup_address": "1 rue de la Roquette",
        "available_from": "2030-01-15",
    }
    return {**body, **changes}


def post_lot(client, headers, raw: bytes, content_type="application/json", language="fr"):
    return client.post(
        "/api/v1/lots", data=raw, content_type=content_type, headers={**headers, "Accept-Language": language}
    )


def test_a_million_items_in_one_body_is_refused_with_413_before_anything_is_read(client, donor_headers):
    items = [{"type": "laptop", "serial": f"S{n}"} for n in range(1_000_000)]
    raw = json.dumps(lot_body(items=items)).encode()
    assert len(raw) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = post_lot(client, donor_headers, raw)

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert "trop volumineuse" in response.json()["detail"]
    assert not Lot.objects.exists() and not LotItem.objects.exists()


def test_413_in_english_for_an_english_client(client, donor_headers):
    raw = b'{"title": "' + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + b'"}'

    response = post_lot(client, donor_headers, raw, language="en")

    assert response.status_code == 413
    assert response.json()["detail"] == "The request is too large: send a file instead."


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (json.dumps(lot_body(title="Parc\ud800")).encode(), "substitution"),
        (json.dumps(lot_body(title="a\x00b")).encode(), "caractère nul"),
        (json.dumps(lot_body(items=[{"type": "laptop", "quantity": 2**64}])).encode(), "trop grand"),
        (b'{"title": "A", "title": "B", "pickup_postcode": "75011"}', "deux fois"),
        (json.dumps(lot_body(items=[{"type": "laptop", "year": float("nan")}])).encode(), "NaN"),
        (b"[" * 5000 + b"]" * 5000, "JSON valide"),
        (b"\xff\xfe{", "UTF-8"),
    ],
)
@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_a_body_no_field_can_hold_is_refused_in_french_and_writes_nothing(
    client, donor_headers, raw, words, content_type
):
    response = post_lot(client, donor_headers, raw, content_type=content_type)

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert words in response.json()["detail"]
    assert not Lot.objects.exists()


def test_schema_errors_name_each_field_in_the_clients_language(client, donor_headers):
    raw = json.dumps({"title": 12, "available_from": "2026-02-30"}).encode()

    french = post_lot(client, donor_headers, raw).json()
    english = post_lot(client, donor_headers, raw, language="en").json()

    assert french["detail"] == "Les données envoyées ne sont pas valides."
    assert {e["field"]: e["message"] for e in french["errors"]} == {
        "payload.title": "Du texte est attendu.",
        "payload.pickup_postcode": "Ce champ est obligatoire.",
        "payload.pickup_address": "Ce champ est obligatoire.",
        "payload.available_from": "Une date AAAA-MM-JJ existante est attendue.",
    }
    assert {e["message"] for e in english["errors"]} == {
        "Text is expected.",
        "This field is required.",
        "An existing YYYY-MM-DD date is expected.",
    }


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/v1/nothing-here/", 404, "not_found"),
        ("get", "/api/v1/lots/..%2F..%2Fetc%2Fpasswd", 404, "not_found"),
        ("get", "/api/v1/devices/12/erasure/", 404, "not_found"),
        ("delete", "/api/v1/lots", 405, "method_not_allowed"),
        ("put", "/api/v1/devices/1", 405, "method_not_allowed"),
    ],
)
def test_paths_and_methods_no_operation_answers_are_in_the_error_format(
    client, donor_headers, method, path, status, code
):
    response = getattr(client, method)(path, headers=donor_headers)

    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == code
    if status == 405:
        assert "POST" in response["Allow"] or "PATCH" in response["Allow"]


@pytest.mark.parametrize("path", ["/api/v1/devices/import", "/api/v1/devices/reports"])
@pytest.mark.django_db
def test_an_upload_larger_than_any_file_the_api_takes_is_refused_before_it_is_stored(
    client, path, settings, monkeypatch
):
    from django.core.files import uploadhandler

    workshop = member_of(OrganisationFactory(open_workshop=True))
    settings.API_UPLOAD_MAX_BYTES = 10_000
    stored = []
    for handler in (uploadhandler.MemoryFileUploadHandler, uploadhandler.TemporaryFileUploadHandler):
        monkeypatch.setattr(handler, "receive_data_chunk", lambda self, data, start: stored.append(start))
    headers = {"Authorization": f"Bearer {issue_api_token(user=workshop)}", "Accept-Language": "fr"}

    response = client.post(
        path, data={"file": SimpleUploadedFile("stock.csv", b"x" * 20_000)}, headers=headers
    )

    assert response.status_code == 413
    assert response.json() == {
        "detail": "La requête est trop volumineuse : envoyez un fichier.",
        "code": "too_large",
    }
    assert stored == []


def test_a_script_looping_on_writes_is_slowed_with_429_and_reads_go_on(client, donor_headers, settings):
    settings.API_WRITE_RATE = "3/m"
    other = {"Authorization": f"Bearer {issue_api_token(user=member_of(OrganisationFactory(donor=True)))}"}
    answers = [post_lot(client, donor_headers, b"{}").status_code for _ in range(4)]

    refused = post_lot(client, donor_headers, json.dumps(lot_body()).encode())

    assert answers == [422, 422, 422, 429]
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused.json() == {
        "detail": "Trop de requêtes : attendez un moment avant de réessayer.",
        "code": "rate_limited",
    }
    assert not Lot.objects.exists()
    assert client.get("/api/v1/me", headers=donor_headers).status_code == 200
    assert post_lot(client, other, b"{}").status_code == 422
