"""Test profile: the dev defaults, with failures made loud."""

import os
import sys
from urllib.parse import urlsplit, urlunsplit

from reuse.settings.dev import *  # noqa: F403
from reuse.settings.dev import (
    BASE_DIR,
    CELERY_BROKER_TRANSPORT_OPTIONS,
    CELERY_BROKER_URL,
    STORAGES,
    TEMPLATES,
)

PROJECT_TEMPLATE_ROOTS = tuple(
    str(BASE_DIR / folder) for folder in ("templates", "reuse", "donations", "inventory", "cms")
)


def _rendering_template_origin() -> str:
    frame = sys._getframe(2)
    while frame is not None:
        context = frame.f_locals.get("context")
        template = getattr(context, "template", None)
        if template is not None and getattr(template, "origin", None) is not None:
            return str(template.origin.name)
        frame = frame.f_back
    return ""


class InvalidTemplateVariable(str):
    """Raises on an unknown variable in the project's own templates so that a typo fails the suite.

    Third-party templates (Wagtail's admin) rely on Django's silent failure and are left alone.
    """

    def __mod__(self, other):
        origin = _rendering_template_origin()
        if origin.startswith(PROJECT_TEMPLATE_ROOTS) and "/.venv/" not in origin:
            raise NameError(f"Invalid template variable {other!r} in {origin}")
        return ""

    def __contains__(self, item):
        return item == "%s"


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
DEBUG = False
# A worker of a services test may send through a real SMTP server on loopback (tests/smtp_server.py).
EMAIL_BACKEND = os.environ.get("TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("TEST_EMAIL_PORT", "25"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Each pytest-xdist worker has its own folders: a test empties them when it ends, which must not pull the
# files from under a test running at the same time in another worker, or in another run that .ci/run started
# beside this one (TEST_RUN names it).
TEST_MEDIA = (
    BASE_DIR
    / ".test-media"
    / os.environ.get("TEST_RUN", "local")
    / os.environ.get("PYTEST_XDIST_WORKER", "main")
)
MEDIA_ROOT = TEST_MEDIA / "public"
PRIVATE_MEDIA_ROOT = TEST_MEDIA / "private"
STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_AUTOREFRESH = True


def _broker_of_this_xdist_worker(url: str, worker: str) -> str:
    """Each pytest-xdist worker of the services pass has its own Redis database, as it has its own PostgreSQL
    database: gw0 keeps the given one, gw1 the one below it, and so on. The Celery worker process a pytest worker
    starts inherits PYTEST_XDIST_WORKER and so listens on the same one; a task queued by one pytest worker's
    live server is never taken by another's Celery worker, which would look in another database."""
    if not url.startswith("redis") or not worker.startswith("gw"):
        return url
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) - int(worker[2:])
    if number < 0:
        raise ValueError(f"CELERY_BROKER_URL {url}: no Redis database left for xdist worker {worker}")
    return urlunsplit(parts._replace(path=f"/{number}"))


# Celery reads the broker from the environment before the settings (celery.app.utils.Settings.broker_url): the
# environment must name this worker's database too, or every pytest worker's live server and every Celery worker
# it starts would use the one the run was given, and a task queued by one pytest worker would be taken by
# another's Celery worker, on the wrong test database. The given one is kept aside for the processes started
# from here (the Celery worker), which work out the same database from it.
TEST_BROKER_BASE_URL = os.environ.setdefault("TEST_BROKER_BASE_URL", CELERY_BROKER_URL)
CELERY_BROKER_URL = _broker_of_this_xdist_worker(
    TEST_BROKER_BASE_URL, os.environ.get("PYTEST_XDIST_WORKER", "")
)
if CELERY_BROKER_URL:
    os.environ["CELERY_BROKER_URL"] = CELERY_BROKER_URL
# A real worker runs the tasks only in the services pass, where CELERY_BROKER_URL is set.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# The services pass kills a whole worker mid-task and starts a new one: the task must come back within the test,
# so the timeout is short (the longest task there takes a few seconds) and the sweep looks every 2 s.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": 30,
    "unacked_restore_interval": 2,
    "unacked_restore_throttle": 1,
}
