"""Thin Celery tasks: they call the services."""

from celery import shared_task

from reuse.aftercare.services import follow_ups


@shared_task
def send_due_follow_ups() -> int:
    return follow_ups.send_due_follow_ups()
