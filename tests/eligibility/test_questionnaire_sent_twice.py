"""The last answer of the questionnaire (the document, above all) sent twice: the phone resent it after a
timeout, or the person went back and sent it again. The second is not a silent return to the first question,
as if the document had been lost: it leads to the decision already made, and nothing is stored twice."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from reuse.eligibility.models import EligibilityDecision, EligibilityDocument
from tests.eligibility.test_documents import PDF
from tests.eligibility.test_phone_documents import QUESTIONNAIRE, send_as_household

pytestmark = pytest.mark.django_db


def test_a_document_sent_twice_leads_to_the_decision_already_made(client, programme):
    first = send_as_household(client, "caf.pdf", PDF)
    again = client.post(QUESTIONNAIRE, {"step": "document", "file": SimpleUploadedFile("caf.pdf", PDF)})
    assert EligibilityDocument.objects.count() == 1 and EligibilityDecision.objects.count() == 1
    assert again.status_code == 302 and again.url == first.url
    assert "déjà" in " ".join(str(m) for m in get_messages(again.wsgi_request))


def test_opening_the_questionnaire_again_starts_it_afresh(client, programme):
    send_as_household(client, "caf.pdf", PDF)
    page = client.get(QUESTIONNAIRE)
    assert page.status_code == 200 and page.context["step"] == "aids"
    assert client.post(QUESTIONNAIRE, {"step": "evidence", "evidence": "document"}).status_code == 200
