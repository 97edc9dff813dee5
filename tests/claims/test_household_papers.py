"""The papers a household is handed for its claim are in the household's language, whoever prints them: the
handover receipt a French-reading technician prints at the counter, the handover code page a referrer prints.
The printer's own way around the page stays in the printer's language."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reuse.claims.services import reservations
from tests.aftercare.helpers import handed_over
from tests.documents import pdf_text
from tests.factories.eligibility import eligible, referrer_with_household
from tests.factories.inventory import DeviceFactory
from tests.factories.tripod import CommunePointFactory, MediationPlaceFactory

pytestmark = pytest.mark.django_db

RECEIPT_WORDS = {
    "en": [
        "Handover receipt no.",
        "Solidarity price",
        "€12.50",
        "Warranty",
        "months, until",
        "3-month questionnaire",
        "Any problem?",
        "If the device breaks down during the warranty, contact the workshop:",
        "To learn how to use it, near you:",
        "Médiathèque Marcel Cachin",  # a place's name as published
    ],
    "fr": [
        "Reçu de remise n°",
        "Prix solidaire",
        "12,50 €",
        "Garantie",
        "mois, jusqu’au",
        "Questionnaire à 3 mois",
        "Un problème ?",
        "En cas de panne pendant la garantie, contactez l’atelier :",
        "Pour apprendre à s’en servir, près de chez vous :",
        "Médiathèque Marcel Cachin",
    ],
}


def speaking(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


@pytest.mark.parametrize(("language", "other"), [("en", "fr"), ("fr", "en")])
def test_the_handover_receipt_is_in_the_household_language_whoever_prints_it(
    client, programme, language, other
):
    CommunePointFactory()
    MediationPlaceFactory(name="Médiathèque Marcel Cachin", phone="01 02 03 04 05")
    claim, technician = handed_over(household=speaking(eligible(), language), price_cents=1250)
    client.force_login(speaking(technician, "fr"))

    response = client.get(reverse("claims:receipt", args=[claim.pk]))

    text = pdf_text(response.content)
    assert all(words in text for words in RECEIPT_WORDS[language]), text
    assert not any(words in text for words in RECEIPT_WORDS[other] if words not in RECEIPT_WORDS[language]), (
        text
    )
    assert claim.follow_up.code_display in text
    assert PdfReader(io.BytesIO(response.content)).trailer["/Root"]["/Lang"] == language


CODE_PAGE_WORDS = {
    "en": ["Pickup code", "Request no.", "To pay at the workshop: €15.00", "Opening hours:", "Monday"],
    "fr": ["Code de remise", "Demande n°", "À payer à l’atelier : 15,00", "Horaires d’ouverture :", "lundi"],
}


@pytest.mark.parametrize(("language", "other"), [("en", "fr"), ("fr", "en")])
def test_the_printed_handover_code_is_in_the_household_language_whoever_prints_it(
    client, programme, language, other
):
    referrer, household = referrer_with_household()
    speaking(household, language)
    device = DeviceFactory(listed=True, price_cents=1500)
    profile = device.workshop.workshop_profile
    profile.opening_hours = "Mo-Fr 09:00-17:00"
    profile.save(update_fields=["opening_hours"])
    claim = reservations.create_claim(actor=referrer, device_id=device.pk, beneficiary=household)
    reservations.choose_pay_at_workshop(claim_id=claim.pk, actor=referrer)
    client.force_login(speaking(referrer, "fr"))

    page = client.get(reverse("claims:claim_code", args=[claim.pk])).content.decode()

    paper = page[page.index(f'<div lang="{language}" data-code-language="{language}">') :]
    paper = paper[: paper.index("</article>")]
    assert all(words in paper for words in CODE_PAGE_WORDS[language]), paper
    assert not any(words in paper for words in CODE_PAGE_WORDS[other]), paper
    assert claim.handover_code_display in paper
    # The referrer's own way back stays in the referrer's language.
    assert "Retour à la demande" in page[page.index("</article>") :]
