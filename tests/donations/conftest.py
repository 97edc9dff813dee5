import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.donations.export_helpers import job_of
from tests.factories.donations import LotFactory, donor_with_member


@pytest.fixture
def donor_client(client, db):
    """A signed-in member of an approved donor organisation, with a draft lot."""
    donor, user = donor_with_member()
    client.force_login(user)
    client.donor, client.user = donor, user
    client.lot = LotFactory(donor=donor, created_by=user)
    return client


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """POST a manifest through the API and run its import (eager Celery) once the request commits."""

    def send(client, lot, content: bytes, name="manifeste.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/api/v1/lots/{lot.pk}/manifest", {"file": SimpleUploadedFile(name, content)}
            )
        return response

    return send


@pytest.fixture
def answer(django_capture_on_commit_callbacks):
    """POST the donor's answers to a job's questions through the API and run the import they start (eager
    Celery) once the request commits; the new job."""

    def send(client, job, answers: dict):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/api/v1/jobs/{job.pk}/mapping", answers, content_type="application/json")
        return job_of(response)

    return send
