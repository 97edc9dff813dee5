import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

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
