"""Scheduled eligibility chores (beat entries in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from reuse.eligibility.services import decisions, documents, drafts


@shared_task
def purge_eligibility_documents() -> int:
    """Delete the files of decided documents once their retention period is over."""
    return documents.purge_documents()


@shared_task
def send_eligibility_renewal_reminders() -> int:
    """Remind households by email, once, 30 days before their decision expires."""
    return decisions.send_renewal_reminders()


@shared_task
def purge_questionnaire_drafts() -> int:
    """Delete the answers of questionnaires left unfinished for longer than they are kept."""
    return drafts.purge_drafts()
