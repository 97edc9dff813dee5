"""Logging: what the processes write and the error emails they send, without personal data."""

import os

# Every handler redacts personal data (reuse/logs.py): addresses, phone numbers, IBAN, tokens, secrets and codes
# that a mail server, PostgreSQL or Stripe repeat in their errors. The error emails of 500s (sent when ADMINS is
# set) go through the same filter and a report that hides the person's form, cookies, query and name.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Time, level, logger and process on each line: the web processes and the Celery workers (which keep these
    # handlers instead of their own) write the same lines.
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"}},
    "filters": {
        "personal_data": {"()": "reuse.logs.RedactPersonalData"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["personal_data"], "formatter": "line"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "personal_data"],
            "reporter_class": "reuse.logs.PrivateExceptionReporter",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's own handlers for "django" (its mail_admins has no filter); records still reach root.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
    },
}
DEFAULT_EXCEPTION_REPORTER = "reuse.logs.PrivateExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "reuse.logs.PrivateExceptionReporterFilter"
# Who receives the error email of a 500 (comma-separated addresses); none: the console log alone.
ADMINS = [
    ("Rebond", address.strip()) for address in os.environ.get("ADMINS", "").split(",") if address.strip()
]

# A Celery worker keeps these handlers (and their filter) instead of putting its own on the root logger: the
# tasks that send emails and read Stripe's answers run there, and their errors repeat what the filter hides.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
