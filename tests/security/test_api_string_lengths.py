"""Every text a body writes into a column says the column's length in the OpenAPI document (`maxLength`), and is
refused at that length with a 422 naming the field: schemathesis (run against 127.0.0.1 with a workshop's token)
sent 81-letter brands that the schema allowed and the service refused, so a generated client could not know the
limit before sending. Each body schema names the models it writes (`stored_in` on reuse.errors.InputSchema); the
lengths are read from them, never copied."""

import pytest
from django.db import models

from inventory.models import Device
from tests.security.test_api_unknown_fields import body_schemas, patch_a_dell


def column_lengths(schema) -> dict[str, int]:
    lengths = {}
    for model in schema.stored_in:
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField) and field.max_length and field.name in schema.model_fields:
                lengths.setdefault(field.name, field.max_length)
    return lengths


def max_length(schema, name: str) -> int | None:
    prop = schema.model_json_schema()["properties"][name]
    for kind in [prop, *prop.get("anyOf", [])]:
        if kind.get("type") == "string":
            return kind.get("maxLength")
    return None


def test_every_body_schema_names_the_models_it_writes():
    assert sorted(s.__name__ for s in body_schemas() if "stored_in" not in vars(s)) == []


# Typed as people type and normalised before it is stored (« 97 400 » → 97400, reuse.accounts.validators): the
# body takes a little more than the column, the one postcode rule refuses what is still too long, in French.
NORMALISED = {"postcode": 12}


def test_every_text_written_to_a_column_is_bounded_by_it_in_the_document():
    unbounded = {}
    for schema in body_schemas():
        for name, length in column_lengths(schema).items():
            if max_length(schema, name) != NORMALISED.get(name, length):
                unbounded[f"{schema.__name__}.{name}"] = (max_length(schema, name), length)
    assert unbounded == {}


def test_the_walk_reads_the_devices_columns():
    schema = next(s for s in body_schemas() if s.__name__ == "DevicePatch")
    assert column_lengths(schema)["brand"] == Device._meta.get_field("brand").max_length == 80


@pytest.mark.django_db
def test_a_brand_longer_than_its_column_is_a_422_naming_it(client):
    response, device = patch_a_dell(client, {"brand": "L" * 81})

    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [{"field": "payload.brand", "message": "Trop long : au plus 80."}]
    assert Device.objects.get(pk=device.pk).brand == "Dell"
