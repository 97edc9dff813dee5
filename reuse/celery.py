import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reuse.settings.dev")

app = Celery("reuse")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["reuse.accounts"])


@task_prerun.connect
def _fresh_content_types(**kwargs):
    """A worker lives longer than the content types it cached: a deploy that adds a model, or a test database
    flushed between journeys, gives them new ids, and a save indexed by Wagtail (an outbox row, a lot) would then
    point at an id that no longer exists. Each task starts from the table (one small query when first needed)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
