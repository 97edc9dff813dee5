"""What a referrer whose mandate covers a household's claims only learns of its eligibility decision: whether it
is eligible, until when and for which programme, never the criteria, grounds or the decision itself (data
minimisation, GDPR art. 5(1)(c); a criterion such as AAH tells a disability, art. 9). The statuses of the pages
and API operations are in the access matrices (test_access_matrix.py, test_api_access_matrix.py); here, what the
summaries the referrer does see contain."""

from django.urls import reverse

from reuse.eligibility.enums import Criterion
from reuse.eligibility.models import EligibilityDecision
from reuse.tripod import services
from tests.factories.tripod import ConnectivityOfferFactory
from tests.security.access import client_for


def _with_aah(world):
    """The world's decision, granted on the AAH (a disability allowance)."""
    reason = {
        "code": "criterion_retained",
        "params": {"criterion": Criterion.AAH, "programme": world.programme.name},
    }
    EligibilityDecision.objects.filter(pk=world.decision.pk).update(
        criteria=[Criterion.AAH], reasons=[reason]
    )
    return EligibilityDecision.objects.get(pk=world.decision.pk)


def test_household_page_says_eligible_until_and_programme_only(db, world):
    decision = _with_aah(world)
    page = client_for(world.users["claims_referrer"]).get(
        reverse("eligibility:referrer_household", args=[world.users["household"].pk])
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert decision.subject_name in text and world.programme.name in text
    assert decision.last_valid_day.year and "Valable jusqu" in text
    assert reverse("eligibility:decision", args=[decision.pk]) not in text
    assert reverse("tripod:offers", args=[decision.pk]) not in text
    assert "Pourquoi" not in text
    assert decision.reason_texts
    for reason in decision.reason_texts:
        assert reason not in text


def test_eligibility_mandate_still_shows_the_whole_decision(db, world):
    decision = _with_aah(world)
    page = client_for(world.users["referrer"]).get(
        reverse("eligibility:referrer_household", args=[world.users["household"].pk])
    )
    text = page.content.decode()
    assert reverse("eligibility:decision", args=[decision.pk]) in text
    assert "Pourquoi" in text


def test_api_household_list_gives_the_summary_without_grounds(db, world):
    decision = _with_aah(world)
    listed = client_for(world.users["claims_referrer"]).get("/api/v1/households").json()
    (household,) = [h for h in listed if h["id"] == world.users["household"].pk]
    assert household["eligibility"] == {
        "id": decision.pk,
        "status": "eligible",
        "expires_at": household["eligibility"]["expires_at"],
        "programme": world.programme.name,
    }
    assert household["mandate"]["scope"] == ["claims"]


def test_claim_page_leaves_out_the_offers_the_criteria_open(db, world):
    """The connection offers a decision opens follow its criteria (an offer for AAH holders tells the AAH): on the
    claim's page, only whoever reads the decision in full sees them."""
    claim_page = reverse("claims:claim", args=[world.claim.pk])
    offers = reverse("tripod:offers", args=[world.decision.pk])
    followed = client_for(world.users["referrer"]).get(claim_page).content.decode()
    assert "data-offers" in followed and offers in followed
    page = client_for(world.users["claims_referrer"]).get(claim_page)
    assert page.status_code == 200
    assert "data-offers" not in page.content.decode() and offers not in page.content.decode()


def test_household_page_names_no_offer_the_household_was_oriented_to(db, world):
    """An orientation is to an offer the decision's criteria opened (« Box sociale AAH » tells the AAH): the
    connection leg of the household's page lists it to whoever reads the decision in full only."""
    decision = _with_aah(world)
    offer = ConnectivityOfferFactory(name="Box sociale AAH", criteria=[Criterion.AAH], departments="")
    services.orient(actor=world.users["referrer"], decision=decision, offer_id=offer.pk)
    household_page = reverse("eligibility:referrer_household", args=[world.users["household"].pk])
    assert "Box sociale AAH" in client_for(world.users["referrer"]).get(household_page).content.decode()
    page = client_for(world.users["claims_referrer"]).get(household_page)
    assert page.status_code == 200
    assert "Box sociale AAH" not in page.content.decode()
