"""Demo and local development: SQLite, eager Celery, console email. Never use in production."""

import os

from reuse.settings.base import *  # noqa: F403
from reuse.settings.base import env_list

DEBUG = os.environ.get("DJANGO_DEBUG", "1").lower() in {"1", "true", "yes", "on"}
# A fixed key is acceptable only because this profile serves demo data on loopback.
SECRET_KEY = os.environ.get("SECRET_KEY") or "demo-only-not-secret-rebond-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
