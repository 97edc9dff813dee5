"""The last answer of the questionnaire (the document, above all) sent twice: the phone resent it after a
timeout, or the person went back and sent it again. The second is not a silent return to the first question,
as if the document had been lost: it leads to the decision already made, and nothing is stored twice."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from reuse.eligibility.models import EligibilityDecision, EligibilityDocument, QuestionnaireDraft
from reuse.eligibility.services import decisions, documents
from reuse.eligibility.views.questionnaire import DONE_KEY
from tests.eligibility.test_documents import PDF
from tests.eligibility.test_phone_documents import QUESTIONNAIRE, send_as_household
from tests.factories.accounts import household

pytestmark = pytest.mark.django_db


def test_a_document_sent_twice_leads_to_the_decision_already_made(client, programme):
    first = send_as_household(client, "caf.pdf", PDF)
    again = client.post(QUESTIONNAIRE, {"step": "document", "file": SimpleUploadedFile("caf.pdf", PDF)})
    assert EligibilityDocument.objects.count() == 1 and EligibilityDecision.objects.count() == 1
    assert again.status_code == 302 and again.url == first.url
    assert "déjà" in " ".join(str(m) for m in get_messages(again.wsgi_request))


def test_opening_the_questionnaire_again_starts_it_afresh(client, programme):
    send_as_household(client, "caf.pdf", PDF)
    page = client.get(QUESTIONNAIRE, follow=True)
    assert page.status_code == 200 and page.context["step"] == "aids"
    # A question not reached in this new round leads to the question the person is at, not to the old decision.
    again = client.post(QUESTIONNAIRE, {"step": "evidence", "evidence": "document"})
    assert again.url == f"{QUESTIONNAIRE}?etape=aids"


def test_two_document_answers_read_from_the_same_step_store_one_document(client, programme):
    """Two POSTs of the document step at once both read the answers kept before either ended the questions: the
    second (replayed here on the answers the first one read) gets the decision of the first, not a second
    pending decision and a second copy for staff to review."""
    person = household()
    client.force_login(person)
    client.post(QUESTIONNAIRE, {"step": "aids", "aids": ["rsa"]})
    client.post(QUESTIONNAIRE, {"step": "evidence", "evidence": "document"})
    read_by_both = QuestionnaireDraft.objects.get(household=person)
    first = client.post(QUESTIONNAIRE, {"step": "document", "file": SimpleUploadedFile("caf.pdf", PDF)})
    read_by_both.save()
    session = client.session
    del session[DONE_KEY]
    session.save()
    again = client.post(QUESTIONNAIRE, {"step": "document", "file": SimpleUploadedFile("caf.pdf", PDF)})
    assert again.status_code == 302 and again.url == first.url
    assert EligibilityDocument.objects.count() == 1 and EligibilityDecision.objects.count() == 1


@pytest.mark.parametrize("criteria", [["rsa"], []])
def test_the_same_proof_sent_twice_to_the_service_is_kept_once(programme, criteria):
    """Whoever sends it (the household, its referrer): the same file for the same answers, while the first copy
    waits for review, is the same answer. With no criteria it would otherwise make an « ineligible » decision
    that replaces the pending one."""
    person = household()
    if not criteria:
        decisions.decide_for_household(household=person, author=person, criteria=["rsa"], evidence="document")
    first = upload_as(person, criteria)
    assert upload_as(person, criteria) == first
    assert first.documents.count() == 1 and EligibilityDocument.objects.count() == 1
    assert EligibilityDecision.objects.filter(beneficiary=person, replaced_by__isnull=True).get() == first


def test_another_proof_or_other_answers_still_make_a_new_pending_decision(programme):
    person = household()
    first = upload_as(person, ["rsa"])
    assert upload_as(person, ["rsa"], content=PDF + b"%second\n") != first
    assert upload_as(person, ["aah"]) != first
    assert EligibilityDocument.objects.count() == 3


def upload_as(person, criteria, content=PDF):
    return documents.upload_document(
        household=person,
        uploaded_by=person,
        criteria=criteria,
        upload=SimpleUploadedFile("caf.pdf", content),
    )
