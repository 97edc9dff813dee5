"""An id sent in a body (or an upload's form) names an object of another organisation: the answer is the 404 of
a missing object (the 409 of a taken device, for a device id), never a 403 that would say it exists, and nothing is
written. test_cross_organisation.py walks
the ids of paths; this one walks every body and form field that holds an id (`*_id`, `*_ids`), read from the
operations registered on the API, so that a new field of that kind cannot be left untried."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from reuse.accounts.services import issue_api_token
from reuse.claims.enums import PaymentMethod, PaymentStatus
from reuse.claims.models import Payment
from tests.factories.inventory import DeviceFactory
from tests.security.access import World
from tests.security.test_api_unknown_fields import body_schemas, operations

# A device's id is public once listed (the catalogue shows it): one not claimable now, whoever's it is, answers
# « no longer available » as a reserved one does (a household's click on a device the workshop just withdrew,
# tests/claims/test_claim_races.py), never a 403.

# Ids of no Rebond object: Stripe's, which Stripe checks against the payment's own intent.
NOT_OURS = {"card_id", "token_id"}


def id_fields() -> set[tuple[str, str]]:
    """(operation, field) of every id a body or an upload's form carries."""
    found = set()
    for model, labels in body_schemas().items():
        for name in model.model_fields:
            if name.endswith(("_id", "_ids")) and name not in NOT_OURS:
                found |= {(label, name) for label in labels}
    for label, operation in operations():
        for wrapper in operation.models:
            if wrapper.__ninja_param_source__ == "form":
                found |= {(label, name) for name in wrapper.__ninja_flatten_map__ if name.endswith("_id")}
    return found


def upload(**form):
    return {"file": SimpleUploadedFile("stock.csv", b"type;serial\nlaptop;S1\n"), **form}


# (operation, field) -> (who sends it, body from the two worlds, multipart?). Each names one object of world
# `theirs` the sender has no right to, the rest of the body valid.
CASES = {
    ("POST /devices", "lot_id"): ("workshop", lambda m, t: {"type": "laptop", "lot_id": t.lot.pk}, False),
    ("POST /devices", "workshop_id"): (
        "workshop",
        lambda m, t: {"type": "laptop", "workshop_id": t.orgs["workshop"].pk},
        False,
    ),
    ("POST /devices/import", "workshop_id"): (
        "workshop",
        lambda m, t: upload(workshop_id=str(t.orgs["workshop"].pk)),
        True,
    ),
    ("POST /devices/reports", "workshop_id"): (
        "workshop",
        lambda m, t: upload(workshop_id=str(t.orgs["workshop"].pk)),
        True,
    ),
    ("POST /lots", "organisation_id"): (
        "donor",
        lambda m, t: {
            "title": "Parc",
            "pickup_postcode": "75011",
            "pickup_address": "1 rue de la Roquette",
            "available_from": "2030-01-15",
            "organisation_id": t.orgs["donor"].pk,
        },
        False,
    ),
    ("POST /claims", "device_id"): ("household", lambda m, t: {"device_id": t.lot_device.pk}, False),
    ("POST /claims", "beneficiary_id"): (
        "referrer",
        lambda m, t: {"device_id": m.device.pk, "beneficiary_id": t.users["household"].pk},
        False,
    ),
    ("POST /claims", "organisation_id"): (
        "association",
        lambda m, t: {"device_id": m.device.pk, "organisation_id": t.orgs["association"].pk},
        False,
    ),
    ("POST /claims/batch", "device_ids"): (
        "association",
        lambda m, t: {"device_ids": [m.device.pk, t.lot_device.pk]},
        False,
    ),
    ("POST /claims/batch", "organisation_id"): (
        "association",
        lambda m, t: {"device_ids": [m.device.pk], "organisation_id": t.orgs["association"].pk},
        False,
    ),
    ("POST /claims/{claim_id}/pay/card", "payment_id"): (
        "household",
        lambda m, t: {"payment_id": t.payment.pk, "card_id": "card_123"},
        False,
    ),
    ("POST /households", "organisation_id"): (
        "referrer",
        lambda m, t: {
            "first_name": "Awa",
            "last_name": "Koné",
            "birth_date": "1990-02-03",
            "postcode": "93200",
            "mandate": {"scope": ["claims"], "months": 6},
            "organisation_id": t.orgs["referrer"].pk,
        },
        False,
    ),
    ("POST /eligibility", "beneficiary_id"): (
        "referrer",
        lambda m, t: {"evidence": "attestation", "beneficiary_id": t.users["household"].pk},
        False,
    ),
}


def test_every_id_of_every_body_is_tried_with_another_organisations_object():
    assert id_fields() == set(CASES)


def row_counts() -> dict:
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if t != "wagtailcore_apitoken"]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (names from the introspection)
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def worlds(db):
    mine, theirs = World(), World()
    # A device of their workshop not in the catalogue (being repaired): nobody outside it may name it.
    theirs.lot_device = DeviceFactory(workshop=theirs.orgs["workshop"], lot=theirs.lot)
    theirs.payment = Payment.objects.create(
        claim=theirs.claim,
        method=PaymentMethod.CARD,
        amount_cents=theirs.claim.amount_due_cents,
        status=PaymentStatus.PENDING,
        idempotency_key=f"rebond-claim-{theirs.claim.pk}-theirs",
        stripe_payment_intent="pi_theirs",
    )
    return mine, theirs


@pytest.mark.parametrize(("label", "field"), sorted(CASES), ids=lambda case: case.replace(" ", "_"))
def test_an_id_of_another_organisation_in_a_body_is_not_found_and_writes_nothing(
    worlds, client, label, field
):
    mine, theirs = worlds
    who, body, multipart = CASES[(label, field)]
    method, path = label.split(" ", 1)
    path = "/api/v1" + path.replace("{claim_id}", str(mine.claim.pk))
    headers = {"Authorization": f"Bearer {issue_api_token(user=mine.users[who])}"}
    before = row_counts()

    if multipart:
        response = client.post(path, body(mine, theirs), headers=headers)
    else:
        response = client.generic(
            method,
            path,
            data=json.dumps(body(mine, theirs)),
            content_type="application/json",
            headers=headers,
        )

    expected = (409, "unavailable") if field.startswith("device_id") else (404, "not_found")
    assert (response.status_code, response.json()["code"]) == expected, response.content
    assert row_counts() == before
