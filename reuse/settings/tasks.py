"""Celery settings shared by every profile: read by reuse/settings/base.py."""

import os

from celery.schedules import crontab

# Celery: without a broker, tasks run eagerly in the calling process (demo and default test run).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With Redis, a task taken by a worker that died without acknowledging it goes back to the queue once it is
# older than the visibility timeout. It must stay above the longest task (a 100k-row import takes about 15 s)
# and the longest retry countdown (a few minutes), or a running task would be delivered twice.
# A surviving worker looks for such messages every CELERY_UNACKED_RESTORE_INTERVAL seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
    "unacked_restore_interval": int(os.environ.get("CELERY_UNACKED_RESTORE_INTERVAL", "10")),
    "unacked_restore_throttle": 1,
    # A broker that takes the connection and never answers (Redis hung, a path dropping replies) would otherwise
    # hold the request that queues a task without end: past this many seconds, publishing fails and the task is
    # kept in the database (reuse.celery.keep_unsent). Above kombu's BRPOP wait (1 s), which workers poll with.
    "socket_timeout": int(os.environ.get("CELERY_BROKER_SOCKET_TIMEOUT", "3")),
    "socket_connect_timeout": int(os.environ.get("CELERY_BROKER_SOCKET_TIMEOUT", "3")),
}
# After the broker refused a task, this process keeps the next ones in the database without dialling it for this
# many seconds: one request queuing several tasks waits for one timeout, not one per task.
BROKER_PAUSE_SECONDS = int(os.environ.get("BROKER_PAUSE_SECONDS", "30"))
# A manifest import not heard of for this long (no progress written) no longer holds its lot: its worker died, or
# its eager run in the demo could not even record its failure. Its next attempt comes within the visibility
# timeout (a running import writes its progress every few seconds), so with a broker the age is above that.
IMPORT_STALE_SECONDS = int(
    os.environ.get(
        "IMPORT_STALE_SECONDS",
        "600"
        if CELERY_TASK_ALWAYS_EAGER
        else str(CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] + 600),
    )
)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Paris"
# One beat schedules for the whole deployment; any other stands by (reuse/beat.py, a lock in Redis).
CELERY_BEAT_SCHEDULER = "reuse.beat:SingleBeatScheduler"


def _beat(task: str, **when) -> dict:
    """One periodic task: its dotted name and when it runs (crontab's fields, in CELERY_TIMEZONE)."""
    return {"task": task, "schedule": crontab(**when)}


CELERY_BEAT_SCHEDULE = {
    # cms: pages editors scheduled (« Publier à », « Dépublier à ») go live and come down at their minute.
    "cms-publish-scheduled-pages": _beat("cms.tasks.publish_scheduled_pages", minute="*"),
    # inventory: fold the stock counters' changes (inventory/counts.py) every minute.
    "inventory-compact-stock-counts": _beat("inventory.tasks.compact_stock_counts", minute="*"),
    # inventory: listed prices a programme no longer allows leave the catalogue (programmes start and end daily).
    "inventory-withdraw-out-of-bounds-prices": _beat(
        "inventory.tasks.withdraw_out_of_bounds_prices", hour=0, minute=5
    ),
    # inventory: files of erasure certificates replaced more than a month ago (their hashes stay, for verification).
    "inventory-purge-superseded-certificate-pdfs": _beat(
        "inventory.tasks.purge_superseded_certificate_pdfs", hour=3, minute=45
    ),
    # tripod: the national open data of mediation places, refreshed nightly when a URL is configured; reminders.
    "tripod-refresh-mediation-places": _beat(
        "reuse.tripod.tasks.refresh_mediation_places", hour=4, minute=30
    ),
    "tripod-session-reminders": _beat("reuse.tripod.tasks.send_session_reminders", minute=20),
    # Tasks the broker refused while it was down (reuse.celery.keep_unsent), queued again once it answers.
    "accounts-publish-unsent-tasks": _beat("reuse.accounts.tasks.publish_unsent_tasks", minute="*"),
    "retry-unsent-notifications": _beat("reuse.accounts.tasks.retry_unsent_notifications", minute="*/10"),
    # accounts: expired sessions' rows, with what they kept (typed words), which Django never removes by itself.
    "accounts-clear-expired-sessions": _beat(
        "reuse.accounts.tasks.clear_expired_sessions", hour=3, minute=25
    ),
    # accounts: the API's answers kept for retries (Idempotency-Key), once their day is over.
    "accounts-forget-idempotent-requests": _beat(
        "reuse.accounts.tasks.forget_idempotent_requests", hour=3, minute=35
    ),
    # eligibility: delete reviewed documents after their retention period; remind before expiry (once).
    "eligibility-purge-documents": _beat(
        "reuse.eligibility.tasks.purge_eligibility_documents", hour=3, minute=15
    ),
    # eligibility: answers of questionnaires left unfinished, past the days they are kept.
    "eligibility-purge-questionnaire-drafts": _beat(
        "reuse.eligibility.tasks.purge_questionnaire_drafts", hour=3, minute=20
    ),
    "eligibility-renewal-reminders": _beat(
        "reuse.eligibility.tasks.send_eligibility_renewal_reminders", hour=9, minute=0
    ),
    # claims: reservations not paid in time, reminders, and waitlist offers for listed devices.
    "claims-expire-overdue": _beat("reuse.claims.tasks.expire_overdue_claims", minute="*/5"),
    "claims-remind-expiring": _beat("reuse.claims.tasks.remind_expiring_claims", minute="*/15"),
    "claims-offer-waitlisted": _beat("reuse.claims.tasks.offer_waitlisted_devices", minute="*/10"),
    "claims-retry-refunds": _beat("reuse.claims.tasks.retry_refunds", minute="*/30"),
    # aftercare: the 3-month questionnaire offered by email when it falls due.
    "aftercare-follow-ups": _beat("reuse.aftercare.tasks.send_due_follow_ups", hour=10, minute=0),
    # donations: lots no workshop could take (capacity full) are offered again as capacity frees up.
    "donations-auto-assign": _beat("donations.tasks.auto_assign_waiting", minute=15),
}
