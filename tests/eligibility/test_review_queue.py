"""A reviewer working through the queue of proofs in the Wagtail admin, at speed: what the queue shows and costs,
where a decision leads next, and what a refused household reads."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reuse.accounts.models import Notification
from reuse.eligibility.enums import DecisionStatus, DocumentStatus
from reuse.eligibility.models import EligibilityDocument
from reuse.eligibility.services import documents
from reuse.errors import Conflict
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


def blurred_then_sharp(staff):
    """A household sends a blurred photo, then a sharp one, which a reviewer accepts."""
    person = household(email="foyer@example.org")
    sent = [
        documents.upload_document(
            household=person,
            uploaded_by=person,
            criteria=["rsa"],
            upload=SimpleUploadedFile(name, PDF + name.encode()),
        ).documents.get()
        for name in ("a.pdf", "b.pdf")
    ]
    documents.review_document(document=sent[1], reviewer=staff, approve=True)
    return person, *sent


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


def test_a_proof_whose_household_has_a_newer_decision_leaves_the_queue_and_cannot_be_refused(
    client, programme, staff
):
    """A household sends a blurred photo, then a sharp one. A reviewer accepts the sharp one: the household is
    eligible. The blurred one, still first in the queue, was refused next, and the household got a second email
    « we cannot give you the right… » while eligible. Now it leaves the queue, and deciding it from an open tab
    tells the reviewer why, writing nothing."""
    client.force_login(staff)
    person, blurred, sharp = blurred_then_sharp(staff)

    page = client.get(QUEUE).content.decode()
    assert reverse("eligibility_admin:document_detail", args=[blurred.pk]) + "#" not in page
    response = client.post(
        reverse("eligibility_admin:document_review", args=[blurred.pk]),
        {"decision": "reject", "refusal": "illegible"},
        follow=True,
    )
    assert "décision plus récente" in response.content.decode()
    assert EligibilityDocument.objects.get(pk=blurred.pk).decision.status == DecisionStatus.PENDING
    assert Notification.objects.filter(recipient=person, template="eligibility_decided").count() == 1
    assert sharp.decision.beneficiary.eligibility_decisions.filter(
        status=DecisionStatus.ELIGIBLE, replaced_by__isnull=True
    ).exists()


def test_a_proof_left_unreviewed_by_a_newer_decision_is_deleted_after_the_retention(programme, staff):
    """The blurred photo nobody reviews any more is still a household's document: it goes after the programme's
    retention, counted from the decision that replaced it, as a reviewed one does."""
    person, blurred, sharp = blurred_then_sharp(staff)
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(
        days=programme.document_retention_days + 1
    )
    with time_machine.travel(later):
        documents.purge_documents()
    blurred.refresh_from_db()
    assert blurred.deleted_at is not None and not blurred.file


def test_a_proof_of_a_closed_account_cannot_be_decided_from_an_open_tab(programme, staff):
    (proof,) = waiting_proofs(1)
    documents.erase_files_of(proof.decision.beneficiary)
    with pytest.raises(Conflict) as refused:
        documents.review_document(document=proof, reviewer=staff, approve=True)
    assert refused.value.code == "no_longer_waiting"


def test_the_reviewers_words_reach_the_household_without_controls_that_reverse_them(programme, staff):
    """A note pasted from a PDF viewer or a chat can carry Unicode bidirectional controls (U+202E RIGHT-TO-LEFT
    OVERRIDE, Unicode TR #9): the stored note drops them (NameField), the household's reason must too."""
    (proof,) = waiting_proofs(1)
    documents.review_document(
        document=proof, reviewer=staff, approve=False, refusal="other", note="avis \u202e9102 ed"
    )
    proof.refresh_from_db()
    assert "\u202e" not in proof.review_note
    assert not any("\u202e" in text for text in proof.decision.reason_texts), proof.decision.reason_texts


def test_a_proof_a_referrer_sent_for_a_household_without_email_is_answered_to_the_referrer(
    programme, staff, referrer, mandated
):
    """Mamadou has no email: his social worker photographed his CAF letter and sent it. Refused, the answer reached
    nobody (the email goes to the household's address only): Mamadou waited, the referrer never knew to send a
    sharper photo. The referrer who sent it is told, in their language, with what to send."""
    decision = documents.upload_document(
        household=mandated, uploaded_by=referrer, criteria=["rsa"], upload=SimpleUploadedFile("caf.pdf", PDF)
    )
    referrer.language = "en"
    referrer.save(update_fields=["language"])
    documents.review_document(
        document=decision.documents.get(), reviewer=staff, approve=False, refusal="illegible"
    )
    mail = Notification.objects.get(recipient=referrer)
    assert mail.subject == "Rebond: answer about Mamadou Traoré's supporting document"
    assert "who has no email address" in mail.body_text
    assert "Send a sharp photo of the whole page" in mail.body_text, mail.body_text
    assert reverse("eligibility:referrer_household", args=[mandated.pk]) in mail.body_text
