"""Thin Celery tasks: the scheduled refresh of mediation places and the session reminders."""

import logging
import urllib.error

from celery import shared_task
from django.conf import settings

from reuse.tripod import lamednum, services, texts
from reuse.tripod.models import PlaceImport

logger = logging.getLogger(__name__)


@shared_task
def refresh_mediation_places():
    """Fetch the configured file and import it; a download that fails is recorded, then raised for the logs."""
    try:
        record = lamednum.refresh_from_configured_url()
    except (urllib.error.URLError, OSError) as exc:
        PlaceImport.objects.create(
            source="scheduled",
            filename=settings.MEDIATION_PLACES_URL[:500],
            failure=texts.DOWNLOAD_FAILED(error=str(exc)[:500]),
        )
        raise
    if record is not None:
        logger.info(
            "Mediation places refreshed: %s created, %s updated, %s rows refused, %s imported with a warning",
            record.created_count,
            record.updated_count,
            len(record.errors),
            len(record.warnings),
        )
        return record.pk
    return None


@shared_task
def send_session_reminders():
    return services.send_session_reminders()
