"""A household's proof is not served once its retention is over, whether or not the nightly purge has run yet.

The file is deleted by `purge_eligibility_documents` once a night; until it ran (the scheduler down, a backup
restored, the night not come yet) the review queue still handed the file to staff a day or more after the
programme said it would be gone. The retention counts from the review (or from the decision that replaced an
unreviewed proof), as the purge counts it.
"""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from reuse.eligibility.services import documents
from tests.documents import PDF
from tests.factories.accounts import UserFactory, household
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_a_reviewed_proof_is_not_served_after_its_retention_even_before_the_purge(client):
    programme = ProgrammeFactory(every_check=True)
    staff = UserFactory(is_staff=True, is_superuser=True)
    person = household()
    decision = documents.upload_document(
        household=person, uploaded_by=person, criteria=["rsa"], upload=SimpleUploadedFile("caf.pdf", PDF)
    )
    document = decision.documents.get()
    documents.review_document(document=document, reviewer=staff, approve=True)
    client.force_login(staff)
    url = f"/admin/eligibilite/justificatifs/{document.pk}/fichier/"
    assert client.get(url).status_code == 200

    retention = datetime.timedelta(days=programme.document_retention_days)
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + retention - datetime.timedelta(hours=1)):
        client.force_login(staff)  # a session of the day (sign-in sessions end sooner than the retention)
        assert client.get(url).status_code == 200
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + retention + datetime.timedelta(hours=1)):
        client.force_login(staff)
        assert client.get(url).status_code == 404
        page = client.get(f"/admin/eligibilite/justificatifs/{document.pk}/").content.decode()
        assert url not in page
