"""A reviewer working through the queue of proofs in the Wagtail admin, at speed: what the queue shows and costs,
where a decision leads next, and what a refused household reads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reuse.accounts.models import Notification
from reuse.eligibility.enums import DecisionStatus, DocumentStatus
from reuse.eligibility.models import EligibilityDocument
from reuse.eligibility.services import documents
from tests.eligibility.test_documents import PDF
from tests.factories.accounts import household

pytestmark = pytest.mark.django_db
QUEUE = reverse("eligibility_admin:document_queue")


def waiting_proofs(count, start=0):
    proofs = []
    for index in range(start, start + count):
        person = household(email=f"foyer{index}@example.org")
        decision = documents.upload_document(
            household=person,
            uploaded_by=person,
            criteria=["rsa"],
            upload=SimpleUploadedFile("caf.pdf", PDF + str(index).encode()),
        )
        proofs.append(decision.documents.get())
    return proofs


def queue_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    assert response.status_code == 200
    return len(queries)


def test_the_queue_costs_the_same_queries_for_3_proofs_as_for_30(client, programme, staff):
    client.force_login(staff)
    waiting_proofs(3)
    queue_queries(client)  # the first page of a session reads the reviewer's own rows once
    with_3 = queue_queries(client)
    waiting_proofs(27, start=3)
    assert queue_queries(client) == with_3


def test_the_queue_says_how_many_wait_and_pages_them_oldest_first(client, programme, staff):
    client.force_login(staff)
    proofs = waiting_proofs(30)
    page = client.get(QUEUE).content.decode()
    assert "30 justificatifs à examiner" in page
    first = reverse("eligibility_admin:document_detail", args=[proofs[0].pk]) + "#"
    last = reverse("eligibility_admin:document_detail", args=[proofs[-1].pk]) + "#"
    assert first in page and last not in page
    second_page = client.get(QUEUE, {"page": 2}).content.decode()
    assert last in second_page and first not in second_page


def test_a_decision_leads_to_the_next_proof_waiting(client, programme, staff):
    """Approve, refuse, approve…: after each decision the reviewer lands on the next proof, oldest first, with the
    form under the keyboard, instead of the top of the queue to find their place again."""
    client.force_login(staff)
    first, second = waiting_proofs(2)
    response = client.post(
        reverse("eligibility_admin:document_review", args=[first.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("eligibility_admin:document_detail", args=[second.pk]) + "#examen"
    page = client.get(response["Location"]).content.decode()
    assert "Justificatif accepté." in page
    response = client.post(
        reverse("eligibility_admin:document_review", args=[second.pk]),
        {"decision": "reject", "refusal": "illegible"},
    )
    assert response["Location"] == QUEUE


def test_a_refusal_is_a_reason_the_household_reads_in_its_language_with_what_to_send(
    client, programme, staff
):
    """The reviewer picks why (a code); the household reading in English is told why in English, and what to send
    instead; the reviewer's own words follow, escaped."""
    client.force_login(staff)
    (proof,) = waiting_proofs(1)
    person = proof.decision.beneficiary
    person.language = "en"
    person.save(update_fields=["language"])
    client.post(
        reverse("eligibility_admin:document_review", args=[proof.pk]),
        {"decision": "reject", "refusal": "expired", "note": "<b>attestation de 2019</b>"},
    )
    proof.refresh_from_db()
    assert proof.status == DocumentStatus.REJECTED
    assert proof.decision.status == DecisionStatus.INELIGIBLE
    mail = Notification.objects.get(recipient=person, template="eligibility_decided")
    assert "less than three months old" in mail.body_text, mail.body_text
    assert "&lt;b&gt;attestation de 2019&lt;/b&gt;" in mail.body_html
    assert "<b>attestation" not in mail.body_html


def test_refusing_without_saying_why_writes_nothing(client, programme, staff):
    client.force_login(staff)
    (proof,) = waiting_proofs(1)
    response = client.post(
        reverse("eligibility_admin:document_review", args=[proof.pk]), {"decision": "reject"}, follow=True
    )
    assert "Choisissez pourquoi" in response.content.decode()
    assert EligibilityDocument.objects.get(pk=proof.pk).status == DocumentStatus.WAITING
