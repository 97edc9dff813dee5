import logging
from datetime import timedelta

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from reuse.accounts.enums import NotificationState
from reuse.accounts.models import Notification
from reuse.accounts.transitions import NOTIFICATIONS

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@shared_task(bind=True, max_retries=MAX_ATTEMPTS, default_retry_delay=60)
def send_notification(self, notification_id: int) -> str:
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, state__in=["pending", "failed"])
            .first()
        )
        if notification is None:
            return "already-sent"
        message = EmailMultiAlternatives(
            subject=notification.subject, body=notification.body_text, to=[notification.to_email]
        )
        if notification.body_html:
            message.attach_alternative(notification.body_html, "text/html")
        attempts = notification.attempts + 1
        try:
            message.send()
        except OSError as exc:
            NOTIFICATIONS.move(
                notification,
                NotificationState.FAILED,
                changes={"attempts": attempts, "last_error": str(exc)[:2000]},
            )
            logger.warning("Email %s failed (attempt %s): %s", notification.pk, notification.attempts, exc)
            raise self.retry(exc=exc) from exc
        NOTIFICATIONS.move(
            notification, NotificationState.SENT, changes={"attempts": attempts, "sent_at": timezone.now()}
        )
    return "sent"


@shared_task
def retry_unsent_notifications() -> int:
    """Catch emails whose task was lost (broker down at commit time)."""
    stale = Notification.objects.filter(
        state__in=[NotificationState.PENDING, NotificationState.FAILED],
        attempts__lt=MAX_ATTEMPTS,
        created__lt=timezone.now() - timedelta(minutes=10),
    ).values_list("pk", flat=True)[:500]
    count = 0
    for pk in stale:
        send_notification.delay(pk)
        count += 1
    return count
