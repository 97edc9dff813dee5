import hashlib
import json
import logging
import os
import time
from datetime import datetime, timedelta

from celery import Celery
from celery.signals import task_prerun
from celery.utils.time import maybe_make_aware
from django.apps import apps
from django.conf import settings
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reuse.settings.dev")
logger = logging.getLogger(__name__)


# How a task was to be delivered, kept with it when the broker refuses it: Task.apply_async's and send_task's
# options (https://docs.celeryq.dev/en/stable/reference/celery.app.task.html#celery.app.task.Task.apply_async) that
# are plain values. `countdown` and `eta` become the row's absolute `eta`, `expires` its absolute `expires`; the
# producer, connection, router and result class belong to the process that queued it, and are not kept.
DELIVERY = (
    "task_id",
    "retries",
    "queue",
    "routing_key",
    "exchange",
    "priority",
    "headers",
    "time_limit",
    "soft_time_limit",
    "shadow",
    "ignore_result",
    "root_id",
    "parent_id",
)


def unsent_key(name: str, args, kwargs, eta=None) -> str:
    """The same task with the same arguments is one piece of work, however often it was queued; due at another
    time (a reminder now, an expiry in 48 hours), it is another one."""
    text = json.dumps([name, list(args or ()), dict(kwargs or {}), eta], sort_keys=True, default=str)
    if eta is None:  # the key rows written before due times were kept
        text = json.dumps([name, list(args or ()), dict(kwargs or {})], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _moment(value, now):
    """An absolute, aware time from Celery's ways of saying when: seconds from now, or a datetime (a naive one
    in the app's time zone, as Celery reads it)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return maybe_make_aware(value, app.timezone)
    return now + timedelta(seconds=float(value))


def delivery(options: dict, now) -> tuple:
    """(eta, expires, kept options) of a task's send options."""
    eta = _moment(options.get("eta"), now) or _moment(options.get("countdown"), now)
    expires = options.get("expires")
    if not isinstance(expires, int | float | datetime):  # Celery's "not given" marker
        expires = None
    kept = {name: options[name] for name in DELIVERY if options.get(name) is not None}
    for name, value in list(kept.items()):
        try:
            json.dumps(value)
        except TypeError:  # a kombu Exchange or Queue object: its name says where to deliver
            kept[name] = getattr(value, "name", None) or str(value)
    return eta, _moment(expires, now), kept


def keep_unsent(name: str, args, kwargs, error: Exception, options=None) -> None:
    """Write down a task the broker refused, for the sweep to queue once it answers, with when and how it was to
    be delivered. Tasks are queued after the work they stand for is committed (transaction.on_commit): raising
    here would answer 500 to a person whose request succeeded, and lose the task. Where no database can hold it
    (a process without Django set up), the broker's error is raised as it was."""
    if not apps.ready:
        raise error
    from django.utils import timezone

    eta, expires, kept = delivery(options or {}, timezone.now())
    unsent = apps.get_model("accounts", "UnsentTask")
    row, created = unsent.objects.get_or_create(
        key=unsent_key(name, args, kwargs, eta.isoformat() if eta else None),
        defaults={
            "task": name,
            "args": list(args or ()),
            "kwargs": dict(kwargs or {}),
            "eta": eta,
            "expires": expires,
            "options": kept,
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
                name,
                args,
                kwargs,
                OperationalError("broker refused a task moments ago: not dialled"),
                options,
            )
            return None
        try:
            return super().send_task(name, args, kwargs, **options)
        except OperationalError as error:
            if not keep:
                raise
            self.broker_paused_until = time.monotonic() + settings.BROKER_PAUSE_SECONDS
            keep_unsent(name, args, kwargs, error, options)
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
