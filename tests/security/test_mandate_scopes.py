"""A referrer acts for a household within its mandate's scope only (reuse.policy.mandates): every page and API
operation outside that scope is a 404 before anything is shown or checked, on reading as on sending a form.

The world's household gave three mandates: both scopes to the referrer, claims only to the claims_referrer,
eligibility only to the eligibility_referrer (tests/security/access.py). The access matrices hold the statuses
of the claims-only referrer's GETs; here, the eligibility-only referrer on every claim route, and both on the
forms they send and on the household page they share."""

import pytest
from django.urls import reverse

from reuse.eligibility import journal_facts
from reuse.eligibility.enums import Criterion, JournalAction
from reuse.eligibility.models import Mandate, MandateJournalEntry
from reuse.tripod.models import SessionBooking
from tests.factories.tripod import SessionSlotFactory
from tests.security.access import client_for

HOUSEHOLD = lambda w: {"pk": w.users["household"].pk}  # noqa: E731
CLAIM = lambda w: {"pk": w.claim.pk}  # noqa: E731

# Pages acting on the household's eligibility: the claims-only referrer gets 404 for GET and POST alike.
ELIGIBILITY_PAGES = [
    ("eligibility:referrer_attest", HOUSEHOLD),
    ("eligibility:referrer_document", HOUSEHOLD),
    ("territories:attest", HOUSEHOLD),
    ("eligibility:decision", lambda w: {"pk": w.decision.pk}),
    ("tripod:offers", lambda w: {"pk": w.decision.pk}),
    ("tripod:orient", lambda w: {"pk": w.decision.pk, "offer_id": w.offer.pk}),
    ("tripod:declare", lambda w: {"pk": w.orientation.pk}),
]
# Pages acting on the household's claims: the eligibility-only referrer gets 404 for GET and POST alike.
CLAIM_PAGES = [
    ("claims:claim", CLAIM),
    ("claims:pay", CLAIM),
    ("claims:claim_code", CLAIM),
    ("claims:receipt", CLAIM),
    ("claims:cancel", CLAIM),
    ("claims:apply_voucher", CLAIM),
    ("claims:pay_at_workshop", CLAIM),
    ("claims:pay_online", CLAIM),
    ("tripod:book", lambda w: {"claim_pk": w.claim.pk}),
    ("aftercare:open_for_claim", lambda w: {"claim_pk": w.claim.pk}),
]


def _both_methods(world, who, name, kwargs):
    client = client_for(world.users[who])
    url = reverse(name, kwargs=kwargs(world))
    return {method: getattr(client, method)(url).status_code for method in ("get", "post")}


@pytest.mark.parametrize(("name", "kwargs"), ELIGIBILITY_PAGES, ids=[n for n, _ in ELIGIBILITY_PAGES])
def test_claims_only_referrer_gets_404_on_eligibility_pages(db, world, name, kwargs):
    statuses = _both_methods(world, "claims_referrer", name, kwargs)
    assert set(statuses.values()) <= {404, 405}, statuses
    assert 404 in statuses.values(), statuses


@pytest.mark.parametrize(("name", "kwargs"), CLAIM_PAGES, ids=[n for n, _ in CLAIM_PAGES])
def test_eligibility_only_referrer_gets_404_on_claim_pages(db, world, name, kwargs):
    statuses = _both_methods(world, "eligibility_referrer", name, kwargs)
    assert set(statuses.values()) <= {404, 405}, statuses
    assert 404 in statuses.values(), statuses


def test_claims_only_referrer_asking_a_decision_by_api_is_404_whatever_the_body(db, world):
    """Before the body is checked (an unknown criterion would be a 422 « invalid » telling what is checked)."""
    client = client_for(world.users["claims_referrer"])
    for criteria in (["not-a-criterion"], ["rsa"]):
        response = client.post(
            "/api/v1/eligibility",
            {"evidence": "attestation", "criteria": criteria, "beneficiary_id": world.users["household"].pk},
            content_type="application/json",
        )
        assert response.status_code == 404, response.content


def test_eligibility_only_referrer_claims_and_acts_on_no_claim_by_api(db, world):
    client = client_for(world.users["eligibility_referrer"])
    created = client.post(
        "/api/v1/claims",
        {"device_id": world.device.pk, "beneficiary_id": world.users["household"].pk},
        content_type="application/json",
    )
    assert created.status_code == 404, created.content
    for path in ("", "/cancel", "/pay"):
        method = client.get if not path else client.post
        assert method(f"/api/v1/claims/{world.claim.pk}{path}").status_code == 404, path
    listed = client.get("/api/v1/households").json()
    (household,) = [h for h in listed if h["id"] == world.users["household"].pk]
    assert household["mandate"]["scope"] == ["eligibility"]


def test_eligibility_only_referrer_cannot_claim_from_the_catalogue(db, world):
    client = client_for(world.users["eligibility_referrer"])
    page = client.get(
        reverse("claims:device", args=[world.device.pk]) + f"?pour={world.users['household'].pk}"
    )
    assert world.users["household"].get_full_name() not in page.content.decode()
    sent = client.post(
        reverse("claims:claim_device", args=[world.device.pk]), {"beneficiary": world.users["household"].pk}
    )
    assert sent.status_code in (200, 404, 422)
    assert not world.device.claims.exists()


def _household_page(world, who) -> str:
    page = client_for(world.users[who]).get(
        reverse("eligibility:referrer_household", kwargs=HOUSEHOLD(world))
    )
    assert page.status_code == 200
    return page.content.decode()


def test_household_page_shows_connection_offers_only_to_an_eligibility_mandate(db, world):
    """The offers a household was oriented to follow its criteria (tests/security/test_claims_only_mandate.py)."""
    assert world.offer.name in _household_page(world, "referrer")
    assert world.offer.name not in _household_page(world, "claims_referrer")


def _skills_leg(world, who) -> str:
    page = _household_page(world, who)
    return page.split('data-leg="skills">', 1)[1].split("</dd>", 1)[0]


def test_household_page_shows_first_use_sessions_only_to_a_claims_mandate(db, world):
    """A first-use session is booked for a claim's device (tripod.sessions: claims scope)."""
    slot = SessionSlotFactory(workshop=world.orgs["workshop"])
    household = world.users["household"]
    SessionBooking.objects.create(slot=slot, household=household, claim=world.claim, booked_by=household)
    assert "aucune séance réservée" not in _skills_leg(world, "claims_referrer")
    assert "aucune séance réservée" in _skills_leg(world, "eligibility_referrer")


def test_household_page_journal_leaves_out_what_the_mandate_no_longer_covers(db, world):
    """An attestation the claims-only referrer's organisation made under an earlier mandate covering eligibility
    (since renewed for claims only) names the criteria: its journal no longer shows it, nor the criteria."""
    mandate = Mandate.objects.get(referrer_organisation=world.orgs["claims_referrer"])
    MandateJournalEntry.log(
        mandate=mandate,
        actor=world.users["claims_referrer"],
        action=JournalAction.ATTESTATION,
        facts=journal_facts.decision(status="eligible", criteria=[Criterion.AAH]),
    )
    assert str(Criterion.AAH.label) not in _household_page(world, "claims_referrer")
