"""The OpenAPI document tells an integrator every answer an operation really gives, not only its success.

A client generated from /api/v1/openapi.json (openapi-generator, openapi-python-client) raises "unexpected status"
on an answer the document does not list, and cannot read its body. Each request below is one a script meets
(no token, a peer's id, a malformed body, a device already taken, a stale If-Match): its status must be listed for
its operation with the error body `{"detail", "code"}` (OpenAPI 3.1 "Responses Object", spec.openapis.org).
"""

import pytest
from django.test import Client

from reuse.accounts.services import issue_api_token
from reuse.api import api
from tests.donations.test_lots import LOT
from tests.factories.donations import donor_with_member
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory, workshop_with_member

pytestmark = pytest.mark.django_db
DOCUMENT = api.get_openapi_schema(path_prefix="/api/v1")


def api_as(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_api_token(user=user, name='outil')}"})


def documented(method: str, path: str, status: int) -> dict:
    operation = DOCUMENT["paths"][path][method.lower()]
    assert str(status) in operation["responses"], f"{method} {path} answers {status}, undocumented"
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    name = schema["$ref"].rsplit("/", 1)[-1]
    return DOCUMENT["components"]["schemas"][name]


def assert_documented(method, template, response):
    schema = documented(method, template, response.status_code)
    assert {"detail", "code"} <= set(schema["required"])
    assert {"detail", "code"} <= set(response.json())
    return schema


def test_every_error_a_script_meets_is_in_the_document(programme):
    anonymous = Client()
    assert_documented(
        "POST", "/api/v1/lots", anonymous.post("/api/v1/lots", LOT, content_type="application/json")
    )
    _donor, donor = donor_with_member()
    as_donor = api_as(donor)
    invalid = as_donor.post(
        "/api/v1/lots", {**LOT, "available_from": "demain"}, content_type="application/json"
    )
    assert "errors" in assert_documented("POST", "/api/v1/lots", invalid)["properties"]
    broken = as_donor.post("/api/v1/lots", b"{", content_type="application/json")
    assert_documented("POST", "/api/v1/lots", broken)
    workshop, technician = workshop_with_member()
    peer = DeviceFactory()
    assert_documented(
        "GET", "/api/v1/devices/{device_id}", api_as(technician).get(f"/api/v1/devices/{peer.pk}")
    )
    household = eligible()
    device = DeviceFactory(listed=True)
    claimed = api_as(household).post(
        "/api/v1/claims", {"device_id": device.pk}, content_type="application/json"
    )
    assert claimed.status_code == 201
    taken = api_as(eligible()).post(
        "/api/v1/claims", {"device_id": device.pk}, content_type="application/json"
    )
    assert_documented("POST", "/api/v1/claims", taken)
    not_eligible = api_as(donor).post(
        "/api/v1/claims", {"device_id": device.pk}, content_type="application/json"
    )
    assert_documented("POST", "/api/v1/claims", not_eligible)


def test_the_retry_and_version_headers_are_in_the_document():
    parameters = {p["name"] for p in DOCUMENT["paths"]["/api/v1/lots"]["post"]["parameters"]}
    assert "Idempotency-Key" in parameters
    patch = DOCUMENT["paths"]["/api/v1/devices/{device_id}"]["patch"]
    assert {"Idempotency-Key", "If-Match"} <= {p["name"] for p in patch["parameters"]}
    assert "ETag" in DOCUMENT["paths"]["/api/v1/devices/{device_id}"]["get"]["responses"]["200"]["headers"]


def test_list_limits_are_one_rule_said_in_the_document():
    """PRODUCT.md: `limit` at most 100. The catalogue refused 0 or 500 while the stock list quietly answered
    something else (1 device, or 100), and the document gave neither bound."""
    for path in ("/api/v1/catalogue", "/api/v1/devices"):
        (limit,) = [p for p in DOCUMENT["paths"][path]["get"]["parameters"] if p["name"] == "limit"]
        assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 100), path
    _workshop, technician = workshop_with_member()
    client = api_as(technician)
    for wrong in (0, -5, 101):
        response = client.get("/api/v1/devices", {"limit": wrong})
        assert response.status_code == 422 and response.json()["code"] == "invalid", (wrong, response.content)
    assert client.get("/api/v1/devices", {"limit": 100}).status_code == 200
