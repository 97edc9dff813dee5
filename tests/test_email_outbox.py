"""The email outbox tells the truth: a send refused by the SMTP server is recorded (error, attempt count, next
attempt after a backoff), retried when due, and given up after the limit with a state staff see in the admin.
Against a local SMTP server that refuses, then accepts."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from reuse.accounts import services
from reuse.accounts.models import Notification
from reuse.accounts.tasks import retry_unsent_notifications, send_notification
from tests.factories.accounts import UserFactory
from tests.smtp_server import LocalSMTPServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    with LocalSMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.NOTIFICATION_MAX_ATTEMPTS = 5
        settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
        settings.NOTIFICATION_RETRY_MAX_SECONDS = 1800
        yield server


def queued(django_capture_on_commit_callbacks, **kwargs) -> Notification:
    """An email queued the way every feature queues one (the task runs once the transaction commits)."""
    user = UserFactory(email="foyer@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify(template="organisation_approved", context=kwargs, user=user)
    notification.refresh_from_db()
    return notification


@pytest.fixture
def template_context():
    from tests.factories.accounts import OrganisationFactory

    return {"organisation": OrganisationFactory()}


def test_a_refused_email_is_recorded_then_sent_when_the_server_accepts(
    smtp, django_capture_on_commit_callbacks, template_context
):
    smtp.refusing = True
    with time_machine.travel(timezone.now(), tick=False) as clock:
        notification = queued(django_capture_on_commit_callbacks, **template_context)
        assert smtp.refused == 1
        assert notification.state == "failed"
        assert notification.attempts == 1
        assert "451" in notification.last_error and "SMTPRecipientsRefused" in notification.last_error
        assert notification.next_attempt_at == timezone.now() + timedelta(seconds=60)

        # Not due yet: neither a duplicate task nor the sweep tries again.
        assert send_notification(notification.pk) == "not-due"
        assert retry_unsent_notifications() == 0
        notification.refresh_from_db()
        assert notification.attempts == 1 and smtp.refused == 1

        clock.shift(timedelta(seconds=61))
        smtp.refusing = False
        assert retry_unsent_notifications() == 1  # eager here: the sweep's task runs at once
        notification.refresh_from_db()
        assert notification.state == "sent"
        assert notification.attempts == 2
        assert notification.next_attempt_at is None and notification.sent_at is not None
        assert notification.last_error  # the history of the failure stays readable
    [(recipients, message)] = smtp.messages
    assert recipients == ["foyer@example.test"]
    assert message["Subject"] == notification.subject


def test_backoff_doubles_then_the_email_is_given_up_and_left_to_staff(
    smtp, django_capture_on_commit_callbacks, template_context
):
    smtp.refusing = True
    delays = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        notification = queued(django_capture_on_commit_callbacks, **template_context)
        for _ in range(4):
            delays.append((notification.next_attempt_at - timezone.now()).total_seconds())
            clock.shift(notification.next_attempt_at - timezone.now())
            assert retry_unsent_notifications() == 1
            notification.refresh_from_db()
        assert delays == [60, 120, 240, 480]
        assert notification.state == "gave_up"
        assert notification.attempts == 5
        assert notification.next_attempt_at is None
        assert smtp.refused == 5
        clock.shift(timedelta(days=1))
        assert retry_unsent_notifications() == 0
    assert smtp.messages == []


def test_a_failure_queues_the_next_attempt_only_after_it_is_recorded(smtp, settings, template_context):
    """With a broker, the next attempt is a task with the backoff as countdown, queued after the failure is
    committed (the row says failed, 1 attempt, when it is sent)."""
    smtp.refusing = True
    user = UserFactory(email="foyer@example.test")
    notification = services.notify(template="organisation_approved", context=template_context, user=user)
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def at_queue_time(args, countdown):
        row = Notification.objects.get(pk=args[0])
        seen.append((row.state, row.attempts, round(countdown)))

    seen = []
    with mock.patch.object(send_notification, "apply_async", side_effect=at_queue_time):
        assert send_notification(notification.pk) == "failed"
    assert seen == [("failed", 1, 60)]


def test_staff_see_given_up_emails_and_requeue_them(
    smtp, client, template_context, django_capture_on_commit_callbacks
):
    smtp.refusing = True
    user = UserFactory(email="foyer@example.test")
    notification = services.notify(template="organisation_approved", context=template_context, user=user)
    Notification.objects.filter(pk=notification.pk).update(
        state="gave_up", attempts=5, last_error="SMTPRecipientsRefused: 451 try again later"
    )
    staff = UserFactory(email="staff@example.test", is_staff=True, is_superuser=True)
    client.force_login(staff)
    listing = client.get(reverse("notifications:index"), {"state": "gave_up"})
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "foyer@example.test" in page and "Abandonné" in page and "451 try again later" in page

    smtp.refusing = False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:retry", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.state == "sent" and notification.attempts == 1
    assert len(smtp.messages) == 1
    # The outbox is written by the tasks: no edit form for staff.
    assert client.get(reverse("notifications:edit", args=[notification.pk])).status_code in (302, 403)


def test_people_who_are_not_staff_cannot_read_the_outbox(client, template_context):
    client.force_login(UserFactory(email="someone@example.test"))
    assert client.get(reverse("notifications:index")).status_code in (302, 403)
