"""A household answers a referrer's mandate request in its space, on a slow phone: « J’accepte » (or « Je refuse »)
tapped twice, or the answer sent again by the browser, shows the first answer again, never « Page introuvable »;
a request already answered the other way says so; someone else's request stays a 404."""

import pytest
from django.urls import reverse

from reuse.eligibility.enums import MandateScope
from reuse.eligibility.services import mandates
from tests.documents import told as said
from tests.factories.accounts import household
from tests.factories.eligibility import MandateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(referrer):
    """Nadia, whose mandate to the referrer's organisation she withdrew, and its renewal waiting for her answer."""
    person = household(postcode="93200")
    organisation = referrer.memberships.get().organisation
    old = MandateFactory(
        household=person, referrer_organisation=organisation, referrer=referrer, scopes=[MandateScope.CLAIMS]
    )
    mandates.revoke_mandate(mandate=old, by=person)
    return person, mandates.renew_mandate(referrer=referrer, household=person, scopes=["claims"], months=6)


@pytest.mark.parametrize(
    "url, told",
    [("eligibility:accept_mandate", "Mandat accepté"), ("eligibility:refuse_mandate", "Mandat refusé")],
)
def test_an_answer_sent_twice_shows_the_first_answer_again(client, asked, url, told):
    person, request = asked
    client.force_login(person)
    client.post(reverse(url, args=[request.pk]))
    client.get(reverse("eligibility:dashboard"))  # the first answer's message, read
    again = client.post(reverse(url, args=[request.pk]))
    assert again.status_code == 302 and again.url == reverse("eligibility:dashboard")
    assert len(said(again)) == 1 and said(again)[0].startswith(told)


def test_accepting_a_request_already_refused_says_it_waits_no_more(client, asked):
    person, request = asked
    client.force_login(person)
    client.post(reverse("eligibility:refuse_mandate", args=[request.pk]))
    client.get(reverse("eligibility:dashboard"))
    late = client.post(reverse("eligibility:accept_mandate", args=[request.pk]))
    assert late.status_code == 302 and late.url == reverse("eligibility:dashboard")
    assert said(late) == ["Cette demande de mandat n’attend plus de réponse."]
    request.refresh_from_db()
    assert request.consented_at is None


def test_someone_elses_request_stays_a_404(client, asked):
    _person, request = asked
    client.force_login(household(postcode="75011"))
    assert client.post(reverse("eligibility:accept_mandate", args=[request.pk])).status_code == 404
