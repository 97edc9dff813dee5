"""Scheduled eligibility chores run by a real Celery worker on PostgreSQL."""

import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reuse.accounts import identifiers
from reuse.accounts.email_links import confirmation_token
from reuse.accounts.models import Notification, User
from reuse.eligibility.models import EligibilityDecision, EligibilityDocument
from reuse.eligibility.services import decisions, documents
from reuse.eligibility.tasks import purge_eligibility_documents, send_eligibility_renewal_reminders
from tests.documents import PDF
from tests.factories.accounts import UserFactory, household
from tests.factories.eligibility import accredited_referrer, household_opened_by
from tests.factories.programmes import ProgrammeFactory
from tests.services.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_deletes_documents_past_retention_only(celery_worker_process):
    ProgrammeFactory(every_check=True)
    staff = UserFactory(is_staff=True, is_superuser=True)
    old, recent = household(), household()
    uploaded = []
    for person in (old, recent):
        decision = documents.upload_document(
            household=person, uploaded_by=person, criteria=["rsa"], upload=SimpleUploadedFile("a.pdf", PDF)
        )
        document = decision.documents.get()
        documents.review_document(document=document, reviewer=staff, approve=True)
        uploaded.append(document)
    EligibilityDocument.objects.filter(pk=uploaded[0].pk).update(
        reviewed_at=timezone.now() - timedelta(days=31)
    )
    old_path = uploaded[0].file.path
    assert old_path.startswith(str(settings.PRIVATE_MEDIA_ROOT))

    purge_eligibility_documents.delay()
    assert wait_for(
        lambda: EligibilityDocument.objects.filter(pk=uploaded[0].pk, deleted_at__isnull=False).exists()
    )
    assert not os.path.exists(old_path)
    assert EligibilityDocument.objects.get(pk=uploaded[1].pk).deleted_at is None
    assert os.path.exists(uploaded[1].file.path)


def test_the_worker_sends_the_renewal_reminder_once(celery_worker_process):
    ProgrammeFactory(every_check=True)
    referrer, _org = accredited_referrer()
    from reuse.eligibility.enums import MandateScope

    person = household_opened_by(
        referrer,
        first_name="Zoé",
        last_name="Marin",
        birth_date=timezone.now().date().replace(year=1990),
        email="zoe@example.test",
        scopes=[MandateScope.ELIGIBILITY, MandateScope.CLAIMS],  # an address needs both
        months=6,
    )
    # The address the referrer typed is used once the person has followed the link sent to it.
    person = identifiers.confirm_email_change(token=confirmation_token(User.objects.get(pk=person.pk)))
    decision = decisions.attest(referrer=referrer, household=person, criteria=["rsa"])
    EligibilityDecision.objects.filter(pk=decision.pk).update(expires_at=timezone.now() + timedelta(days=10))
    send_eligibility_renewal_reminders.delay()
    send_eligibility_renewal_reminders.delay()
    assert wait_for(
        lambda: Notification.objects.filter(
            template="eligibility_renewal", to_email="zoe@example.test", state="sent"
        ).exists()
    )
    assert Notification.objects.filter(template="eligibility_renewal").count() == 1
