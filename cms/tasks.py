"""Scheduled portal chores (beat entries in CELERY_BEAT_SCHEDULE)."""

import io

from celery import shared_task
from django.core.management import call_command


@shared_task
def publish_scheduled_pages() -> None:
    """Put live the pages (and snippets) editors scheduled with « Publier à », take down those past « Dépublier
    à »: Wagtail does it only when its `publish_scheduled` command runs, which nothing else calls."""
    call_command("publish_scheduled", stdout=io.StringIO())
