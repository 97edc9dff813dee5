"""`/healthz`: what a load balancer or Kubernetes asks before sending traffic to a web process.

Reports the three things a request may need: the database, the broker (tasks would otherwise wait) and the
shared cache (sessions of sign-in codes, rate limits). 200 when all answer, 503 with the failing part named
otherwise. The reason of a failure is logged, not shown: the endpoint is public. Beside them, how many tasks the
broker refused wait in the database for the beat's sweep (reuse.celery.keep_unsent): not a reason to stop sending
traffic to this process, but a number that does not fall once the broker answers says the beat or the workers are
not running.
"""

import logging
import uuid

import redis
from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from reuse.accounts.models import UnsentTask

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 2


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_broker() -> str:
    """Eager mode (demo, default tests) has no broker: tasks run in the request, which is reported as such. The
    broker asked is the one tasks are sent to: the Celery app's."""
    broker_url = current_app.conf.broker_url
    if settings.CELERY_TASK_ALWAYS_EAGER or not broker_url:
        return "eager"
    client = redis.Redis.from_url(
        broker_url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
    )
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    value = cache.get(key)
    cache.delete(key)
    if value != "1":
        raise RuntimeError("the cache did not return what was just written")
    return "ok"


CHECKS = {"database": check_database, "broker": check_broker, "cache": check_cache}


@never_cache
@require_GET
def healthz(request):
    report = {}
    healthy = True
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure of a dependency is reported, then logged
            logger.error("healthz: %s unavailable: %r", name, exc)
            report[name] = "error"
            healthy = False
    if report["database"] == "ok":
        report["tasks_waiting_for_broker"] = UnsentTask.objects.count()
    report["status"] = "ok" if healthy else "error"
    return JsonResponse(report, status=200 if healthy else 503)
