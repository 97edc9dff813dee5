import pytest
from django.core import mail

from reuse.accounts import services
from reuse.accounts.models import Notification, UnsentTask
from reuse.accounts.tasks import publish_unsent_tasks
from reuse.celery import app
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


def test_an_email_queued_while_redis_was_down_is_sent_once_by_the_real_worker_when_it_is_back(
    celery_worker_process, monkeypatch
):
    """Redis refusing (the app pointed at a closed port), then back: the kept task reaches the real worker through
    the beat's sweep, and a second sweep queues nothing more."""
    # Celery reads the broker from the environment first (celery.app.utils.Settings.broker_url).
    broker = app.conf.broker_url
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:9/0")
    app._pool = app.amqp._producer_pool = None
    try:
        organisation = OrganisationFactory(pending=True, email="contact@example.test")
        services.approve_organisation(organisation=organisation, by=UserFactory(is_staff=True))
    finally:
        monkeypatch.setenv("CELERY_BROKER_URL", broker)
        app._pool = app.amqp._producer_pool = None
        app.broker_paused_until = 0.0
    notification = Notification.objects.get()
    assert notification.state == "pending" and UnsentTask.objects.count() == 1

    assert publish_unsent_tasks() == 1
    assert publish_unsent_tasks() == 0
    sent = wait_for(lambda: Notification.objects.filter(pk=notification.pk, state="sent").exists())
    assert sent, celery_worker_process.log_path.read_text()[-2000:]
    assert Notification.objects.get().attempts == 1
