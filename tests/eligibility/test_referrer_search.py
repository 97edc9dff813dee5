"""A social worker seeing twenty people in an afternoon finds each one on their list by name or birth date, and
sees which mandates must be renewed, instead of scrolling the whole list of the households they follow."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reuse.eligibility.models import Mandate
from reuse.eligibility.services import decisions, mandates
from tests.factories.eligibility import household_opened_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(referrer, programme):
    people = {
        "mamadou": household_opened_by(referrer, first_name="Mamadou", last_name="Traoré"),
        "awa": household_opened_by(
            referrer, first_name="Awa", last_name="TRAORE", birth_date=date(1990, 1, 2), postcode="93400"
        ),
        "lea": household_opened_by(
            referrer, first_name="Léa", last_name="Martin", birth_date=date(1985, 5, 5), postcode="93100"
        ),
        "fatou": household_opened_by(
            referrer, first_name="Fatou", last_name="Traoré", birth_date=date(1975, 7, 7), postcode="93300"
        ),
    }
    soon = timezone.now() + timedelta(days=10)
    Mandate.objects.filter(household=people["lea"]).update(expires_at=soon)
    mandates.revoke_mandate(mandate=Mandate.objects.get(household=people["fatou"]), by=people["fatou"])
    return people


def listed(client, **params):
    """The names in the table of followed households and in the table of ended mandates."""
    html = client.get(reverse("eligibility:referrer_dashboard"), params).content.decode()
    active, _, ended = html.partition("Mandats terminés ou retirés")
    return (
        re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', active),
        re.findall(r'<th scope="row">([^<]+)</th>', ended),
        html,
    )


def test_a_person_is_found_by_name_whatever_the_accents_and_case(client, referrer, followed):
    client.force_login(referrer)
    active, ended, _html = listed(client, q="traore")
    assert sorted(active) == ["Awa TRAORE", "Mamadou Traoré"]
    assert ended == ["Fatou Traoré"]  # her mandate was withdrawn: found to record a new one with her
    active, ended, _html = listed(client, q="Léa")
    assert (active, ended) == (["Léa Martin"], [])


def test_homonyms_are_told_apart_by_birth_date(client, referrer, followed):
    client.force_login(referrer)
    assert listed(client, q="Traoré 12/04/1961")[0] == ["Mamadou Traoré"]
    assert listed(client, q="1990-01-02")[0] == ["Awa TRAORE"]
    active, ended, html = listed(client, q="Traoré 01/01/2000")
    assert (active, ended) == ([], [])
    assert "data-no-match" in html
    assert "12/04/1961" in listed(client)[2]  # the list shows each birth date


def test_only_the_mandates_to_renew_are_listed_on_request(client, referrer, followed):
    client.force_login(referrer)
    active, ended, html = listed(client, a_renouveler="1")
    assert active == ["Léa Martin"] and ended == ["Fatou Traoré"]
    assert 'name="a_renouveler" value="1" checked' in html


def test_the_list_costs_the_same_queries_for_four_people_as_for_forty(client, referrer, followed):
    from tests.page_queries import steady_queries

    client.force_login(referrer)
    url = reverse("eligibility:referrer_dashboard")
    few = steady_queries(client, url)
    for number in range(36):
        person = household_opened_by(referrer, first_name=f"Personne{number}", last_name="Dupont")
        decisions.attest(referrer=referrer, household=person, criteria=["rsa"], quotient_familial_eur=None)
    assert steady_queries(client, url) == few


def test_the_api_lists_forty_households_in_as_many_queries_as_four(client, referrer, followed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(referrer)

    def listing_queries():
        client.get("/api/v1/households")  # fills the process's caches first, as steady_queries does
        with CaptureQueriesContext(connection) as queries:
            listed = client.get("/api/v1/households").json()
        assert all(item["mandate"] for item in listed)
        return len(listed), len(queries)

    count, few = listing_queries()
    for number in range(36):
        person = household_opened_by(referrer, first_name=f"Personne{number}", last_name="Dupont")
        decisions.attest(referrer=referrer, household=person, criteria=["rsa"], quotient_familial_eur=None)
    assert listing_queries() == (count + 36, few)


# How people really type: a keyboard without « é » at a France Services desk, and a name copied from a CAF letter or
# a phone's keyboard, whose apostrophe is the typographic one (U+2019, « ’ », what iOS and Android's smart
# punctuation and word processors write) while the social worker types the straight one (U+0027) on a PC.
@pytest.fixture
def typed_apart(referrer, programme):
    return {
        "helene": household_opened_by(
            referrer,
            first_name="Hélène",
            last_name="D’Almeida",
            birth_date=date(1970, 3, 3),
            postcode="93400",
        ),
        "jp": household_opened_by(
            referrer,
            first_name="Jean-Pierre",
            last_name="N'Diaye",
            birth_date=date(1965, 6, 6),
            postcode="75019",
        ),
    }


def test_the_api_finds_a_household_typed_without_accents_or_with_another_apostrophe(
    client, referrer, typed_apart
):
    client.force_login(referrer)

    def found(query):
        return sorted(item["last_name"] for item in client.get("/api/v1/households", {"q": query}).json())

    assert found("helene") == ["D’Almeida"]
    assert found("d'almeida") == ["D’Almeida"]
    assert found("HÉLÈNE dalmeida") == ["D’Almeida"]
    assert found("n’diaye jean pierre") == ["N'Diaye"]
    assert found("75019") == ["N'Diaye"]
    assert found("Dupont") == []


def test_a_household_is_found_by_its_postcode(client, referrer, followed):
    client.force_login(referrer)
    assert listed(client, q="93400")[0] == ["Awa TRAORE"]
    assert listed(client, q="traore 93200")[0] == ["Mamadou Traoré"]


def test_a_hundred_and_fifty_households_are_listed_a_page_at_a_time(client, referrer, followed):
    for number in range(150):
        household_opened_by(referrer, first_name=f"Personne{number:03}", last_name="Zola")
    client.force_login(referrer)
    first, _ended, html = listed(client)
    assert len(first) == 25 and first[0] == "Léa Martin"
    assert 'rel="next"' in html and "Page 1 sur 7" in html
    last, _ended, html = listed(client, page="7")
    assert last[-1] == "Personne149 Zola" and 'rel="next"' not in html
    # The search is kept from page to page.
    _first, _ended, html = listed(client, q="zola")
    assert "q=zola&amp;page=2" in html


def test_a_corrected_name_is_found_and_a_closed_account_is_not(client, referrer, typed_apart):
    from reuse.accounts import privacy

    client.force_login(referrer)
    helene = typed_apart["helene"]
    helene.last_name = "Da Costa"  # staff correct a typo in the admin, which saves only the field it changed
    helene.save(update_fields=["last_name"])
    found = client.get("/api/v1/households", {"q": "dacosta"}).json()
    assert [item["id"] for item in found] == [helene.pk]
    privacy.close_account_on_request(user_id=typed_apart["jp"].pk)  # staff close it on the person’s request
    assert client.get("/api/v1/households", {"q": "diaye"}).json() == []


def test_only_the_households_whose_eligibility_ends_soon_are_listed_on_request(client, referrer, followed):
    from reuse.eligibility.models import EligibilityDecision

    for person in (followed["mamadou"], followed["awa"], followed["lea"]):
        decisions.attest(referrer=referrer, household=person, criteria=["rsa"], quotient_familial_eur=None)
    EligibilityDecision.objects.filter(beneficiary=followed["awa"]).update(
        expires_at=timezone.now() + timedelta(days=12)
    )
    EligibilityDecision.objects.filter(beneficiary=followed["lea"]).update(
        expires_at=timezone.now() - timedelta(days=3)
    )
    client.force_login(referrer)
    active, _ended, html = listed(client, eligibilite_a_renouveler="1")
    # Awa's ends in 12 days, Léa's ended: both need a new attestation; Mamadou's runs for a year.
    assert active == ["Léa Martin", "Awa TRAORE"]
    assert 'name="eligibilite_a_renouveler" value="1" checked' in html
