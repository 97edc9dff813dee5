"""No page offers the eligibility questionnaire where it is a 404: in a session opened with a printed code whose
mandate covers the household's claims only (tests/security/test_code_session_questionnaire.py), the device page and
the rules' « next step » say where the questionnaire can be answered instead of linking to a page that is not found.
With a code covering eligibility, the link is there."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from reuse.eligibility.enums import MandateScope
from tests.factories.eligibility import accredited_referrer, household_opened_by
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory
from tests.security.test_code_session_scopes import _sign_in_with_a_code_under

pytestmark = pytest.mark.django_db

QUESTIONNAIRE = "/eligibilite/questionnaire/"


def _code_session_without_decision(client, scopes):
    """A household its referrer opened, with no eligibility decision yet, then a code printed under `scopes`."""
    ProgrammeFactory()
    referrer, _organisation = accredited_referrer()
    person = household_opened_by(referrer, scopes=[MandateScope.ELIGIBILITY, MandateScope.CLAIMS])
    _sign_in_with_a_code_under(client, referrer, person, scopes)
    return person


@pytest.mark.parametrize(
    ("scopes", "offered"),
    [([MandateScope.CLAIMS], False), ([MandateScope.ELIGIBILITY, MandateScope.CLAIMS], True)],
    ids=["claims only", "both scopes"],
)
def test_the_device_page_links_to_the_questionnaire_only_where_it_opens(client, scopes, offered):
    _code_session_without_decision(client, scopes)
    device = DeviceFactory(listed=True)
    html = client.get(f"/catalogue/{device.pk}/").content.decode()
    assert (QUESTIONNAIRE in html) is offered
    assert ("data-questionnaire-elsewhere" in html) is not offered
    assert client.get(QUESTIONNAIRE, follow=True).status_code == (200 if offered else 404)


@pytest.mark.parametrize(
    ("scopes", "offered"),
    [([MandateScope.CLAIMS], False), ([MandateScope.ELIGIBILITY, MandateScope.CLAIMS], True)],
    ids=["claims only", "both scopes"],
)
def test_the_rules_next_step_links_to_the_questionnaire_only_where_it_opens(client, scopes, offered):
    _code_session_without_decision(client, scopes)
    # The signed-in user as the code-session middleware leaves it on the request, read from the catalogue's answer.
    response = client.get("/catalogue/")
    request = RequestFactory().get("/")
    request.user = response.wsgi_request.user
    html = render_to_string(
        "cms/includes/eligibility_start.html",
        {"user": request.user, "user_roles": {"household"}},
        request=request,
    )
    assert (QUESTIONNAIRE in html) is offered
    assert ("data-questionnaire-elsewhere" in html) is not offered
