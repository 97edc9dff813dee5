"""Connectivity offers: the decision's criteria and department open them, cheapest first; the orientation sheet
is printed by the household or its referrer only; what the household did with it is declared."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reuse.eligibility.models import EligibilityDecision
from reuse.tripod import services
from reuse.tripod.models import Orientation
from reuse.tripod.sheet import orientation_sheet_pdf
from tests.factories.accounts import HouseholdProfileFactory
from tests.factories.eligibility import eligible, referrer_with_household
from tests.factories.tripod import ConnectivityOfferFactory

pytestmark = pytest.mark.django_db


def decision_of(user):
    return EligibilityDecision.objects.get(beneficiary=user)


def test_offers_are_those_the_criteria_open_in_the_department_cheapest_over_a_year_first(programme):
    household = eligible(postcode="93200")
    box = ConnectivityOfferFactory(name="Box", monthly_price_cents=1999)
    mobile_with_fees = ConnectivityOfferFactory(
        name="Mobile avec frais", monthly_price_cents=500, activation_fee_cents=9000
    )
    mobile = ConnectivityOfferFactory(name="Mobile", monthly_price_cents=999)
    local_sim = ConnectivityOfferFactory(name="SIM 93", monthly_price_cents=0, departments="93, 95")
    ConnectivityOfferFactory(name="SIM 13", monthly_price_cents=0, departments="13")
    ConnectivityOfferFactory(name="Boursiers", monthly_price_cents=100, criteria=["bourse"])
    ConnectivityOfferFactory(name="Retirée", monthly_price_cents=100, live=False)

    offers = services.offers_for(decision_of(household))

    # 12 × 5 € + 90 € of fees = 150 € a year: dearer than 12 × 9,99 €.
    assert offers == [local_sim, mobile, mobile_with_fees, box]


def test_an_expired_or_replaced_decision_opens_nothing(programme):
    household = eligible()
    ConnectivityOfferFactory()
    decision = decision_of(household)
    EligibilityDecision.objects.filter(pk=decision.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    decision.refresh_from_db()
    assert services.offers_for(decision) == []


def test_an_offer_names_real_criteria_and_a_way_to_subscribe():
    offer = ConnectivityOfferFactory.build(criteria=["rsa", "chomage"])
    with pytest.raises(ValidationError) as error:
        offer.clean()
    assert "chomage" in str(error.value)
    offer = ConnectivityOfferFactory.build(subscribe_phone="", subscribe_shop="", subscribe_url="")
    with pytest.raises(ValidationError):
        offer.clean()


def test_the_decision_page_shows_the_offers_and_the_sheet_records_the_orientation(client, programme):
    household = eligible()
    offer = ConnectivityOfferFactory(name="Forfait social")
    ConnectivityOfferFactory(name="Pour boursiers seulement", criteria=["bourse"])
    decision = decision_of(household)
    client.force_login(household)

    page = client.get(reverse("eligibility:decision", args=[decision.pk])).content.decode()
    assert "Forfait social" in page and "Pour boursiers seulement" not in page

    response = client.post(reverse("tripod:orient", args=[decision.pk, offer.pk]))
    assert response.status_code == 302
    sheet = client.get(response["Location"])
    assert sheet["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(__import__("io").BytesIO(sheet.content)).pages)
    assert f"n° {decision.pk}" in text and "Attestation RSA" in text
    assert len(PdfReader(__import__("io").BytesIO(sheet.content)).pages) == 1
    assert Orientation.objects.get(household=household).offer == offer


def test_the_sheet_escapes_what_staff_and_people_typed(programme):
    household = eligible()
    household.first_name = "Zoé <b>&"
    household.save()
    offer = ConnectivityOfferFactory(name="Offre <super> & co", documents="Avis <d’imposition>\nRIB & co")
    pdf = orientation_sheet_pdf(offer=offer, decision=decision_of(household))
    text = PdfReader(__import__("io").BytesIO(pdf)).pages[0].extract_text()
    assert "Offre <super> & co" in text and "Avis <d’imposition>" in text and "Zoé <b>&" in text


def test_another_households_decision_and_an_offer_it_does_not_open_are_404(client, programme):
    household = eligible()
    stranger = eligible()
    offer = ConnectivityOfferFactory()
    closed = ConnectivityOfferFactory(criteria=["bourse"])
    client.force_login(stranger)
    decision = decision_of(household)
    assert client.get(reverse("tripod:offers", args=[decision.pk])).status_code == 404
    assert client.post(reverse("tripod:orient", args=[decision.pk, offer.pk])).status_code == 404
    assert client.get(reverse("tripod:sheet", args=[decision.pk, offer.pk])).status_code == 404
    client.force_login(household)
    assert client.post(reverse("tripod:orient", args=[decision.pk, closed.pk])).status_code == 404
    assert not Orientation.objects.exists()


def test_the_referrer_orients_and_declares_the_subscription_for_the_household(client, programme):
    referrer, household = referrer_with_household()
    offer = ConnectivityOfferFactory()
    decision = decision_of(household)
    client.force_login(referrer)
    assert client.post(reverse("tripod:orient", args=[decision.pk, offer.pk])).status_code == 302
    orientation = Orientation.objects.get(household=household)
    assert orientation.oriented_by == referrer
    client.post(reverse("tripod:declare", args=[orientation.pk]), {"subscribed": "yes"})
    orientation.refresh_from_db()
    assert orientation.subscribed == "yes"
    page = client.get(reverse("eligibility:referrer_household", args=[household.pk])).content.decode()
    assert "orienté(e), abonnement oui, abonnement pris" in page


def test_a_stranger_cannot_declare_for_someone_elses_orientation(client, programme):
    referrer, household = referrer_with_household()
    offer = ConnectivityOfferFactory()
    orientation = services.orient(actor=referrer, decision=decision_of(household), offer_id=offer.pk)
    client.force_login(HouseholdProfileFactory().user)
    assert (
        client.post(reverse("tripod:declare", args=[orientation.pk]), {"subscribed": "yes"}).status_code
        == 404
    )
    orientation.refresh_from_db()
    assert orientation.subscribed == "unknown"


def _sheet_text(response) -> str:
    pages = PdfReader(__import__("io").BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())  # no-break spaces read as spaces


@pytest.mark.parametrize(
    ("language", "words", "other_words"),
    [
        (
            "en",
            ["How much it costs", "How to subscribe", "No commitment", "Your right"],
            ["Combien ça coûte"],
        ),
        (
            "fr",
            ["Combien ça coûte", "Comment s’abonner", "Sans engagement", "Votre droit"],
            ["How much it costs"],
        ),
    ],
)
def test_the_sheet_is_in_the_household_language_whoever_prints_it(
    client, programme, language, words, other_words
):
    """The household takes the sheet to a shop or reads it on the phone: it is in its language, also when its
    French-speaking referrer prints it (as the printed sign-in code sheet)."""
    referrer, household = referrer_with_household()
    household.language = language
    household.save(update_fields=["language"])
    referrer.language = "fr"
    referrer.save(update_fields=["language"])
    offer = ConnectivityOfferFactory(name="Forfait social", monthly_price_cents=250)
    decision = decision_of(household)
    client.force_login(referrer)

    response = client.post(reverse("tripod:orient", args=[decision.pk, offer.pk]))
    text = _sheet_text(client.get(response["Location"]))

    assert all(word in text for word in words), text
    assert not any(word in text for word in other_words), text
    assert ("€2.50 a month" if language == "en" else "2,50 € par mois") in text
    assert "Forfait social" in text  # what staff typed is shown as typed
