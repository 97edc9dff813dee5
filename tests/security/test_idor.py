"""Insecure direct object references: for each object type, two organisations (or households) of the same kind.

The member of one of them uses the other one's id on every page and API route that takes it: the answer is 404
(nobody learns the object exists) and a write changes nothing in the database.
"""

import json

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from inventory.models import Device, ErasureRecord
from reuse.claims.models import Claim
from reuse.claims.services import reservations
from reuse.eligibility.models import EligibilityDecision, Mandate
from tests.factories.accounts import HouseholdProfileFactory, OrganisationFactory, member_of
from tests.factories.claims import VoucherFunderFactory
from tests.factories.eligibility import MandateFactory, ReferrerAccreditationFactory, eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory
from tests.security.access import client_for
from tests.security.test_cross_organisation import object_routes


class Pair:
    """Two of everything: `mine` objects belong to the acting person, `theirs` to a peer of the same kind."""

    def __init__(self):
        self.programme = ProgrammeFactory()
        self.donors = [OrganisationFactory(donor=True) for _ in range(2)]
        self.donor_users = [member_of(org) for org in self.donors]
        self.workshops = [OrganisationFactory(open_workshop=True) for _ in range(2)]
        self.workshop_users = [member_of(org) for org in self.workshops]
        self.devices = [DeviceFactory(listed=True, workshop=org) for org in self.workshops]
        self.referrers = [ReferrerAccreditationFactory().organisation for _ in range(2)]
        self.referrer_users = [member_of(org) for org in self.referrers]
        self.households = [HouseholdProfileFactory(postcode="93200").user for _ in range(2)]
        self.mandates = [
            MandateFactory(household=household, referrer_organisation=org, referrer=user)
            for household, org, user in zip(self.households, self.referrers, self.referrer_users, strict=True)
        ]
        for household in self.households:
            eligible(household, programme=self.programme)
        self.decisions = [EligibilityDecision.objects.get(beneficiary=h) for h in self.households]
        self.claims = [
            reservations.create_claim(
                actor=household, device_id=DeviceFactory(listed=True, workshop=workshop).pk
            )
            for household, workshop in zip(self.households, self.workshops, strict=True)
        ]
        self.funders = [VoucherFunderFactory(organisation=org) for org in self.referrers]


@pytest.fixture(scope="module")
def pair(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield Pair()
        transaction.set_rollback(True)


def api(client, method, path, body=None):
    return client.generic(
        method, path, json.dumps(body) if body is not None else "", content_type="application/json"
    )


def snapshot(model, pk):
    return model.objects.filter(pk=pk).values().get()


def not_404(client, kwargs, *, get=(), post=(), data=None):
    """The pages (URL names) that answer `client` anything but 404 for someone else's object."""
    wrong = []
    for method, names in (("GET", get), ("POST", post)):
        for name in names:
            url = reverse(name, kwargs=kwargs)
            status = (client.get(url) if method == "GET" else client.post(url, data or {})).status_code
            if status != 404:
                wrong.append(f"{method} {name}: {status}")
    return wrong


def mine_then_theirs(client, name, mine, theirs) -> tuple[int, int]:
    """What the page `name` (taking a `pk`) answers `client` for its own object, then for a peer's: (200, 404)
    when it keeps to its own."""
    return tuple(client.get(reverse(name, kwargs={"pk": obj.pk})).status_code for obj in (mine, theirs))


def api_not_404(client, calls):
    """The API calls (method, path, body) that answer `client` anything but 404 for someone else's object."""
    wrong = []
    for method, path, body in calls:
        status = api(client, method, path, body).status_code
        if status != 404:
            wrong.append(f"{method} {path}: {status}")
    return wrong


def test_organisation_of_a_peer_is_404(db, pair):
    client = client_for(pair.donor_users[0])
    mine, theirs = pair.donors
    assert mine_then_theirs(client, "accounts:organisation", mine, theirs) == (200, 404)
    assert api(client, "GET", f"/api/v1/organisations/{theirs.pk}").status_code == 404


DEVICE_PAGES_GET = ["inventory:device"]


def device_pages_post() -> list[str]:
    """Every page that acts on a device, read from the URL resolver: the hand-written list had missed the erasure
    report's upload (inventory:device_report), and would miss the next one."""
    return sorted(
        name for name, route in object_routes().items() if "<str:tag>" in route and name != "inventory:device"
    )


def test_device_of_another_workshop_is_404_and_untouched(db, pair):
    client = client_for(pair.workshop_users[0])
    mine, theirs = pair.devices
    before = snapshot(Device, theirs.pk)
    erasures = ErasureRecord.objects.filter(device=theirs).count()
    assert client.get(reverse("inventory:device", kwargs={"tag": mine.asset_tag})).status_code == 200
    wrong = not_404(client, {"tag": theirs.asset_tag}, get=DEVICE_PAGES_GET, post=device_pages_post())
    wrong += api_not_404(
        client,
        [
            ("GET", f"/api/v1/devices/{theirs.pk}", None),
            ("PATCH", f"/api/v1/devices/{theirs.pk}", {"brand": "Volé", "price_cents": 1}),
            ("POST", f"/api/v1/devices/{theirs.pk}/transition", {"to": "recycled", "note": "x"}),
        ],
    )
    assert not wrong, "; ".join(wrong)
    assert snapshot(Device, theirs.pk) == before
    assert ErasureRecord.objects.filter(device=theirs).count() == erasures


def test_erasure_on_another_workshops_device_is_404_and_not_recorded(db, pair):
    client = client_for(pair.workshop_users[0])
    theirs = pair.devices[1]
    erasures = ErasureRecord.objects.filter(device=theirs).count()
    body = {
        "method": "purge",
        "tool": "nwipe",
        "tool_version": "0.35",
        "media_serial": "STOLEN-1",
        "verified": True,
    }
    assert api(client, "POST", f"/api/v1/devices/{theirs.pk}/erasure", body).status_code == 404
    page = reverse("inventory:device_erasure", kwargs={"tag": theirs.asset_tag})
    assert client.post(page, body).status_code == 404
    assert ErasureRecord.objects.filter(device=theirs).count() == erasures


CLAIM_PAGES_GET = ["claims:claim", "claims:claim_code", "claims:pay", "claims:receipt", "claims:cancel"]
CLAIM_PAGES_POST = ["claims:apply_voucher", "claims:pay_at_workshop", "claims:cancel"]


@pytest.mark.parametrize("who", ["household", "referrer", "workshop"])
def test_claim_of_another_household_is_404_and_untouched(db, pair, who):
    actor = {"household": pair.households, "referrer": pair.referrer_users, "workshop": pair.workshop_users}[
        who
    ]
    client = client_for(actor[0])
    mine, theirs = pair.claims
    before = snapshot(Claim, theirs.pk)
    if who != "workshop":
        assert client.get(reverse("claims:claim", kwargs={"pk": mine.pk})).status_code == 200
    assert api(client, "GET", f"/api/v1/claims/{mine.pk}").status_code == 200
    wrong = not_404(
        client, {"pk": theirs.pk}, get=CLAIM_PAGES_GET, post=CLAIM_PAGES_POST, data={"code": "PASS-00000"}
    )
    wrong += api_not_404(
        client,
        [
            (method, f"/api/v1/claims/{theirs.pk}{suffix}", body)
            for method, suffix, body in [
                ("GET", "", None),
                ("POST", "/cancel", None),
                ("POST", "/pay", None),
                ("POST", "/pay/card", {"payment_id": 1, "card_id": "card"}),
                ("POST", "/handover", {"code": "000000"}),
            ]
        ],
    )
    assert not wrong, "; ".join(wrong)
    assert snapshot(Claim, theirs.pk) == before


def test_decision_of_another_household_is_404(db, pair):
    client = client_for(pair.households[0])
    mine, theirs = pair.decisions
    assert mine_then_theirs(client, "eligibility:decision", mine, theirs) == (200, 404)
    assert api(client, "GET", f"/api/v1/eligibility/{theirs.pk}").status_code == 404
    referrer = client_for(pair.referrer_users[0])
    assert referrer.get(reverse("eligibility:decision", kwargs={"pk": theirs.pk})).status_code == 404
    assert api(referrer, "GET", f"/api/v1/eligibility/{theirs.pk}").status_code == 404


HOUSEHOLD_PAGES_GET = [
    "eligibility:referrer_household",
    "eligibility:referrer_attest",
    "eligibility:referrer_document",
    "eligibility:referrer_mandate_renew",
]
HOUSEHOLD_PAGES_POST = [
    "eligibility:referrer_attest",
    "eligibility:referrer_document",
    "eligibility:referrer_sign_in_code",
    "eligibility:referrer_mandate_renew",
]


def test_household_followed_by_another_referrer_is_404_and_untouched(db, pair):
    client = client_for(pair.referrer_users[0])
    mine, theirs = pair.households
    decisions = EligibilityDecision.objects.filter(beneficiary=theirs).count()
    mandates = list(Mandate.objects.filter(household=theirs).values())
    before = snapshot(type(theirs), theirs.pk)
    assert client.get(reverse("eligibility:referrer_household", kwargs={"pk": mine.pk})).status_code == 200
    data = {
        "criteria": ["rsa"],
        "evidence": "attestation",
        "confirm": "on",
        "scopes": ["eligibility", "claims"],
        "months": "12",
        "consent_method": "printed",
        "consent": "on",
    }
    wrong = not_404(client, {"pk": theirs.pk}, get=HOUSEHOLD_PAGES_GET, post=HOUSEHOLD_PAGES_POST, data=data)
    body = {"beneficiary_id": theirs.pk, "criteria": ["rsa"], "evidence": "attestation"}
    wrong += api_not_404(client, [("POST", "/api/v1/eligibility", body)])
    listed = api(client, "GET", "/api/v1/households").json()
    items = listed["items"] if isinstance(listed, dict) else listed
    assert mine.pk in {item["id"] for item in items}
    if any(item["id"] == theirs.pk for item in items):
        wrong.append("GET /api/v1/households lists the other referrer's household")
    assert not wrong, "; ".join(wrong)
    assert EligibilityDecision.objects.filter(beneficiary=theirs).count() == decisions
    assert list(Mandate.objects.filter(household=theirs).values()) == mandates
    assert snapshot(type(theirs), theirs.pk) == before


def test_mandate_of_another_referrer_or_household_is_404_and_untouched(db, pair):
    mine, theirs = pair.mandates
    referrer = client_for(pair.referrer_users[0])
    assert mine_then_theirs(referrer, "eligibility:referrer_mandate_print", mine, theirs) == (200, 404)
    household = client_for(pair.households[0])
    assert household.post(reverse("eligibility:revoke_mandate", kwargs={"pk": theirs.pk})).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_mandate_request_of_another_household_is_404_and_unanswered(db, pair):
    """Only the household asked may accept or refuse a request; a referrer never answers in its place."""
    theirs = MandateFactory(
        requested=True,
        household=pair.households[1],
        referrer_organisation=pair.referrers[1],
        referrer=pair.referrer_users[1],
        months=12,
        expires_at=timezone.now(),
    )
    before = snapshot(Mandate, theirs.pk)
    for user in (pair.households[0], pair.referrer_users[1], pair.referrer_users[0]):
        client = client_for(user)
        for name in ("eligibility:accept_mandate", "eligibility:refuse_mandate"):
            assert client.post(reverse(name, kwargs={"pk": theirs.pk})).status_code == 404, (user, name)
    assert snapshot(Mandate, theirs.pk) == before


def test_voucher_statement_of_another_funder_is_404(db, pair):
    client = client_for(pair.referrer_users[0])
    mine, theirs = pair.funders
    assert mine_then_theirs(client, "claims:funder_statement", mine, theirs) == (200, 404)
