"""A field the API does not know is refused, never ignored: a donor's sync script that misspells a field
(`"statut"`, `"grades"`) or sends one it may not set (`"state"` in a PATCH) used to get 200 with nothing changed,
and believed it had worked. Every body of every operation, in every app, is read through one base schema
(reuse.errors.InputSchema, `extra="forbid"`): the answer is a 422 naming each unknown field, nothing written, and
the OpenAPI document says so (`additionalProperties: false`) so that a generated client refuses it first.

The walk below reads the operations registered on the API, so that a new endpoint cannot forget the rule."""

import pytest
from pydantic import BaseModel

from donations.models import Lot
from inventory.models import Device
from reuse.accounts.services import issue_api_token
from reuse.api import api
from tests.donations.test_lots import LOT
from tests.factories.donations import donor_with_member
from tests.factories.inventory import DeviceFactory, workshop_with_member

# Ninja's own wrappers around the operation's parameters: the rule applies to the schemas they hold.
SOURCES = ("body",)


def operations():
    api.get_openapi_schema()  # every router mounted
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    yield f"{method} {prefix}{path}", operation


def nested_models(model: type[BaseModel], seen: set):
    """`model` and every model a field of it holds, at any depth (lists, optionals, dicts)."""
    if model in seen:
        return
    seen.add(model)
    yield model
    for field in model.model_fields.values():
        stack = [field.annotation]
        while stack:
            annotation = stack.pop()
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                yield from nested_models(annotation, seen)
            stack.extend(getattr(annotation, "__args__", ()))


def body_schemas():
    found = {}
    for label, operation in operations():
        for wrapper in operation.models:
            if wrapper.__ninja_param_source__ not in SOURCES:
                continue
            for field in wrapper.model_fields.values():
                for model in nested_models(field.annotation, set()):
                    found.setdefault(model, set()).add(label)
    return found


def test_the_walk_finds_the_bodies_of_every_app():
    names = {model.__name__ for model in body_schemas()}
    for expected in ("DevicePatch", "LotIn", "ItemIn", "ClaimIn", "HouseholdIn", "MandateIn", "IdentityIn"):
        assert expected in names, expected


def test_every_body_schema_of_every_operation_refuses_unknown_fields():
    lenient = {}
    for model, labels in body_schemas().items():
        if model.model_config.get("extra") != "forbid":
            lenient[f"{model.__module__}.{model.__qualname__}"] = sorted(labels)
    assert lenient == {}


def test_the_openapi_document_says_no_other_field_is_read():
    document = api.get_openapi_schema(path_prefix="/api/v1")
    schemas = document["components"]["schemas"]
    open_bodies = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            content = operation.get("requestBody", {}).get("content", {})
            for media in content.values():
                ref = media["schema"].get("$ref", "")
                if not ref:
                    continue
                schema = schemas[ref.rsplit("/", 1)[1]]
                if schema.get("additionalProperties") is not False:
                    open_bodies.append(f"{method.upper()} {path}")
    # Uploads (multipart forms) are ninja's own form schemas: their fields are read by name, the file is checked.
    assert [label for label in open_bodies if "multipart" not in label] == []


def api_headers(user) -> dict:
    return {"Authorization": f"Bearer {issue_api_token(user=user)}"}


@pytest.mark.django_db
def test_a_patch_with_a_misspelled_field_is_a_422_naming_it_and_changes_nothing(client):
    workshop, technician = workshop_with_member()
    device = DeviceFactory(workshop=workshop, grade="B", brand="Dell")

    response = client.patch(
        f"/api/v1/devices/{device.pk}",
        {"brand": "Lenovo", "grades": "A", "statut": "listed"},
        content_type="application/json",
        headers=api_headers(technician),
    )

    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert {(e["field"], e["message"]) for e in body["errors"]} == {
        ("payload.grades", "Champ inconnu : il n’est pas lu par cette opération."),
        ("payload.statut", "Champ inconnu : il n’est pas lu par cette opération."),
    }
    device.refresh_from_db()
    assert (device.brand, device.grade) == ("Dell", "B")


@pytest.mark.django_db
def test_an_unknown_field_inside_a_lot_item_is_named_with_its_place(client):
    _donor, user = donor_with_member()
    lot = {**LOT, "items": [{"type": "laptop", "quantite": 3}]}

    response = client.post(
        "/api/v1/lots",
        lot,
        content_type="application/json",
        headers={**api_headers(user), "Accept-Language": "en"},
    )

    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [
        {"field": "payload.items.0.quantite", "message": "Unknown field: this operation does not read it."}
    ]
    assert not Lot.objects.exists()


def patch_a_dell(client, body: dict):
    """PATCH a workshop's Dell with `body`, as its technician; returns the answer and the device."""
    workshop, technician = workshop_with_member()
    device = DeviceFactory(workshop=workshop, brand="Dell")
    response = client.patch(
        f"/api/v1/devices/{device.pk}", body, content_type="application/json", headers=api_headers(technician)
    )
    return response, device


@pytest.mark.django_db
def test_known_fields_alone_still_work(client):
    response, device = patch_a_dell(client, {"brand": "Lenovo"})

    assert response.status_code == 200, response.content
    assert Device.objects.get(pk=device.pk).brand == "Lenovo"
