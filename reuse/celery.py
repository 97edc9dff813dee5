import hashlib
import json
import logging
import os
import time

from celery import Celery
from celery.signals import task_prerun
from django.apps import apps
from django.conf import settings
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reuse.settings.dev")
logger = logging.getLogger(__name__)


def unsent_key(name: str, args, kwargs) -> str:
    """The same task with the same arguments is one piece of work, however often it was queued."""
    text = json.dumps([name, list(args or ()), dict(kwargs or {})], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def keep_unsent(name: str, args, kwargs, error: Exception) -> None:
    """Write down a task the broker refused, for the sweep to queue once it answers. Tasks are queued after the
    work they stand for is committed (transaction.on_commit): raising here would answer 500 to a person whose
    request succeeded, and lose the task. Where no database can hold it (a process without Django set up), the
    broker's error is raised as it was."""
    if not apps.ready:
        raise error
    unsent = apps.get_model("accounts", "UnsentTask")
    row, created = unsent.objects.get_or_create(
        key=unsent_key(name, args, kwargs),
        defaults={
            "task": name,
            "args": list(args or ()),
            "kwargs": dict(kwargs or {}),
            "last_error": f"{type(error).__name__}: {error}"[:2000],
        },
    )
    logger.error(
        "broker unavailable: task %s%s kept as unsent task %s (queued again once the broker answers): %s",
        name,
        "" if created else " (already kept)",
        row.pk,
        error,
    )


class RebondCelery(Celery):
    # Until when (time.monotonic()) this process keeps tasks without dialling the broker that just refused one.
    broker_paused_until = 0.0

    def send_task(self, name, args=None, kwargs=None, **options):
        """Every task goes through here (Task.apply_async included) unless it runs eagerly. `keep_unsent=False`:
        the sweep itself, which always dials the broker and keeps its row when the broker still refuses."""
        keep = options.pop("keep_unsent", True)
        if keep and time.monotonic() < self.broker_paused_until:
            keep_unsent(
                name, args, kwargs, OperationalError("broker refused a task moments ago: not dialled")
            )
            return None
        try:
            return super().send_task(name, args, kwargs, **options)
        except OperationalError as error:
            if not keep:
                raise
            self.broker_paused_until = time.monotonic() + settings.BROKER_PAUSE_SECONDS
            keep_unsent(name, args, kwargs, error)
            return None


app = RebondCelery("reuse")
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
