from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from reuse.accounts import services
from reuse.accounts.models import Notification, UnsentTask
from reuse.accounts.tasks import publish_unsent_tasks, send_notification
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


def test_a_task_kept_while_redis_was_down_reaches_the_real_worker_due_when_it_was_due(
    celery_worker_process, monkeypatch
):
    """A reminder queued for 48 hours later while Redis refused: once the sweep queues it again, the real worker
    holds it until its eta (Celery's `inspect scheduled` lists it with that eta) instead of running it at once;
    a task whose eta passed while it waited runs at once."""
    organisation = OrganisationFactory(pending=True, email="contact@example.test")
    services.approve_organisation(organisation=organisation, by=UserFactory(is_staff=True))
    notification = Notification.objects.get()
    assert wait_for(lambda: Notification.objects.filter(pk=notification.pk, state="sent").exists())
    later = timezone.now() + timedelta(hours=48)

    broker = app.conf.broker_url
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:9/0")
    app._pool = app.amqp._producer_pool = None
    try:
        # The email is sent already: each run finds nothing to do, harmless whenever it comes.
        send_notification.apply_async((notification.pk,), eta=later, task_id=f"later-{notification.pk}")
        send_notification.apply_async(
            (notification.pk,), eta=timezone.now() - timedelta(minutes=1), task_id=f"past-{notification.pk}"
        )
    finally:
        monkeypatch.setenv("CELERY_BROKER_URL", broker)
        app._pool = app.amqp._producer_pool = None
        app.broker_paused_until = 0.0
    assert UnsentTask.objects.count() == 2

    assert publish_unsent_tasks() == 2

    def scheduled():
        answers = app.control.inspect(timeout=2).scheduled() or {}
        return [entry for entries in answers.values() for entry in entries]

    held = wait_for(lambda: scheduled() or None)
    assert held, celery_worker_process.log_path.read_text()[-2000:]
    (entry,) = held
    assert entry["request"]["id"] == f"later-{notification.pk}"
    assert datetime.fromisoformat(entry["eta"]) == later
    # The one whose time had passed ran at once.
    ran = f"[past-{notification.pk}] succeeded"
    assert wait_for(lambda: ran in celery_worker_process.log_path.read_text())
    assert Notification.objects.get().attempts == 1
    app.control.revoke(entry["request"]["id"])
