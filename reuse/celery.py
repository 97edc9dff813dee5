import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reuse.settings.dev")

app = Celery("reuse")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["reuse.accounts"])
