"""The eligibility questionnaire in a session opened with a printed sign-in code under a mandate that covers the
household's claims only: the referrer who printed the code may be the one typing it, and its mandate does not let it
read nor answer the household's eligibility (reuse.policy.mandates.session_allows). The answers a household gave so
far (the aids it ticked: an AAH tells a disability) are kept on its account (QuestionnaireDraft); such a session
neither reads them (page, copy of one's data) nor writes them. With the household's own access, or a code under a
mandate covering eligibility, the questionnaire is there."""

import json

import pytest
from django.urls import reverse

from reuse.eligibility.enums import Criterion, MandateScope
from reuse.eligibility.models import QuestionnaireDraft
from reuse.eligibility.services import drafts
from reuse.programmes.models import Programme
from tests.factories.eligibility import accredited_referrer, household_opened_by
from tests.factories.programmes import ProgrammeFactory
from tests.security.test_code_session_scopes import _sign_in_with_a_code_under

pytestmark = pytest.mark.django_db

QUESTIONNAIRE = "/eligibilite/questionnaire/"


def _under_way_then_code_session(client, scopes):
    """A household whose referrer opened its account, which ticked the AAH on the questionnaire's first screen and
    stopped there; then a code printed under a mandate of `scopes` typed in `client`."""
    ProgrammeFactory(declarations=True, criteria=["rsa", "css", Criterion.AAH])
    referrer, _organisation = accredited_referrer()
    person = household_opened_by(referrer, scopes=[MandateScope.ELIGIBILITY, MandateScope.CLAIMS])
    drafts.save_draft(
        person, Programme.objects.get(), answers={"aids": [Criterion.AAH]}, path=["aids", "evidence"]
    )
    _sign_in_with_a_code_under(client, referrer, person, scopes)
    return person


@pytest.mark.parametrize("step", ["", "?etape=aids", "?etape=evidence"])
def test_a_claims_only_code_session_finds_no_questionnaire(client, step):
    _under_way_then_code_session(client, [MandateScope.CLAIMS])
    response = client.get(QUESTIONNAIRE + step)
    assert response.status_code == 404
    assert str(Criterion.AAH.label) not in response.content.decode()


def test_a_claims_only_code_session_cannot_write_the_answers(client):
    person = _under_way_then_code_session(client, [MandateScope.CLAIMS])
    for data in ({"step": "aids", "aids": ["rsa"]}, {"step": "evidence", "evidence": "declaration"}):
        assert client.post(QUESTIONNAIRE, data).status_code == 404
    assert client.post(QUESTIONNAIRE, {"recommencer": "1"}).status_code == 404
    draft = QuestionnaireDraft.objects.get(household=person)
    assert draft.answers == {"aids": [Criterion.AAH]} and draft.path == ["aids", "evidence"]


def test_a_claims_only_code_session_copy_leaves_out_the_answers_under_way(client):
    _under_way_then_code_session(client, [MandateScope.CLAIMS])
    copy = json.loads(client.get(reverse("accounts:my_data_download")).content)
    assert copy["eligibility"]["questionnaire_under_way"] is None
    assert Criterion.AAH not in json.dumps(copy)


def test_an_eligibility_code_session_takes_the_questionnaire_up(client):
    _under_way_then_code_session(client, [MandateScope.ELIGIBILITY])
    page = client.get(QUESTIONNAIRE + "?etape=aids")
    assert page.status_code == 200 and page.context["form"].initial == {"aids": [Criterion.AAH]}
    copy = json.loads(client.get(reverse("accounts:my_data_download")).content)
    assert copy["eligibility"]["questionnaire_under_way"]["answers"] == {"aids": [Criterion.AAH]}
