"""A task that fails for a passing reason (the mail server answers « 451, try again later ») is retried by the real
worker with backoff, and ends in a state staff see: sent once the server accepts, or « Abandonné » after
NOTIFICATION_MAX_ATTEMPTS, with the last error. Before, the next attempt was queued without the queue the email
came from: routed to a mail queue (as operators do to keep emails apart), a failed email's retry went to the
default queue, where no mail worker listens, and waited there, « Échoué » for good.

Real components: a Celery worker process of this test's own, listening only to its queue, sending through a
small SMTP server on loopback (tests/smtp_server.py: refuses with 451 while `refusing`, RFC 5321 §4.2.1).
"""

import pytest

from reuse.accounts.enums import NotificationState
from reuse.accounts.models import Notification
from reuse.accounts.tasks import send_notification
from tests.conftest import WorkerProcess, _database_url
from tests.services.conftest import wait_for
from tests.smtp_server import LocalSMTPServer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]
QUEUE = "mail-retries-test"


@pytest.fixture
def smtp():
    with LocalSMTPServer() as server:
        yield server


@pytest.fixture
def mail_worker(smtp, tmp_path):
    worker = WorkerProcess(
        _database_url(),
        tmp_path / "mail-worker.log",
        env={
            "TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "TEST_EMAIL_PORT": str(smtp.port),
            "NOTIFICATION_RETRY_BASE_SECONDS": "3",
            "NOTIFICATION_MAX_ATTEMPTS": "3",
        },
        queues=(QUEUE,),
    )
    worker.start()
    yield worker
    worker.stop()


def an_email() -> Notification:
    """An outbox row, queued by the test itself on the mail queue (services.notify would queue it on the default
    queue, which the session's worker may be serving)."""
    return Notification.objects.create(
        to_email="foyer@example.test",
        template="organisation_approved",
        subject="Bienvenue",
        body_text="Bonjour",
    )


def state_of(notification) -> tuple[str, int]:
    notification.refresh_from_db()
    return notification.state, notification.attempts


def test_an_email_the_server_refuses_is_retried_on_its_queue_then_sent_or_given_up_for_staff(
    smtp, mail_worker
):
    log = mail_worker.log_path
    smtp.refusing = True
    given_up = an_email()
    send_notification.apply_async((given_up.pk,), queue=QUEUE)

    ended = wait_for(lambda: state_of(given_up)[0] == NotificationState.GAVE_UP, timeout=60)
    assert ended, (state_of(given_up), log.read_text()[-2000:])
    assert given_up.attempts == 3 and smtp.refused == 3
    assert "451" in given_up.last_error and given_up.next_attempt_at is None

    sent = an_email()
    send_notification.apply_async((sent.pk,), queue=QUEUE)
    assert wait_for(lambda: state_of(sent) == (NotificationState.FAILED, 1), timeout=60), log.read_text()[
        -2000:
    ]
    assert sent.next_attempt_at is not None and "451" in sent.last_error
    smtp.refusing = False

    assert wait_for(lambda: state_of(sent)[0] == NotificationState.SENT, timeout=60), log.read_text()[-2000:]
    assert sent.attempts == 2
    assert [recipients for recipients, _message in smtp.messages] == [["foyer@example.test"]]
