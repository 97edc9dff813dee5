"""The access matrix of the API: every operation of the OpenAPI document, for every kind of person.

Operations are read from the OpenAPI document, so a new operation without an entry here fails the suite; every
refusal is in the API's error format.
"""

import pytest

from reuse.api import api
from tests.security.access import expect, wrong_answers

BODY_FIRST = expect(422, anonymous=401)
LOT_ID = lambda w: {"lot_id": w.lot.pk}  # noqa: E731

# "METHOD /path" -> (path kwargs builder, expected status per identity), for a request without a body.
OPERATIONS = {
    "POST /api/v1/lots": (None, BODY_FIRST),
    "GET /api/v1/lots/{lot_id}": (
        LOT_ID,
        expect(404, anonymous=401, donor=200, workshop=200, coordinator=200),
    ),
    "GET /api/v1/lots/{lot_id}/report": (
        LOT_ID,
        expect(404, anonymous=401, donor=200, workshop=200, coordinator=200),
    ),
    "POST /api/v1/lots/{lot_id}/manifest": (LOT_ID, BODY_FIRST),
    "POST /api/v1/lots/{lot_id}/submit": (LOT_ID, expect(404, anonymous=401, donor=422)),
    "POST /api/v1/jobs/{job_id}/mapping": (lambda w: {"job_id": w.job.pk}, BODY_FIRST),
    "GET /api/v1/jobs/{job_id}": (
        lambda w: {"job_id": w.job.pk},
        expect(404, anonymous=401, donor=200, coordinator=200),
    ),
    "GET /api/v1/me": (None, expect(200, anonymous=401)),
    "GET /api/v1/organisations": (None, expect(200, anonymous=401)),
    "GET /api/v1/organisations/{organisation_id}": (
        lambda w: {"organisation_id": w.orgs["donor"].pk},
        expect(404, anonymous=401, donor=200, coordinator=200),
    ),
    "GET /api/v1/catalogue": (None, expect(200)),
    "GET /api/v1/open-data/lieux.csv": (None, expect(200)),
    "GET /api/v1/open-data/lieux.json": (None, expect(200)),
    # Lists are filtered by the policy: everyone signed in gets 200 with what they may see.
    "GET /api/v1/devices": (None, expect(200, anonymous=401)),
    "GET /api/v1/households": (None, expect(200, anonymous=401)),
    "GET /api/v1/devices/{device_id}": (
        lambda w: {"device_id": w.device.pk},
        expect(404, anonymous=401, workshop=200, coordinator=200),
    ),
    # The claim's beneficiary, the referrer who follows them, the workshop holding the device, and staff.
    "GET /api/v1/claims/{claim_id}": (
        lambda w: {"claim_id": w.claim.pk},
        expect(200, anonymous=401, association=404, donor=404, reviewer=404),
    ),
    "GET /api/v1/eligibility/{decision_id}": (
        lambda w: {"decision_id": w.decision.pk},
        # Not for a referrer whose mandate covers claims only (its household list says eligible, until when).
        expect(
            404,
            anonymous=401,
            household=200,
            referrer=200,
            claims_referrer=404,
            reviewer=200,
            coordinator=200,
        ),
    ),
    # Identities are tried in order within one transaction: the household cancels its claim (no body needed),
    # so the referrer then meets a cancelled claim (409); everyone else must not see it (404).
    "POST /api/v1/claims/{claim_id}/cancel": (
        lambda w: {"claim_id": w.claim.pk},
        expect(404, anonymous=401, household=200, referrer=409),
    ),
    # Starting a card payment while Stripe is out of reach (no Stripe server in this test): 503 « momentarily
    # unavailable » for those who may see the claim, 404 for everyone else.
    "POST /api/v1/claims/{claim_id}/pay": (
        lambda w: {"claim_id": w.claim.pk},
        expect(404, anonymous=401, household=503, referrer=503),
    ),
    # The body is validated before the handler runs: 422 for every signed-in person, whatever their role.
    "POST /api/v1/claims": (None, BODY_FIRST),
    "POST /api/v1/claims/batch": (None, BODY_FIRST),
    "POST /api/v1/claims/{claim_id}/handover": (lambda w: {"claim_id": w.claim.pk}, BODY_FIRST),
    "POST /api/v1/claims/{claim_id}/pay/card": (lambda w: {"claim_id": w.claim.pk}, BODY_FIRST),
    "POST /api/v1/devices": (None, BODY_FIRST),
    "POST /api/v1/devices/import": (None, BODY_FIRST),
    "POST /api/v1/devices/reports": (None, BODY_FIRST),
    "POST /api/v1/devices/{device_id}/reports": (lambda w: {"device_id": w.device.pk}, BODY_FIRST),
    "PATCH /api/v1/devices/{device_id}": (lambda w: {"device_id": w.device.pk}, BODY_FIRST),
    "POST /api/v1/devices/{device_id}/erasure": (lambda w: {"device_id": w.device.pk}, BODY_FIRST),
    "POST /api/v1/devices/{device_id}/transition": (lambda w: {"device_id": w.device.pk}, BODY_FIRST),
    "POST /api/v1/eligibility": (None, BODY_FIRST),
    "POST /api/v1/households": (None, BODY_FIRST),
    # Public (Stripe signs it): an unsigned call is refused with 400 for anyone.
    "POST /api/v1/payments/stripe/webhook": (None, expect(400)),
}


def api_operations():
    document = api.get_openapi_schema(path_prefix="/api/v1")
    return {
        f"{method.upper()} {path}"
        for path, methods in document["paths"].items()
        for method in methods
        if method in {"get", "post", "put", "patch", "delete"}
    }


def test_every_api_operation_is_in_the_matrix():
    missing = api_operations() - set(OPERATIONS)
    assert not missing, f"API operations without an access-matrix entry: {sorted(missing)}"


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_api_access(db, world, operation):
    builder, expected = OPERATIONS[operation]
    method, path = operation.split(" ", 1)
    path = path.format(**(builder(world) if builder else {}))

    def in_error_format(identity, response):
        if response.status_code >= 400 and not {"detail", "code"} <= set(response.json()):
            return f"{identity}: error body {response.content[:100]!r} is not in the API error format"
        return None

    wrong = wrong_answers(world, expected, lambda client: client.generic(method, path), in_error_format)
    assert not wrong, f"{method} {path}: " + "; ".join(wrong)
