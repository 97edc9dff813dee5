"""A social worker at a France Services desk follows 150 households, many with a device claimed for them: their
list of claims (« Mes demandes ») puts first what waits on them (a reservation to pay before it lapses, the
soonest first, then a device ready to pick up at its workshop), a page at a time, each row saying for whom."""

import re
from datetime import date

import pytest
from django.urls import reverse

from reuse.claims.models import Claim
from reuse.claims.services import reservations
from tests.factories.accounts import HouseholdProfileFactory, OrganisationFactory, UserFactory, member_of
from tests.factories.eligibility import MandateFactory, eligible
from tests.factories.inventory import DeviceFactory
from tests.page_queries import steady_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def referrer():
    organisation = OrganisationFactory(referrer=True)
    person = member_of(organisation)
    person.referrer_organisation = organisation
    return person


def claim_for(referrer, name: str, *, free: bool):
    household = HouseholdProfileFactory(
        user=UserFactory(email=None, first_name=name, last_name="Diallo")
    ).user
    MandateFactory(
        household=household, referrer_organisation=referrer.referrer_organisation, referrer=referrer
    )
    eligible(household)
    device = DeviceFactory(listed=True, **({"free": True} if free else {"price_cents": 2000}))
    return reservations.create_claim(actor=referrer, beneficiary=household, device_id=device.pk)


def rows(client, **params):
    html = client.get(reverse("claims:my_claims"), params).content.decode()
    listed = html.partition("<h1>")[2].partition("</ul>")[0]
    return re.findall(r'<h2><a href="/demandes/(\d+)/">', listed), html


def test_what_waits_on_the_referrer_comes_first(client, programme, referrer):
    first_to_pay = claim_for(referrer, "Aminata", free=False)
    then_to_pay = claim_for(referrer, "Binta", free=False)
    to_pick_up = claim_for(referrer, "Coumba", free=True)
    client.force_login(referrer)
    found, html = rows(client)
    # Before: newest first (Coumba's, then Binta's, then Aminata's), the lapsing reservation last.
    assert found == [str(first_to_pay.pk), str(then_to_pay.pk), str(to_pick_up.pk)]
    assert "Coumba Diallo" in html  # whose claim each row is
    assert f"À retirer à l’atelier {to_pick_up.device.workshop.name}" in html


def test_claims_come_a_page_at_a_time_in_as_many_queries_for_thirty_as_for_three(client, programme, referrer):
    client.force_login(referrer)
    url = reverse("claims:my_claims")

    def queries_with(total):
        for number in range(Claim.objects.count(), total):
            claim_for(referrer, f"Personne{number}", free=number % 2 == 0)
        return steady_queries(client, url)

    # One page read alone, in as many queries for 3 claims as for 20; past a page, one more to count them all,
    # as many for 30 as for 60.
    assert queries_with(3) == queries_with(20)
    several = queries_with(30)
    first, html = rows(client)
    assert len(first) == 25 and "Page 1 sur 2" in html and 'rel="next"' in html
    second, _html = rows(client, page="2")
    assert len(second) == 5 and not set(first) & set(second)
    assert queries_with(60) == several


def test_the_household_list_of_a_device_page_tells_homonyms_apart_and_reads_by_last_name(
    client, programme, referrer
):
    # Two people of the same name, as a France Services desk meets them: the list says who is who, and begins
    # with the last name it is sorted by, so that typing « dia » in the list (a browser's type-ahead in a
    # <select>, HTML's « option » label) reaches them.
    for born, postcode in (((1961, 4, 12), "93200"), ((1990, 1, 2), "93400")):
        household = HouseholdProfileFactory(
            user=UserFactory(email=None, first_name="Awa", last_name="Diallo"),
            birth_date=date(*born),
            postcode=postcode,
        ).user
        MandateFactory(
            household=household, referrer_organisation=referrer.referrer_organisation, referrer=referrer
        )
    client.force_login(referrer)
    html = client.get(f"/catalogue/{DeviceFactory(listed=True).pk}/").content.decode()
    labels = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', html)
    assert labels == ["Diallo Awa, 12/04/1961, 93200", "Diallo Awa, 02/01/1990, 93400"]
