"""The referrer is spoken to as the referrer, warned before opening a second account for the same person; the
household's questions are numbered along the path it takes."""

import re

import pytest

from reuse.accounts.models import User
from reuse.claims.services import reservations
from reuse.eligibility.models import Mandate
from reuse.eligibility.services import decisions
from tests.factories.accounts import household
from tests.factories.eligibility import household_opened_by
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "first_name": "Mamadou",
    "last_name": "TRAORÉ",
    "birth_date": "1961-04-12",
    "postcode": "93400",
    "household_size": "1",
    "email": "",
    "scopes": ["eligibility", "claims"],
    "months": "12",
    "consent_method": "printed",
    "consent": "on",
}


def test_a_look_alike_of_a_followed_household_is_shown_before_a_second_account_exists(
    client, referrer, mandated
):
    client.force_login(referrer)
    url = "/eligibilite/prescripteur/foyers/nouveau/"
    warned = client.post(url, NEW_PERSON)
    html = warned.content.decode()
    # Same name (whatever the accents and case) and birth date, another postcode: probably the same person.
    assert "Votre structure suit déjà une personne avec ce nom et cette date de naissance." in html
    assert f'href="/eligibilite/prescripteur/foyers/{mandated.pk}/"' in html
    assert User.objects.filter(household__birth_date="1961-04-12").count() == 1
    # Confirming it is someone else creates the account.
    confirmed = client.post(url, {**NEW_PERSON, "lookalikes_shown": "1", "confirm_new": "on"})
    assert confirmed.status_code == 302
    assert User.objects.filter(household__birth_date="1961-04-12").count() == 2


def test_someone_else_with_another_birth_date_is_created_without_a_warning(client, referrer, mandated):
    client.force_login(referrer)
    response = client.post(
        "/eligibilite/prescripteur/foyers/nouveau/", {**NEW_PERSON, "birth_date": "1970-01-01"}
    )
    assert response.status_code == 302
    assert Mandate.objects.filter(household__first_name="Mamadou").count() == 2


def test_the_household_page_speaks_about_the_person_to_the_referrer(client, referrer, mandated, programme):
    decisions.attest(referrer=referrer, household=mandated, criteria=["rsa"], quotient_familial_eur=None)
    client.force_login(referrer)
    html = client.get(f"/eligibilite/prescripteur/foyers/{mandated.pk}/").content.decode()
    assert "Mamadou Traoré a droit aux appareils solidaires." in html and "Vous avez droit" not in html
    assert f'href="/catalogue/?pour={mandated.pk}"' in html
    assert "Demander un appareil pour Mamadou Traoré" in html


def test_questions_are_numbered_along_the_path_without_a_gap(client, programme):
    person = household()
    client.force_login(person)
    first = client.get("/eligibilite/questionnaire/", follow=True).content.decode()
    assert re.search(r"Question 1\b", first)
    # An aid is ticked: the quotient familial question is skipped, and the next one is question 2, not 3.
    client.post("/eligibilite/questionnaire/", {"step": "aids", "aids": ["rsa"]})
    second = client.get("/eligibilite/questionnaire/", follow=True).content.decode()
    assert "Comment le prouver ?" in second and re.search(r"Question 2\b", second)
    client.post("/eligibilite/questionnaire/", {"step": "evidence", "evidence": "document"})
    third = client.get("/eligibilite/questionnaire/", follow=True).content.decode()
    assert "Envoyez votre justificatif" in third and re.search(r"Question 3\b", third)


def test_the_printed_mandate_leads_back_to_the_referrers_space(client, referrer, mandated):
    client.force_login(referrer)
    mandate = Mandate.objects.get(household=mandated)
    html = client.get(f"/eligibilite/prescripteur/mandats/{mandate.pk}/").content.decode()
    assert '<p class="no-print"><a href="/compte/espace/">Retour à mon espace</a></p>' in html


def test_the_household_page_lists_device_claims_with_english_punctuation(
    client, referrer, mandated, programme
):
    decisions.attest(referrer=referrer, household=mandated, criteria=["rsa"], quotient_familial_eur=None)
    client.force_login(referrer)
    for device in (DeviceFactory(listed=True, price_cents=1000), DeviceFactory(listed=True, phone=True)):
        response = client.post(f"/catalogue/{device.pk}/demander/", {"beneficiary": mandated.pk})
        assert response.status_code == 302
    html = client.get(f"/eligibilite/prescripteur/foyers/{mandated.pk}/", HTTP_ACCEPT_LANGUAGE="en").content
    leg = re.search(r'data-leg="device">([^<]*)<', html.decode()).group(1)
    assert sorted(leg.split("; ")) == ["Laptop: Reserved", "Smartphone: Reserved"]


def test_a_mandate_that_ended_is_printed_by_nobody_and_an_earlier_one_prints_as_withdrawn(
    client, referrer, mandated
):
    """The printed mandate follows the one access rule (policy.eligibility.followed_mandates): while the
    organisation acts for the person, its earlier mandates print with the day they were withdrawn, never as a
    paper that still reads valid; once none runs, every one is a 404."""
    from datetime import timedelta

    from django.utils import timezone

    from reuse.eligibility.services import mandates

    first = Mandate.objects.get(household=mandated)
    terms = {"scopes": ["eligibility"], "months": 6, "consent_given": True}  # signed on paper
    second = mandates.renew_mandate(referrer=referrer, household=mandated, **terms)
    client.force_login(referrer)
    earlier = client.get(f"/eligibilite/prescripteur/mandats/{first.pk}/").content.decode()
    current = client.get(f"/eligibilite/prescripteur/mandats/{second.pk}/").content.decode()
    assert "Mandat retiré le" in earlier and "Mandat retiré le" not in current
    assert "il ne permet plus" not in current
    Mandate.objects.filter(pk=second.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    for mandate in (first, second):
        assert client.get(f"/eligibilite/prescripteur/mandats/{mandate.pk}/").status_code == 404
    assert client.get(f"/eligibilite/prescripteur/foyers/{mandated.pk}/").status_code == 404


def test_a_request_waiting_for_the_persons_answer_is_not_listed_as_ended(client, referrer):
    from reuse.eligibility.services import mandates
    from tests.factories.eligibility import MandateFactory

    person = household(postcode="93200")  # with an email: answers requests in their own space
    organisation = referrer.memberships.get().organisation
    MandateFactory(household=person, referrer_organisation=organisation, referrer=referrer)
    mandates.renew_mandate(referrer=referrer, household=person, scopes=["claims"], months=6)
    client.force_login(referrer)
    html = client.get(f"/eligibilite/prescripteur/foyers/{person.pk}/").content.decode()
    listed = html.split("<h2>Mandats</h2>")[1].split("<h2>")[0]
    assert "demande en attente de son accord" in listed and "terminé le" not in listed


def test_a_mandate_for_eligibility_only_shows_none_of_the_households_device_claims(
    client, referrer, programme
):
    """The person's devices are outside what they entrusted to this structure: its household page says
    nothing of them, though the person claimed one on their own."""
    person = household_opened_by(referrer, scopes=["eligibility"])
    decisions.attest(referrer=referrer, household=person, criteria=["rsa"], quotient_familial_eur=None)
    reservations.create_claim(actor=person, device_id=DeviceFactory(listed=True, price_cents=1000).pk)
    client.force_login(referrer)
    html = client.get(f"/eligibilite/prescripteur/foyers/{person.pk}/").content.decode()
    assert re.search(r'data-leg="device">([^<]*)<', html).group(1) == "aucune demande"


def test_a_referrer_opens_an_account_in_the_language_the_person_reads(client, referrer, mandated):
    """The person's language is asked, and set to the page's by default: their emails and printed code sheet are
    written in it."""
    client.force_login(referrer)
    url = "/eligibilite/prescripteur/foyers/nouveau/"
    assert '<option value="fr" selected>' in client.get(url).content.decode()
    client.post(url, {**NEW_PERSON, "birth_date": "1970-01-01", "language": "en"})
    assert User.objects.get(household__birth_date="1970-01-01").language == "en"
    client.post(url, {**NEW_PERSON, "first_name": "Awa", "birth_date": "1980-01-01"})
    assert User.objects.get(household__birth_date="1980-01-01").language == "fr"


@pytest.mark.parametrize(
    ("language", "words", "other_words"),
    [
        (
            "en",
            ["authorise", "to act for me on Rebond", "I can withdraw this mandate at any time", "Signature:"],
            ["autorise", "Je peux retirer ce mandat"],
        ),
        (
            "fr",
            [
                "autorise",
                "à agir pour moi sur Rebond",
                "Je peux retirer ce mandat à tout moment",
                "Signature :",
            ],
            ["authorise", "I can withdraw"],
        ),
    ],
)
def test_the_printed_mandate_is_in_the_household_language_not_the_referrer(
    client, referrer, mandated, language, words, other_words
):
    """The person reads and signs the mandate: it is in their language, whatever the referrer reads Rebond in;
    the referrer's own way back stays in the referrer's language."""
    User.objects.filter(pk=mandated.pk).update(language=language)
    User.objects.filter(pk=referrer.pk).update(language="fr")
    mandate = Mandate.objects.get(household=mandated)
    client.force_login(referrer)

    page = client.get(f"/eligibilite/prescripteur/mandats/{mandate.pk}/").content.decode()

    paper = page.split(f'data-mandate-language="{language}">')[1].split("</article>")[0]
    assert all(word in paper for word in words), paper
    assert not any(word in paper for word in other_words), paper
    assert "Retour à mon espace" in page.split("</article>")[1]


def test_the_proof_page_asks_the_referrer_for_the_persons_proof_not_their_own(
    client, referrer, mandated, programme
):
    client.force_login(referrer)
    html = client.get(f"/eligibilite/prescripteur/foyers/{mandated.pk}/justificatif/").content.decode()
    assert "Votre justificatif" not in html
    assert re.search(r'<label for="id_file">Le justificatif de la personne', html), html
