"""Another organisation's objects: every route that names an object answers 404 to the people of organisation B.

The attack: a member of organisation B (a household, a referrer, an association, a donor, a workshop) holds a valid
account and types the ids of organisation A's lot, device, claim, decision, household, mandate, ticket… into
the address bar or an API call, reading (GET) and writing (POST, PATCH, DELETE, with a valid CSRF token as a
real form sends it). Every such request must be a 404: never a 200 (read or written), a 403 (which says the
object exists) or a 500. A method the route does not accept may answer 405, before anything is looked up.

Routes are read from Django's URL resolver (pages and the django-ninja API alike): every pattern that captures an
argument must be in OBJECTS (how to name organisation A's object there) or in PUBLIC (public by design, with the
reason), so that a new route cannot escape this test. API methods come from the OpenAPI document, and each
operation that reads a body has a valid one in API_BODIES, so that its answer is about the object, not the body.
"""

import json

import pytest
from django.db import transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reuse.api import api
from reuse.claims.enums import PaymentMethod, PaymentStatus
from reuse.claims.models import Payment
from reuse.claims.services import reservations
from reuse.eligibility.services import mandates
from reuse.tripod import sessions as tripod_sessions
from tests.factories.accounts import HouseholdProfileFactory
from tests.factories.eligibility import MandateFactory, eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.tripod import SessionSlotFactory
from tests.security.access import World
from tests.security.test_access_matrix import OUR_NAMESPACES
from tests.security.test_access_matrix import OUTSIDE as PAGE_MATRIX_OUTSIDE
from tests.security.test_access_matrix_aftercare import NAMESPACES as AFTERCARE_NAMESPACES
from tests.security.test_access_matrix_aftercare import AftercareWorld

# Organisation B's people: one of each kind (staff see every organisation by design, and are left out).
PEERS = ["household", "referrer", "association", "donor", "workshop"]

# Prefixes served by third parties, each checked elsewhere.
OUTSIDE = {
    "admin/": "the Wagtail admin: staff only, every screen in test_admin_access_matrix.py",
    "documents/": "Wagtail documents: files staff publish on the CMS pages (privacy set per collection)",
    "_util/": "Wagtail's page password form: a page's own restriction, no organisation's object",
    "media/": "public media (DEBUG only): tests/test_production.py",
}

# Wagtail's public pages: the CMS pages by path, and the sign-in of a page restricted to signed-in people.
WAGTAIL_PAGES = {"wagtail_serve", "wagtailcore_login"}

# Routes that take an argument and are public by design, with the reason.
PUBLIC = {
    "accounts:invitation": "the invitation's random token is the secret emailed to the person invited",
    "accounts:password_reset_confirm": "Django's signed reset token; test_account_takeover.py",
    "accounts:confirm_email": "a signed token emailed to the address asked for; test_sign_in_identifiers.py",
    "donations:certificate_verify": "the erasure certificate's QR code: anyone holding the paper checks it",
    "claims:device": "a listed device of the public catalogue",
    "claims:claim_device": "claiming a listed device of the public catalogue is what the catalogue is for",
    "wagtail_serve": "the CMS pages, by their path: public, or behind the page's own Wagtail restriction",
}

CLAIM = lambda w: {"pk": w.claim.pk}  # noqa: E731
LOT = lambda w: {"pk": w.lot.pk}  # noqa: E731
TAG = lambda w: {"tag": w.device.asset_tag}  # noqa: E731
HOUSEHOLD = lambda w: {"pk": w.users["household"].pk}  # noqa: E731
DECISION = lambda w: {"pk": w.decision.pk}  # noqa: E731
TICKET = lambda w: {"pk": w.ticket.pk}  # noqa: E731

# url name -> organisation A's object, as the route's keyword arguments.
OBJECTS = {
    **dict.fromkeys(
        [
            "donations:lot",
            "donations:lot_items",
            "donations:manifest",
            "donations:checklist",
            "donations:submit",
            "donations:cancel",
            "donations:workshop_lot",
            "donations:certificate",
            "donations:export_csv",
            "donations:export_xlsx",
            "donations:impact",
        ],
        LOT,
    ),
    **dict.fromkeys(
        [
            "inventory:device",
            "inventory:device_specs",
            "inventory:device_erasure",
            "inventory:device_price",
            "inventory:device_transition",
            "inventory:device_recycle",
            "inventory:device_part",
            "inventory:device_photo",
            "inventory:device_report",
        ],
        TAG,
    ),
    **dict.fromkeys(
        [
            "eligibility:referrer_household",
            "eligibility:referrer_mandate_renew",
            "eligibility:referrer_attest",
            "eligibility:referrer_document",
            "eligibility:referrer_sign_in_code",
            "eligibility:referrer_household_email",
            "territories:attest",
        ],
        HOUSEHOLD,
    ),
    **dict.fromkeys(
        [
            "claims:claim",
            "claims:pay",
            "claims:apply_voucher",
            "claims:cancel",
            "claims:pay_at_workshop",
            "claims:pay_online",
        ],
        CLAIM,
    ),
    "eligibility:decision": DECISION,
    "tripod:offers": DECISION,
    "aftercare:ticket": TICKET,
    "accounts:organisation": lambda w: {"pk": w.orgs["workshop"].pk},
    "accounts:organisation_invite": lambda w: {"pk": w.orgs["donor"].pk},
    "donations:tax_receipt": lambda w: {"pk": w.receipt_lot.pk},
    "donations:tax_receipt_pdf": lambda w: {"pk": w.receipt_lot.pk},
    "donations:job": lambda w: {"pk": w.job.pk},
    "donations:job_import_valid": lambda w: {"pk": w.job.pk},
    "donations:job_mapping": lambda w: {"pk": w.job.pk},
    "donations:workshop_action": lambda w: {"pk": w.lot.pk, "action": "accepter"},
    "donations:erasure_report": lambda w: {"pk": w.lot.pk, "report_pk": w.report_file().pk},
    "inventory:report_file": lambda w: {"pk": w.report_file().pk},
    "eligibility:revoke_mandate": lambda w: {"pk": w.mandate.pk},
    "eligibility:accept_mandate": lambda w: {"pk": w.mandate_request.pk},
    "eligibility:refuse_mandate": lambda w: {"pk": w.mandate_request.pk},
    "eligibility:referrer_mandate_print": lambda w: {"pk": w.mandate.pk},
    "aftercare:open_for_claim": lambda w: {"claim_pk": w.handed.pk},
    "aftercare:ticket_photo": lambda w: {"pk": w.ticket_with_photo().pk},
    "aftercare:triage": lambda w: {"pk": w.ticket.pk, "step": "refund"},
    "aftercare:referrer_follow_up": lambda w: {"pk": w.follow_up.pk},
    "structures:batch_print": lambda w: {"pk": w.batch.pk},
    "tripod:orient": lambda w: {"pk": w.decision.pk, "offer_id": w.offer.pk},
    "tripod:sheet": lambda w: {"pk": w.decision.pk, "offer_id": w.offer.pk},
    "tripod:declare": lambda w: {"pk": w.orientation.pk},
    "tripod:book": lambda w: {"claim_pk": w.claim.pk},
    "tripod:cancel_booking": lambda w: {"pk": w.booking.pk},
    "tripod:mark": lambda w: {"pk": w.booking.pk},
    "tripod:cancel_slot": lambda w: {"pk": w.slot.pk},
    "tripod:funder_cheques": lambda w: {"pk": w.funder.pk},
    "claims:funder_statement": lambda w: {"pk": w.funder.pk},
    "claims:claim_code": lambda w: {"pk": w.awaiting.pk},
    "claims:receipt": lambda w: {"pk": w.handed.pk},
    "api:get_organisation": lambda w: {"organisation_id": w.orgs["workshop"].pk},
    "api:get_decision": lambda w: {"decision_id": w.decision.pk},
    "api:get_claim": lambda w: {"claim_id": w.claim.pk},
    "api:pay": lambda w: {"claim_id": w.claim.pk},
    "api:pay_card": lambda w: {"claim_id": w.claim.pk},
    "api:cancel": lambda w: {"claim_id": w.claim.pk},
    "api:handover": lambda w: {"claim_id": w.awaiting.pk},
    "api:get_lot_detail": lambda w: {"lot_id": w.lot.pk},
    "api:upload_manifest": lambda w: {"lot_id": w.lot.pk},
    "api:answer_job": lambda w: {"job_id": w.job.pk},
    "api:get_job": lambda w: {"job_id": w.job.pk},
    "api:submit_lot": lambda w: {"lot_id": w.lot.pk},
    "api:lot_report": lambda w: {"lot_id": w.lot.pk},
    "api:get_device": lambda w: {"device_id": w.device.pk},
    "api:patch_device": lambda w: {"device_id": w.device.pk},
    "api:transition_device": lambda w: {"device_id": w.device.pk},
    "api:import_device_reports": lambda w: {"device_id": w.device.pk},
    "api:record_erasure": lambda w: {"device_id": w.device.pk},
}

# What a form would send to the page, where an empty form is refused before the object is looked up.
FORM_DATA = {"tripod:mark": {"attended": "1"}}

NWIPE = b"[2026/03/02 10:00:00] nwipe: notice: Nwipe successfully completed.\n"
# "METHOD /api/v1/path" -> a valid body (JSON, or files for multipart operations).
API_BODIES = {
    "POST /api/v1/claims/{claim_id}/pay/card": lambda w: {"payment_id": w.payment.pk, "card_id": "card_1"},
    "POST /api/v1/claims/{claim_id}/handover": lambda w: {"code": w.awaiting.handover_code},
    "POST /api/v1/lots/{lot_id}/manifest": {
        "multipart": {"file": ("manifeste.csv", b"serial;type\nA1;laptop\n")}
    },
    "POST /api/v1/jobs/{job_id}/mapping": {},
    "PATCH /api/v1/devices/{device_id}": {"brand": "Dell"},
    "POST /api/v1/devices/{device_id}/transition": {"to": "in_repair"},
    "POST /api/v1/devices/{device_id}/reports": {"multipart": {"file": ("nwipe.log", NWIPE)}},
    "POST /api/v1/devices/{device_id}/erasure": {
        "method": "purge",
        "tool": "nwipe",
        "tool_version": "0.35",
        "media_serial": "S4EVNX0R123456",
        "verified": True,
    },
}


class OrganisationA(AftercareWorld):
    """The matrix's world, plus a first-use session of A's workshop that A's household booked, a card payment
    started on A's claim, and a claim of a household A's referrer follows, to pay and collect at A's workshop."""

    def __init__(self):
        super().__init__()
        self.payment = Payment.objects.create(
            claim=self.claim,
            method=PaymentMethod.CARD,
            amount_cents=self.claim.price_cents or 100,
            status=PaymentStatus.PENDING,
            idempotency_key="cross-organisation",
        )
        waiting = HouseholdProfileFactory(postcode="93200").user
        MandateFactory(
            household=waiting, referrer_organisation=self.orgs["referrer"], referrer=self.users["referrer"]
        )
        eligible(waiting, programme=self.programme)
        device = DeviceFactory(listed=True, workshop=self.orgs["workshop"])
        claim = reservations.create_claim(actor=waiting, device_id=device.pk)
        self.awaiting = reservations.choose_pay_at_workshop(claim_id=claim.pk, actor=waiting)
        self.slot = SessionSlotFactory(workshop=self.orgs["workshop"], created_by=self.users["workshop"])
        household = self.users["household"]
        self.booking = tripod_sessions.book_session(
            actor=household, household=household, slot_id=self.slot.pk, claim=self.claim
        )
        # A new mandate A's referrer asks of A's household (who has an email: it answers in its own space).
        self.mandate_request = mandates.renew_mandate(
            referrer=self.users["referrer"], household=household, scopes=["eligibility"], months=6
        )


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield OrganisationA(), World()
        transaction.set_rollback(True)


def all_routes(patterns=None, prefix="", namespace=""):
    """(route, name, pattern) of every URL pattern of the site."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from all_routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}", pattern


def _outside(route: str) -> bool:
    return any(route.lstrip("^").startswith(prefix) for prefix in OUTSIDE)


def object_routes() -> dict[str, str]:
    """name -> route of every pattern outside OUTSIDE that captures an argument, however it is written."""
    return {
        name: route
        for route, name, pattern in all_routes()
        if pattern.pattern.regex.groups and not _outside(route)
    }


def api_methods() -> dict[str, list[str]]:
    """'/api/v1/path/{arg}' -> the methods its operations declare."""
    document = api.get_openapi_schema(path_prefix="/api/v1")
    return {
        path: [m.upper() for m in methods if m in {"get", "post", "put", "patch", "delete"}]
        for path, methods in document["paths"].items()
    }


def test_every_route_with_an_argument_is_tried_or_public_with_a_reason():
    routes = object_routes()
    unnamed = sorted(route for name, route in routes.items() if name.endswith("None"))
    assert not unnamed, f"Routes without a name cannot be listed here: {unnamed}"
    missing = set(routes) - set(OBJECTS) - set(PUBLIC)
    assert not missing, f"Routes naming an object without a cross-organisation entry: {sorted(missing)}"
    assert not set(OBJECTS) & set(PUBLIC)
    assert not (set(OBJECTS) | set(PUBLIC)) - set(routes), "entries for routes that no longer exist"
    assert all(reason.strip() for reason in PUBLIC.values())
    bodies = {op for path, methods in api_methods().items() for op in (f"{m} {path}" for m in methods)}
    assert set(API_BODIES) <= bodies


def test_every_page_is_in_an_access_matrix():
    """The access matrices by role (test_access_matrix*.py) pick routes by namespace: a route in a namespace they do
    not list (a new app's) escaped them without failing. Every route outside the third parties' prefixes is now
    in one of them, in the API's, or one of the site's own pages named in them."""
    covered = OUR_NAMESPACES | AFTERCARE_NAMESPACES | {"api"}
    escaped = sorted(
        name
        for route, name, _pattern in all_routes()
        if not _outside(route)
        and (
            name.split(":")[0] not in covered
            if ":" in name
            else name not in PAGE_MATRIX_OUTSIDE | WAGTAIL_PAGES
        )
    )
    assert not escaped, f"Routes no access matrix tries: {escaped}"


def peer_client(user) -> Client:
    """A browser of organisation B's member, sending the CSRF token with every write as a real form does."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.csrf = _get_new_csrf_string()
    client.cookies["csrftoken"] = client.csrf
    return client


def page_answers(client, url, name):
    yield "GET", client.get(url)
    data = {"csrfmiddlewaretoken": client.csrf, **FORM_DATA.get(name, {})}
    yield "POST", client.post(url, data, headers={"X-CSRFToken": client.csrf})


def api_answers(client, url, path, methods, world):
    for method in methods:
        body = API_BODIES.get(f"{method} {path}")
        body = body(world) if callable(body) else body
        headers = {"X-CSRFToken": client.csrf}
        if body and "multipart" in body:
            from django.core.files.uploadedfile import SimpleUploadedFile

            files = {
                key: SimpleUploadedFile(name, content) for key, (name, content) in body["multipart"].items()
            }
            yield method, client.generic(method, url, **_multipart(files), headers=headers)
        else:
            payload = json.dumps(body) if body is not None else ""
            yield (
                method,
                client.generic(method, url, payload, content_type="application/json", headers=headers),
            )


def _multipart(files):
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    return {"data": encode_multipart(BOUNDARY, files), "content_type": MULTIPART_CONTENT}


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_another_organisations_object_is_404(db, worlds, name):
    mine, theirs = worlds
    url = reverse(name, kwargs=OBJECTS[name](mine))
    wrong = []
    for identity in PEERS:
        client = peer_client(theirs.users[identity])
        if name.startswith("api:"):
            path = "/" + object_routes()[name].replace("<", "{").replace(">", "}")
            answers = api_answers(client, url, path, api_methods()[path], mine)
        else:
            answers = page_answers(client, url, name)
        statuses = {}
        for method, response in answers:
            statuses[method] = response.status_code
            if response.status_code not in (404, 405):
                wrong.append(f"{identity} {method}: {response.status_code}")
        if set(statuses.values()) == {405}:
            wrong.append(f"{identity}: no method of the route was tried ({statuses})")
    assert not wrong, f"{name} {url}: " + "; ".join(wrong)
