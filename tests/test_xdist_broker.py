"""Each pytest worker of the services pass, its live server and the Celery worker it starts share one Redis
database of their own: Celery reads the broker from the environment before the settings, so the environment must
agree with the settings, in the pytest worker and in every process it starts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SHOW = (
    "import django, subprocess, sys; django.setup(); "
    "from django.conf import settings; from reuse.celery import app; "
    "child = subprocess.run([sys.executable, '-c', 'import django; django.setup(); "
    "from reuse.celery import app; print(app.conf.broker_url)'], capture_output=True, text=True, check=True); "
    "print(settings.CELERY_BROKER_URL, app.conf.broker_url, child.stdout.strip())"
)


@pytest.mark.parametrize("worker, database", [("gw0", 15), ("gw1", 14), ("gw2", 13)])
def test_a_pytest_worker_its_celery_app_and_the_processes_it_starts_use_its_own_broker_database(
    worker, database
):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("TEST_BROKER_BASE_URL", "CELERY_BROKER_URL", "PYTEST_XDIST_WORKER")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="reuse.settings.test",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/15",
        PYTEST_XDIST_WORKER=worker,
    )
    shown = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert shown == [f"redis://127.0.0.1:6379/{database}"] * 3
