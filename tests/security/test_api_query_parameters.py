"""Query parameters follow the rule of bodies (test_api_unknown_fields.py): a script's `GET /devices?etat=listed`
(for `state`) answered 200 with every device of the workshop, and the script went on believing it had the listed
ones. A parameter the operation does not read is a 422 naming it, on every operation; and every text or number
parameter of the OpenAPI document says its bounds, so that schemathesis's and a generated client's values stay
within what the API answers."""

import pytest

from reuse.accounts.services import issue_api_token
from reuse.api import api
from tests.factories.inventory import DeviceFactory, workshop_with_member

DOCUMENT = api.get_openapi_schema(path_prefix="/api/v1")


def query_parameters():
    for path, methods in DOCUMENT["paths"].items():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    yield f"{method.upper()} {path} {parameter['name']}", parameter["schema"]


def kinds(schema: dict) -> list[dict]:
    return [schema, *schema.get("anyOf", [])]


def test_every_text_or_number_query_parameter_is_bounded_in_the_document():
    unbounded = []
    for label, schema in query_parameters():
        for kind in kinds(schema):
            if kind.get("type") == "string" and "maxLength" not in kind and "enum" not in kind:
                unbounded.append(label)
            if kind.get("type") == "integer" and "maximum" not in kind:
                unbounded.append(label)
    assert unbounded == []


@pytest.mark.django_db
def test_a_misspelled_filter_is_a_422_naming_it(client):
    workshop, technician = workshop_with_member()
    DeviceFactory(workshop=workshop)
    headers = {"Authorization": f"Bearer {issue_api_token(user=technician)}"}

    response = client.get("/api/v1/devices", {"etat": "listed", "state": "listed"}, headers=headers)

    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [
        {"field": "etat", "message": "Champ inconnu : il n’est pas lu par cette opération."}
    ]
    assert client.get("/api/v1/devices", {"state": "listed"}, headers=headers).status_code == 200


@pytest.mark.django_db
def test_the_public_catalogue_refuses_an_unknown_parameter_too(client):
    response = client.get("/api/v1/catalogue", {"prix_max": "100"})

    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == ["prix_max"]
