"""Thin Celery tasks: they call the services."""

from celery import shared_task

from reuse.aftercare import services


@shared_task
def send_due_follow_ups() -> int:
    return services.send_due_follow_ups()
