import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from reuse.eligibility import reasons
from reuse.eligibility.enums import DecisionStatus, DocumentStatus
from reuse.eligibility.models import DocumentAccess, EligibilityDecision, EligibilityDocument
from reuse.eligibility.services import decisions, documents
from reuse.errors import InvalidInput, TooLarge
from reuse.storage import PrivateFileUrlRefused
from tests.documents import PDF
from tests.factories.accounts import UserFactory, household

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, "PNG")
    return buffer.getvalue()


def upload(person, content, name="attestation.pdf"):
    return documents.upload_document(
        household=person, uploaded_by=person, criteria=["rsa"], upload=SimpleUploadedFile(name, content)
    )


def test_a_pdf_goes_to_private_storage_and_the_decision_waits(client, programme):
    person = household()
    decision = upload(person, PDF)
    assert decision.status == DecisionStatus.PENDING
    document = decision.documents.get()
    path = document.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT)) and "attestation" not in path
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert document.content_type == "application/pdf"
    # Nothing serves the private folder: the private storage refuses to make a URL, and the public media URL of
    # the same name finds nothing.
    with pytest.raises(PrivateFileUrlRefused):
        document.file.url  # noqa: B018
    assert client.get(f"/media/{document.file.name}", follow=True).status_code == 404


@pytest.mark.parametrize(
    "content,name,error",
    [
        (b"MZ\x90\x00 not a pdf", "attestation.pdf", InvalidInput),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "photo.png", InvalidInput),
        (b"%PDF-1.4 truncated", "cut.pdf", InvalidInput),
        (b"%PDF-" + b"0" * (20 * 1024 * 1024), "big.pdf", TooLarge),
    ],
)
def test_anything_else_is_refused_with_a_clear_message(programme, content, name, error):
    person = household()
    with pytest.raises(error) as excinfo:
        upload(person, content, name)
    assert excinfo.value.message
    assert not EligibilityDocument.objects.exists()


def test_a_damaged_heic_is_refused_as_an_unreadable_image(programme):
    heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + bytes(2048)
    with pytest.raises(InvalidInput) as excinfo:
        upload(household(), heic, "IMG_0042.HEIC")
    assert "pas une image lisible" in excinfo.value.message
    assert not EligibilityDocument.objects.exists()


def test_a_real_png_is_accepted(programme):
    decision = upload(household(), png_bytes(), "photo.png")
    assert decision.documents.get().content_type == "image/png"


def test_staff_review_logs_each_view_and_the_file_is_deleted_after_retention(client, programme, staff):
    person = household(email="doc@example.test")
    with time_machine.travel(datetime.datetime(2026, 5, 4, 10, 0, tzinfo=PARIS), tick=False):
        decision = upload(person, PDF)
        document = decision.documents.get()
        client.force_login(staff)
        queue = client.get("/admin/eligibilite/justificatifs/")
        assert queue.status_code == 200 and f"Justificatif n° {document.pk}" in queue.content.decode()
        home = client.get("/admin/")
        assert "1 justificatif attend" in home.content.decode()
        for _ in range(2):
            response = client.get(f"/admin/eligibilite/justificatifs/{document.pk}/fichier/")
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == PDF
            assert "no-store" in response["Cache-Control"]
        assert DocumentAccess.objects.filter(document=document, viewer=staff).count() == 2
        response = client.post(
            f"/admin/eligibilite/justificatifs/{document.pk}/decision/", {"decision": "approve"}
        )
        assert response.status_code == 302
    decision.refresh_from_db()
    document.refresh_from_db()
    assert decision.status == DecisionStatus.ELIGIBLE and decision.reviewed_by == staff
    assert decision.last_valid_day == datetime.date(2027, 5, 4)
    assert document.status == DocumentStatus.APPROVED
    path = document.file.path
    with time_machine.travel(datetime.datetime(2026, 6, 2, 10, 0, tzinfo=PARIS), tick=False):
        assert documents.purge_documents() == 0
    with time_machine.travel(datetime.datetime(2026, 6, 3, 10, 1, tzinfo=PARIS), tick=False):
        from reuse.eligibility.tasks import purge_eligibility_documents

        assert purge_eligibility_documents.delay().get() == 1
    document.refresh_from_db()
    assert not document.file and document.deleted_at is not None
    import os

    assert not os.path.exists(path)
    assert decisions.valid_decision_for(user=person) == decision


def test_only_reviewing_staff_open_documents(client, programme, referrer, mandated):
    decision = documents.upload_document(
        household=mandated,
        uploaded_by=referrer,
        criteria=["rsa"],
        upload=SimpleUploadedFile("a.pdf", PDF),
    )
    document = decision.documents.get()
    url = f"/admin/eligibilite/justificatifs/{document.pk}/fichier/"
    for person in (mandated, referrer, UserFactory(is_staff=True)):
        client.force_login(person)
        assert client.get(url).status_code in (302, 403, 404)
    assert not DocumentAccess.objects.exists()
    assert mandated.mandates.get().journal.filter(action="document_uploaded").exists()


def test_rejected_document_gives_an_ineligible_decision_with_reason(programme, staff):
    decision = upload(household(), PDF)
    document = decision.documents.get()
    documents.review_document(
        document=document, reviewer=staff, approve=False, refusal="other", note="attestation de 2019"
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.INELIGIBLE
    assert "attestation de 2019" in decision.reason_texts[-1]


@pytest.mark.parametrize("uploaded_in,reviewed_in", [("en", "en"), ("fr", "en"), ("en", "fr")])
def test_approving_removes_the_pending_reason_whatever_the_language(
    programme, staff, uploaded_in, reviewed_in
):
    """The pending reason is a code: approving a document in English no longer leaves "to be reviewed"."""
    with translation.override(uploaded_in):
        decision = upload(household(), PDF)
    document = decision.documents.get()
    with translation.override(reviewed_in):
        documents.review_document(document=document, reviewer=staff, approve=True)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ELIGIBLE
    assert [item["code"] for item in decision.reasons] == ["criterion_retained", "document_verified"]
    with translation.override("en"):
        english = decision.reason_texts
    with translation.override("fr"):
        french = decision.reason_texts
    assert not any("review" in text.lower() for text in english), english
    assert not any("examiner" in text for text in french), french
    assert french[-1] == "Justificatif vérifié par l’équipe Rebond." and english[-1] != french[-1]


def test_a_reason_written_before_codes_is_still_recognised(programme, staff):
    decision = upload(household(), PDF)
    with translation.override("en"):
        legacy = str(reasons.TEMPLATES["document_to_review"])
    EligibilityDecision.objects.filter(pk=decision.pk).update(reasons=["Ancien motif libre.", legacy])
    documents.review_document(document=decision.documents.get(), reviewer=staff, approve=True)
    decision.refresh_from_db()
    assert decision.reason_texts == ["Ancien motif libre.", "Justificatif vérifié par l’équipe Rebond."]


def test_the_decision_page_calls_a_proof_verified_only_once_staff_reviewed_it(client, programme, staff):
    """A household whose document waits is not told it was « vérifié par l’équipe »."""
    person = household()
    decision = upload(person, PDF)
    client.force_login(person)
    page = client.get(f"/eligibilite/decisions/{decision.pk}/").content.decode()
    assert "Justificatif envoyé, pas encore vérifié par l’équipe" in page
    assert "Justificatif vérifié par l’équipe" not in page
    documents.review_document(document=decision.documents.get(), reviewer=staff, approve=True)
    page = client.get(f"/eligibilite/decisions/{decision.pk}/").content.decode()
    assert "<dd>Justificatif vérifié par l’équipe</dd>" in page


def test_a_pdf_that_is_also_a_web_page_reaches_staff_as_a_sandboxed_pdf(client, programme, staff):
    # A polyglot: a readable PDF followed by a page with a script. Staff open it from the review queue: the
    # browser must read it as the PDF it was checked as, and run nothing of it.
    polyglot = PDF + b"<html><body><script>fetch('/admin/')</script></body></html>\n"
    person = household()
    document = upload(person, polyglot).documents.get()
    client.force_login(staff)
    response = client.get(f"/admin/eligibilite/justificatifs/{document.pk}/fichier/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]
