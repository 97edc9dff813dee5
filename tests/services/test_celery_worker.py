import pytest
from django.core import mail

from reuse.accounts import services
from reuse.accounts.models import Notification
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.services.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_task_enqueued_on_commit_runs_on_the_real_worker(celery_worker_process):
    organisation = OrganisationFactory(pending=True, email="contact@example.test")
    services.approve_organisation(organisation=organisation, by=UserFactory(is_staff=True))

    notification = Notification.objects.get()
    sent = wait_for(lambda: Notification.objects.filter(pk=notification.pk, state="sent").exists())
    assert sent, celery_worker_process.log_path.read_text()[-2000:]
    # The email left from the worker's process, not this one: proof that nothing ran eagerly here.
    assert mail.outbox == []
    assert "send_notification[" in celery_worker_process.log_path.read_text()
