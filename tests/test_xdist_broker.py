"""Each pytest worker of the services pass, its live server and the Celery worker it starts share one Redis
database of their own: Celery reads the broker from the environment before the settings, so the environment must
agree with the settings, in the pytest worker and in every process it starts."""

import os
import runpy
import sys
from pathlib import Path

import pytest
from celery import Celery

TEST_PROFILE = Path(__file__).resolve().parents[1] / "reuse" / "settings" / "test.py"


def load_test_profile(monkeypatch) -> dict:
    """The test profile's settings as a new process would load them from the current environment (the profiles
    it builds on are loaded again too; the loaded ones are put back after the test)."""
    import reuse.settings

    for name, module in list(sys.modules.items()):
        if name.startswith("reuse.settings."):
            monkeypatch.delitem(sys.modules, name)
            monkeypatch.setattr(reuse.settings, name.rsplit(".", 1)[1], module)
    return runpy.run_path(str(TEST_PROFILE))


@pytest.mark.parametrize("worker, database", [("gw0", 15), ("gw1", 14), ("gw2", 13)])
def test_a_pytest_worker_its_celery_app_and_the_processes_it_starts_use_its_own_broker_database(
    monkeypatch, worker, database
):
    for name in ("TEST_BROKER_BASE_URL", "CELERY_BROKER_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
    monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
    expected = f"redis://127.0.0.1:6379/{database}"

    in_the_pytest_worker = load_test_profile(monkeypatch)["CELERY_BROKER_URL"]
    celery_there = Celery(set_as_current=False).conf.broker_url
    # A process it starts (the Celery worker) inherits its environment and loads the same profile.
    in_a_process_it_starts = load_test_profile(monkeypatch)["CELERY_BROKER_URL"]

    assert (in_the_pytest_worker, celery_there, in_a_process_it_starts) == (expected,) * 3
    assert os.environ["CELERY_BROKER_URL"] == expected
