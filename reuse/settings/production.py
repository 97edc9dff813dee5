"""Production: refuses to start while anything is missing or left at a demo value; passes `check --deploy`.

Every missing or demo setting is listed in one error (reuse/deploy.py), raised while the settings load: the web
processes, the Celery workers, beat and manage.py all stop before doing anything.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from reuse.deploy import demo_defaults_in_force, refusal_message
from reuse.settings.base import *  # noqa: F403
from reuse.settings.base import STORAGES, env_bool, env_list

_problems: list[str] = []


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        _problems.append(f"{name} must be set in the environment for the production profile.")
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
required("ALLOWED_HOSTS")
required("DATABASE_URL")
if "*" in ALLOWED_HOSTS:
    _problems.append("ALLOWED_HOSTS may not contain '*' in production.")
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))  # noqa: F405
CSRF_TRUSTED_ORIGINS = [f"https://{host.lstrip('.')}" for host in ALLOWED_HOSTS if host != "*"]

# Real Stripe unless told otherwise (the demo's localstripe on loopback is refused below).
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com")
STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL", "https://js.stripe.com/v3/")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health check is asked over plain HTTP by the load balancer or the kubelet, inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

_problems += demo_defaults_in_force(lambda name, default=None: globals().get(name, default))
if _problems:
    raise ImproperlyConfigured(refusal_message(_problems))
