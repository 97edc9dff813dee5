"""The erasure certificate's PDF is drawn once per state of the lot and served from private storage, never stale."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from donations.models import CertificatePdf, ErasureCertificate
from inventory import tasks
from inventory.donor_reports import stored
from reuse.celery import app
from tests.documents import pdf_text
from tests.donations.certificate_helpers import certificate_text, half_erased_lot, verification_page
from tests.factories.inventory import ErasureRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lot(client):
    return half_erased_lot(client)


@pytest.fixture
def with_worker(monkeypatch):
    """Tasks go to a broker (production): the request never draws the PDF itself."""
    monkeypatch.setitem(app.conf, "task_always_eager", False)


def test_each_download_gives_the_same_file_whose_hash_the_verification_page_shows(client, lot):
    first = client.get(f"/dons/lots/{lot.pk}/certificat.pdf")
    second = client.get(f"/dons/lots/{lot.pk}/certificat.pdf")

    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    certificate = ErasureCertificate.objects.get()
    digest = hashlib.sha256(first.content).hexdigest()
    assert CertificatePdf.objects.get(certificate=certificate, language="fr").sha256 == digest
    client.logout()
    page = client.get(f"/dons/certificats/{certificate.code}/").content.decode()
    assert digest in page


def test_while_the_worker_draws_it_the_download_says_so_without_script_then_serves_it(
    client, lot, with_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(f"/dons/lots/{lot.pk}/certificat.pdf")

    assert response.status_code == 202 and response["Retry-After"]
    page = response.content.decode()
    assert "en préparation" in page and "<script" not in page
    assert f'href="/dons/lots/{lot.pk}/certificat.pdf"' in page
    assert len(callbacks) == 1 and not CertificatePdf.objects.exists()

    certificate = ErasureCertificate.objects.get()
    tasks.render_certificate_pdf(certificate.pk, "fr")  # what the worker runs
    response = client.get(f"/dons/lots/{lot.pk}/certificat.pdf")
    assert response.status_code == 200
    assert certificate.code in pdf_text(response.content)
    assert {stored.RENDER_TASK, stored.PREPARE_TASK} <= set(app.tasks)


def test_after_a_new_erasure_the_former_file_is_never_served(client, lot, with_worker):
    client.get(f"/dons/lots/{lot.pk}/certificat.pdf")
    tasks.render_certificate_pdf(ErasureCertificate.objects.get().pk, "fr")
    assert client.get(f"/dons/lots/{lot.pk}/certificat.pdf").status_code == 200

    ErasureRecordFactory(
        ssd=True,
        device=lot.devices.get(serial="PF3ABC13"),
        operator=lot.member,
        media_serial="S4EWNX0N654321",
    )
    response = client.get(f"/dons/lots/{lot.pk}/certificat.pdf")

    assert response.status_code == 202
    new = ErasureCertificate.objects.latest("pk")
    tasks.render_certificate_pdf(new.pk, "fr")
    assert "S4EWNX0N654321" in certificate_text(client, lot)


def test_a_file_printing_a_former_site_address_is_drawn_again(client, lot, settings):
    client.get(f"/dons/lots/{lot.pk}/certificat.pdf")
    settings.PUBLIC_BASE_URL = "https://rebond.example.org"

    text = certificate_text(client, lot)

    assert "https://rebond.example.org/dons/certificats/" in text
    assert CertificatePdf.objects.count() == 1


def test_the_task_issues_and_stores_the_certificate_only_once_the_erasures_are_settled(lot):
    assert tasks.prepare_certificate(lot.pk) is None
    assert not ErasureCertificate.objects.exists()

    ErasureRecordFactory(device=lot.devices.get(serial="PF3ABC13"), operator=lot.member)
    code = tasks.prepare_certificate(lot.pk)

    certificate = ErasureCertificate.objects.get()
    assert code == certificate.code and certificate.issued_by == lot.member
    pdfs = {pdf.language: pdf for pdf in certificate.pdfs.all()}
    assert set(pdfs) == {"fr", "en"}
    assert "Data erasure certificate" in pdf_text(pdfs["en"].file.read())
    # Nothing changed since: the same certificate, its files kept.
    assert tasks.prepare_certificate(lot.pk) == code
    assert CertificatePdf.objects.count() == 2


def test_a_render_for_a_certificate_already_stored_keeps_its_file(lot):
    ErasureRecordFactory(device=lot.devices.get(serial="PF3ABC13"), operator=lot.member)
    certificate = stored.prepare(lot.pk)
    before = CertificatePdf.objects.get(certificate=certificate, language="fr")

    again = stored.render(certificate.pk, "fr")

    assert (again.pk, again.file.name, again.sha256) == (before.pk, before.file.name, before.sha256)


def test_the_verification_page_names_each_mediums_erasure_tool_as_the_pdf_does(client, lot):
    page = verification_page(client, lot)

    assert 'data-label="Outil et version">nwipe 0.37</td>' in page


def _replace_certificate(lot, days_ago):
    """A new erasure issues a new certificate, dated `days_ago` days back (the first, a day before). (first, newer)"""
    first = stored.prepare(lot.pk) or ErasureCertificate.objects.get()
    ErasureRecordFactory(
        device=lot.devices.get(serial="PF3ABC12"), operator=lot.member, media_serial="WD-WX81A"
    )
    newer = stored.prepare(lot.pk)
    ErasureCertificate.objects.filter(pk=newer.pk).update(created=timezone.now() - timedelta(days=days_ago))
    ErasureCertificate.objects.filter(pk=first.pk).update(
        created=timezone.now() - timedelta(days=days_ago + 1)
    )
    return first, newer


def test_a_replaced_certificates_file_is_deleted_after_a_month_its_hash_still_verifiable(client, lot):
    ErasureRecordFactory(device=lot.devices.get(serial="PF3ABC13"), operator=lot.member)
    first, newer = _replace_certificate(lot, days_ago=stored.SUPERSEDED_KEPT_DAYS + 1)
    old = {pdf.language: pdf for pdf in first.pdfs.all()}
    storage = old["fr"].file.storage
    assert all(storage.exists(pdf.file.name) for pdf in old.values())

    assert tasks.purge_superseded_certificate_pdfs() == 2

    for pdf in old.values():
        assert not storage.exists(pdf.file.name)
        kept = CertificatePdf.objects.get(pk=pdf.pk)
        assert kept.file.name == "" and kept.sha256 == pdf.sha256
    # The current certificate's files stay, and it is still served.
    assert all(storage.exists(pdf.file.name) for pdf in newer.pdfs.all())
    client.logout()
    page = client.get(f"/dons/certificats/{first.code}/").content.decode()
    assert f'data-superseded="{newer.code}"' in page
    assert f'href="/dons/certificats/{newer.code}/"' in page
    assert old["fr"].sha256 in page and "plus conservé" in page
    assert "purge_superseded_certificate_pdfs" in settings_beat_tasks()


def test_a_certificate_replaced_less_than_a_month_ago_keeps_its_file(lot):
    ErasureRecordFactory(device=lot.devices.get(serial="PF3ABC13"), operator=lot.member)
    first, _newer = _replace_certificate(lot, days_ago=stored.SUPERSEDED_KEPT_DAYS - 1)

    assert tasks.purge_superseded_certificate_pdfs() == 0
    assert all(pdf.file and pdf.file.storage.exists(pdf.file.name) for pdf in first.pdfs.all())


def settings_beat_tasks() -> str:
    from django.conf import settings

    return " ".join(entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values())
