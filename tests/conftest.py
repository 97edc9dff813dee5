import contextlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation
from pytest_django.fixtures import validate_django_db

from reuse.accounts.demo import DEMO_PASSWORD
from tests import sqlite_template
from tests.committed_demo import CommittedDemo, restore_media, save_media, seed_demo

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_media(settings):
    """Every test writes uploads into throwaway folders."""
    yield
    for folder in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _default_language_again():
    """A page asked in English leaves English active in the thread (the locale middleware does not reset it), and
    the next test on the same worker would render its French in English."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached site chrome must never leak from one test's database into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _put_back_what_data_migrations_write(sender, using="default", **kwargs):
    """A transactional test's flush empties every table, the rows data migrations wrote included, and Django then
    sends post_migrate: the rows a later test on the same worker expects from `migrate` (the tax receipt's caps
    per device type) are written again, so that no test depends on whether a transactional test ran before it."""
    from importlib import import_module

    from django.apps import apps

    from donations.models import ReceiptValueCap

    if not ReceiptValueCap.objects.using(using).exists():
        import_module("donations.migrations.0006_receipt_caps_and_reviews").add_caps(apps, None)


@pytest.fixture(scope="session", autouse=True)
def _data_migrations_rows_after_each_flush():
    from django.apps import apps
    from django.db.models.signals import post_migrate

    post_migrate.connect(_put_back_what_data_migrations_write, sender=apps.get_app_config("donations"))
    yield
    post_migrate.disconnect(_put_back_what_data_migrations_write, sender=apps.get_app_config("donations"))


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete_on_postgresql():
    """After each transactional test Django empties every table with one TRUNCATE of the hundred tables: on
    PostgreSQL that makes new files for each table and index and takes seconds, where deleting the few rows a
    test leaves takes milliseconds. Django's foreign keys are DEFERRABLE INITIALLY DEFERRED and the flush runs
    in one transaction, so the order of the deletes does not matter."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        # The stock counters last: deleting the devices appends their changes (inventory/counts.py triggers).
        last = ("inventory_stockcountchange", "inventory_stockcount")
        ordered = [t for t in tables if t not in last] + [t for t in last if t in tables]
        # Tax receipts refuse deletion (donations/receipt_guard.py) unless the transaction says it empties everything.
        erase = "SET LOCAL rebond.erasing_everything = 'on';"
        return [erase] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(t))};" for t in ordered
        ]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


@pytest.fixture(autouse=True)
def _no_lockouts(settings):
    settings.AXES_ENABLED = False


@contextlib.contextmanager
def _eager_celery():
    from reuse.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _eager_celery_outside_the_services_pass(request):
    """Tests run tasks in-process, except those of the services pass, which send them to a real worker."""
    if request.node.get_closest_marker("services"):
        yield
        return
    with _eager_celery():
        yield


class SharedDemo:
    """The demo data, seeded once per test process and shared by the consecutive tests that ask for `demo`.

    `seed_demo` runs inside an outer transaction left open while those tests run; each test runs in its own
    savepoint inside it (pytest-django's per-test transaction, nested, as in Django's `setUpTestData`), so
    whatever a test writes is rolled back and the next one finds the demo exactly as seeded. The outer
    transaction is rolled back before any other database test, so no other test ever sees the demo data.
    Tests that need real commits (transactional_db, live_server) cannot run inside it: `demo` seeds their
    own copy, as before.

    Files written by the seeding (uploaded images) are kept aside and put back before each test, since every
    test empties the media folders when it ends.
    """

    def __init__(self, blocker, snapshot: Path):
        self.blocker = blocker
        self.snapshot = snapshot
        self.atomic = None
        self.output = ""

    @property
    def active(self) -> bool:
        return self.atomic is not None

    def open(self):
        if self.active:
            return
        from django.db import transaction

        with self.blocker.unblock():
            atomic = transaction.atomic()
            # As for a TestCase's class-level transaction: durable blocks in the code may open inside it.
            atomic._from_testcase = True
            atomic.__enter__()
            try:
                with _eager_celery():
                    self.output = seed_demo()
            except BaseException as error:
                atomic.__exit__(type(error), error, error.__traceback__)
                raise
            self.atomic = atomic
        save_media(self.snapshot)

    def restore_media(self):
        restore_media(self.snapshot)

    def close(self):
        if not self.active:
            return
        from django.db import transaction

        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None
        shutil.rmtree(self.snapshot, ignore_errors=True)


def _shares_the_demo(item) -> bool:
    """The test asks for the demo data and runs in pytest-django's per-test transaction (not a transactional
    test, whose commits the outer transaction would hide from other connections); the services pass's tests
    run their tasks on a real worker and seed their own."""
    if "_demo_seeded" not in item.fixturenames or item.get_closest_marker("services"):
        return False
    marker = item.get_closest_marker("django_db")
    if marker:
        transactional, reset_sequences, _, serialized_rollback, _ = validate_django_db(marker)
        if transactional or reset_sequences or serialized_rollback:
            return False
    return not {
        "transactional_db",
        "live_server",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
    } & set(item.fixturenames)


@pytest.fixture(scope="session")
def _shared_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    shared = SharedDemo(django_db_blocker, tmp_path_factory.mktemp("demo-media"))
    yield shared
    shared.close()


@pytest.fixture
def _shared_demo_before_the_test_transaction(request, _shared_demo):
    if _shares_the_demo(request.node):
        _shared_demo.open()
    else:
        _shared_demo.close()


@pytest.fixture
def _django_db_helper(_shared_demo_before_the_test_transaction, _django_db_helper):
    """pytest-django's per-test transaction, opened inside the shared demo's transaction when the test asks for
    the demo, and only once that transaction is rolled back otherwise (the fixture it depends on first)."""
    return _django_db_helper


@pytest.fixture(scope="session")
def _committed_demo(tmp_path_factory):
    return CommittedDemo(tmp_path_factory.mktemp("committed-demo-media"), _eager_celery)


@pytest.fixture
def _demo_seeded(db, _shared_demo, _committed_demo) -> str:
    if _shared_demo.active:
        _shared_demo.restore_media()
        return _shared_demo.output
    return _committed_demo.load()


@pytest.fixture
def demo(_demo_seeded):
    """The demo data, as `seed_demo` builds it; returns the demo accounts' password."""
    return DEMO_PASSWORD


@pytest.fixture
def demo_seed_output(demo, _demo_seeded):
    """What `seed_demo` printed when it built this test's demo data on an empty database."""
    return _demo_seeded


@pytest.fixture
def api_client(client):
    """A test client that talks JSON."""

    class JsonClient:
        def __init__(self, django_client, token=None):
            self.client = django_client
            self.token = token

        def _headers(self, headers):
            headers = dict(headers or {})
            if self.token:
                headers["Authorization"] = f"Bearer {self.token}"
            return headers

        def get(self, path, headers=None, **params):
            return self.client.get(path, params, headers=self._headers(headers))

        def post(self, path, data=None, headers=None):
            return self.client.post(
                path, data or {}, content_type="application/json", headers=self._headers(headers)
            )

        def patch(self, path, data=None, headers=None):
            return self.client.patch(
                path, data or {}, content_type="application/json", headers=self._headers(headers)
            )

        def with_token(self, token):
            return JsonClient(self.client, token)

    return JsonClient(client)


def pytest_configure(config):
    sqlite_template.install()


def pytest_collection_modifyitems(config, items):
    # Tests under tests/services and tests/browser need the real services; mark them by folder.
    for item in items:
        path = str(item.fspath)
        if "/tests/services/" in path:
            item.add_marker(pytest.mark.services)
        if "/tests/browser/" in path:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.services)
    # The tests sharing the demo data run last, one after the other, so that each process seeds it once (the
    # xdist workers take tests in this order too).
    items.sort(key=_shares_the_demo)


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("The services pass needs DATABASE_URL pointing at PostgreSQL (see .ci/run).")
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


class WorkerProcess:
    """A real `celery worker` (prefork, 2 processes) on the test database; its output goes to `log_path`.

    `kill()` SIGKILLs the main process and its pool children at once, as an out-of-memory killer or a lost
    machine would; `start()` brings a new worker up on the same broker and database.
    """

    def __init__(self, database_url: str, log_path: Path, *, env=None, queues=()):
        test = {"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "reuse.settings.test"}
        self.env = {**os.environ, **test, **(env or {})}
        self.queues = queues  # a worker of one test's own listens to its queues only
        self.log_path = log_path
        self.process = None
        self.starts = 0

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self):
        self.starts += 1
        marker = f"--- worker start {self.starts} ---\n"
        with open(self.log_path, "a") as out:
            out.write(marker)
            out.flush()
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "reuse",
                    "worker",
                    "--loglevel=INFO",
                    "--concurrency=2",
                    "--without-gossip",
                    "--without-mingle",
                    f"--hostname=rebond-test-{self.starts}{''.join(self.queues)}@%h",
                    *([f"--queues={','.join(self.queues)}"] if self.queues else []),
                ],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        # Three minutes: on two loaded cores (CI's four parts starting together) the worker's imports alone once
        # took over a minute, and a worker that failed to start here failed every services test of the session.
        deadline = time.monotonic() + 180
        while "ready." not in self.log_path.read_text().rsplit(marker, 1)[-1]:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                pytest.fail(f"Celery worker did not start:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.2)

    def kill(self):
        import psutil

        main = psutil.Process(self.process.pid)
        children = main.children(recursive=True)
        for process in [main, *children]:
            process.kill()
        psutil.wait_procs([main, *children], timeout=10)
        self.process.wait(timeout=10)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """One real `celery worker` on the test database and the Redis broker, for the whole session.

    Shared by the services tests and the browser journeys (one worker, so that no test's task is picked up by a
    worker another test is about to kill); stopped at the end of the session.
    """
    if not settings.CELERY_BROKER_URL or settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.fail("The services pass needs CELERY_BROKER_URL (see .ci/run).")
    with django_db_blocker.unblock():
        url = _database_url()
    worker = WorkerProcess(url, tmp_path_factory.mktemp("celery") / "worker.log")
    worker.start()
    yield worker
    worker.stop()
