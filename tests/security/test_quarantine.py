"""PDFs kept before Rebond refused active ones (reuse.filekinds.check_passive_pdf) are read again, once, by
`manage.py quarantine_active_pdfs`: one that runs something or carries a file is served no more, and the
coordinators are told which; the others stay as they were.

The active PDF is written by pypdf as its documentation shows (pypdf.readthedocs.io, « Adding JavaScript to a
PDF »: `add_open_action(JavaScript(...))`, the /OpenAction a reader runs at opening), over a PDF reportlab's canvas
wrote as an office tool does, and put in storage as it was stored before the check: bytes the upload never read.
"""

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.documents import get_document_model

from reuse.models import QuarantinedFile
from tests import fixtures
from tests.factories.accounts import UserFactory, household, member_of
from tests.factories.inventory import ErasureReportFactory
from tests.security.test_active_pdfs import plain_pdf, programme, send_proof, with_javascript

pytestmark = pytest.mark.django_db
__all__ = ["programme"]  # the programme taking every kind of proof, as the upload tests use
_on_commit_runs_at_once = fixtures._on_commit_runs_at_once


def stored_before_the_check(field_file, content: bytes) -> None:
    storage, name = field_file.storage, field_file.name
    storage.delete(name)
    assert storage.save(name, ContentFile(content)) == name


def proof_with(content: bytes):
    document = send_proof(household(), plain_pdf()).documents.get()
    stored_before_the_check(document.file, content)
    return document


def test_an_active_pdf_kept_before_the_check_is_served_no_more_and_coordinators_are_told(client, programme):
    coordinator = UserFactory(is_staff=True, is_superuser=True, email="coordination@rebond.example")
    active_proof = proof_with(with_javascript(plain_pdf()))
    plain_proof = proof_with(plain_pdf())
    active_report = ErasureReportFactory(filename="certificat.pdf", kind="pdf")
    stored_before_the_check(active_report.file, with_javascript(plain_pdf()))
    client.force_login(coordinator)
    proof_url = reverse("eligibility_admin:document_file", args=[active_proof.pk])
    assert client.get(proof_url).status_code == 200
    mail.outbox.clear()

    call_command("quarantine_active_pdfs")

    assert client.get(proof_url).status_code == 404
    assert client.get(reverse("eligibility_admin:document_file", args=[plain_proof.pk])).status_code == 200
    client.force_login(member_of(active_report.workshop))
    report_page = reverse("inventory:report_file", args=[active_report.pk])
    assert client.get(report_page).status_code == 404
    assert {q.name for q in QuarantinedFile.objects.all()} == {
        active_proof.file.name,
        active_report.file.name,
    }
    (told,) = [m for m in mail.outbox if coordinator.email in m.to]
    assert f"{active_proof.pk}" in told.body and active_report.file.name in told.body

    mail.outbox.clear()
    call_command("quarantine_active_pdfs")  # once is enough: nothing new, nobody told again
    assert QuarantinedFile.objects.count() == 2
    assert mail.outbox == []


def test_a_portal_document_found_active_is_served_no_more(client):
    """A PDF staff published on the portal before the check, served by Wagtail's own document view."""
    document = get_document_model().objects.create(
        title="Attestation", file=ContentFile(with_javascript(plain_pdf()), name="attestation.pdf")
    )
    address = document.url
    assert client.get(address).status_code == 200

    call_command("quarantine_active_pdfs")

    assert client.get(address).status_code == 404
