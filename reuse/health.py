"""`/healthz`: what a load balancer or Kubernetes asks before sending traffic to a web process.

Reports the three things a request may need: the database, the broker (tasks would otherwise be lost) and the
shared cache (sessions of sign-in codes, rate limits). 200 when all answer, 503 with the failing part named
otherwise. The reason of a failure is logged, not shown: the endpoint is public.
"""

import logging
import uuid

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 2


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_broker() -> str:
    """Eager mode (demo, default tests) has no broker: tasks run in the request, which is reported as such."""
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return "eager"
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
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
    report["status"] = "ok" if healthy else "error"
    return JsonResponse(report, status=200 if healthy else 503)
