"""The email outbox: every Notification row is sent by a task, and its row tells the truth about it.

A send that fails is recorded in its own committed transaction (error, attempt count, when the next attempt is
due) before anything is re-queued, retried with exponential backoff, and given up after NOTIFICATION_MAX_ATTEMPTS
with the state "Abandonné" that staff see in the admin (Notifications, filtered by state).
"""

import logging
from datetime import timedelta
from importlib import import_module
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reuse.accounts import unsent
from reuse.accounts.email_links import CONFIRMATION_DAYS, confirmation_token, password_link
from reuse.accounts.emails import outgoing, written_for
from reuse.accounts.enums import NotificationState
from reuse.accounts.models import IdempotentRequest, Notification, User
from reuse.accounts.transitions import NOTIFICATIONS

logger = logging.getLogger(__name__)
RETRYABLE = [NotificationState.PENDING, NotificationState.FAILED]


def max_attempts() -> int:
    return settings.NOTIFICATION_MAX_ATTEMPTS


def backoff(attempts: int) -> timedelta:
    """Delay before attempt n+1 after n failures: base, 2×base, 4×base... capped at NOTIFICATION_RETRY_MAX."""
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), settings.NOTIFICATION_RETRY_MAX_SECONDS))


def _attempt(notification_id: int) -> tuple[str, Notification | None]:
    """One attempt, committed whatever happens. Returns (outcome, notification)."""
    now = timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().filter(pk=notification_id, state__in=RETRYABLE).first()
        )
        if notification is None:
            return "already-done", None
        if notification.next_attempt_at is not None and notification.next_attempt_at > now:
            return "not-due", notification  # an early duplicate (sweep and countdown both fired): wait
        message = outgoing(
            to=notification.to_email,
            language=notification.language,
            subject=notification.subject,
            text=notification.body_text,
            html=notification.body_html,
        )
        notification.attempts += 1
        try:
            message.send()
        except OSError as exc:  # smtplib's errors, refused connections and timeouts are all OSErrors
            error = f"{type(exc).__name__}: {exc}"[:2000]
            if notification.attempts >= max_attempts():
                NOTIFICATIONS.move(
                    notification,
                    NotificationState.GAVE_UP,
                    changes={"last_error": error, "next_attempt_at": None},
                    save_also=["attempts"],
                )
                logger.error(
                    "Email %s given up after %s attempts: %s", notification.pk, notification.attempts, exc
                )
            else:
                NOTIFICATIONS.move(
                    notification,
                    NotificationState.FAILED,
                    changes={"last_error": error, "next_attempt_at": now + backoff(notification.attempts)},
                    save_also=["attempts"],
                )
                logger.warning(
                    "Email %s failed (attempt %s), next attempt at %s: %s",
                    notification.pk,
                    notification.attempts,
                    notification.next_attempt_at.isoformat(),
                    exc,
                )
            return ("gave-up" if notification.state == NotificationState.GAVE_UP else "failed"), notification
        NOTIFICATIONS.move(
            notification,
            NotificationState.SENT,
            changes={"sent_at": timezone.now(), "next_attempt_at": None},
            save_also=["attempts"],
        )
        return "sent", notification


@shared_task
def send_notification(notification_id: int) -> str:
    outcome, notification = _attempt(notification_id)
    # The failure is committed above; only now is the next attempt queued. Without a broker (demo, eager mode)
    # a countdown would run at once: the next attempt is left to the sweep instead.
    if outcome == "failed" and not settings.CELERY_TASK_ALWAYS_EAGER:
        delay = max((notification.next_attempt_at - timezone.now()).total_seconds(), 0)
        # On the queue this attempt came from, as Celery's own retries are (Task.signature_from_request): emails
        # routed to a mail queue have their workers there, and nothing may serve the default queue.
        queue = (send_notification.request.delivery_info or {}).get("routing_key")
        send_notification.apply_async(
            (notification.pk,), countdown=delay, **({"queue": queue} if queue else {})
        )
    return outcome


@shared_task
def retry_unsent_notifications() -> int:
    """Beat's sweep: failed emails whose next attempt is due, and pending ones whose task was lost (broker down
    at commit time). Given-up emails are left to staff."""
    now = timezone.now()
    due = Notification.objects.filter(
        Q(state=NotificationState.FAILED, next_attempt_at__lte=now)
        | Q(state=NotificationState.PENDING, created__lt=now - timedelta(minutes=10))
    ).values_list("pk", flat=True)[:500]
    count = 0
    for pk in due:
        send_notification.delay(pk)
        count += 1
    return count


@shared_task
def publish_unsent_tasks() -> int:
    """Beat's sweep: queue the tasks the broker refused (reuse.celery.keep_unsent), oldest first, each with the
    delivery it was given (reuse.accounts.unsent). Returns how many were queued."""
    return unsent.send_all_again()


def _send_link(task, user: User, template: str, to: str, context: dict) -> str:
    """Build and send, here and now, an email carrying a link that acts on the account (a password reset, an
    address to confirm): made on PUBLIC_BASE_URL and stored nowhere (the outbox keeps its bodies for staff to
    read: a live link has no place there). A mail server that fails is tried again (smtplib's errors are
    OSErrors)."""
    base = urlsplit(settings.PUBLIC_BASE_URL)
    context = {
        **context,
        "domain": base.netloc,
        "site_name": base.netloc,
        "protocol": base.scheme,
        "user": user,
    }
    email = written_for(user.language, template, context)
    message = outgoing(
        to=to, language=email.language, subject=email.subject, text=email.text, html=email.html
    )
    try:
        message.send()
    except OSError as exc:
        if settings.CELERY_TASK_ALWAYS_EAGER or task.request.retries >= task.max_retries:
            # Without a worker (the demo) nothing waits to try again: the person asks for a new link.
            logger.error("%s email for user %s not sent: %s", template, user.pk, exc)
            return "failed"
        raise task.retry(exc=exc, countdown=60 * 2**task.request.retries) from exc
    return "sent"


@shared_task(bind=True, max_retries=5)
def send_password_reset(self, user_id: int) -> str:
    """The password reset email, built and sent here rather than in the request that asked for it: the page then
    takes the same time for a known address as for an unknown one. It goes only to the account's address in use,
    never to one asked for and not yet confirmed (`pending_email`)."""
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email=None).first()
    if user is None:
        return "gone"
    link = password_link(user)
    context = {"email": user.email, "uid": link["uidb64"], "token": link["token"]}
    return _send_link(self, user, "password_reset", user.email, context)


@shared_task(bind=True, max_retries=5)
def send_email_confirmation(self, user_id: int) -> str:
    """The link that confirms the address asked for (reuse.accounts.identifiers), sent to that address only."""
    user = User.objects.filter(pk=user_id, is_active=True).exclude(pending_email="").first()
    if user is None:
        return "gone"
    context = {"token": confirmation_token(user), "days": CONFIRMATION_DAYS}
    return _send_link(self, user, "email_confirmation", user.pending_email, context)


@shared_task
def clear_expired_sessions() -> None:
    """Remove the rows of expired sessions, and with them what a session kept (the words of a form sent after it
    ended, reuse.views.keep_typed; a closed account's other sessions). Django never does it by itself (its docs,
    « Clearing the session store »); this is its `clearsessions`, run nightly by the beat."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


@shared_task
def forget_idempotent_requests() -> int:
    """Delete the API answers kept for retries once their key has lapsed (reuse/api_retries.py), run nightly by the
    beat: a person who never sends another key would otherwise keep theirs for ever."""
    lapsed = IdempotentRequest.objects.filter(created__lt=timezone.now() - IdempotentRequest.LIFETIME)
    return lapsed.delete()[0]
