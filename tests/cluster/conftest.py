"""`make cluster-test`: the production topology on one machine, started and stopped by this fixture.

Two gunicorn instances on two ports, two Celery workers and two beats, all in the production profile
(reuse.settings.production, from the runtime-only virtualenv `.venv-runtime` built from requirements.lock: the
processes import nothing from the dev/test lock), against the same PostgreSQL test database, the same Redis
(broker and cache) and the same folders (the "shared volume"). Every process is stopped at the end, and
everything is bounded in time.
"""

import os
import re
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

import psutil
import pytest
import requests
from django.conf import settings

from tests.conftest import _database_url

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ROOT / ".venv-runtime" / "bin"
START_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class Process:
    def __init__(self, name: str, command: list[str], env: dict, log_dir: Path):
        self.name, self.command, self.env = name, command, env
        self.log_path = log_dir / f"{name}.log"
        self.popen = None

    def start(self):
        with open(self.log_path, "a") as out:
            self.popen = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self):
        """SIGKILL the process and its children at once (a lost machine, the out-of-memory killer)."""
        main = psutil.Process(self.popen.pid)
        everyone = [main, *main.children(recursive=True)]
        for process in everyone:
            process.kill()
        psutil.wait_procs(everyone, timeout=10)
        self.popen.wait(timeout=10)

    def stop(self, timeout: float = 20):
        if not self.alive():
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


class Instance(Process):
    def __init__(self, name, env, log_dir):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(
            name,
            [
                str(RUNTIME / "gunicorn"),
                "reuse.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--graceful-timeout",
                "5",
                "--access-logfile",
                "-",
                "--logger-class",
                "reuse.logs.AccessLog",
            ],
            env,
            log_dir,
        )

    def ready(self) -> bool:
        try:
            return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False


class Browser:
    """A person's browser: one cookie jar, and any instance the load balancer picks for each request."""

    def __init__(self):
        self.session = requests.Session()
        self.session.headers["X-Forwarded-Proto"] = "https"

    def cookies(self) -> dict:
        """The instances sit behind a TLS proxy (X-Forwarded-Proto: https) that this client plays: their cookies
        are Secure, and are sent back on the plain HTTP hop as the proxy would."""
        return {"Cookie": "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)}

    def get(self, instance, path, **kwargs):
        return self.session.get(
            instance.url + path, allow_redirects=False, timeout=30, headers=self.cookies(), **kwargs
        )

    def post(self, instance, path, data=None, *, form_page=None, files=None):
        """POST as the form on `form_page` (default: the same path) would, with its CSRF token."""
        page = self.get(instance, form_page or path)
        assert page.status_code == 200, (page.status_code, page.text[:500])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.session.post(
            instance.url + path,
            data={"csrfmiddlewaretoken": token, **(data or {})},
            files=files,
            headers={"Referer": f"https://127.0.0.1:{instance.port}{form_page or path}", **self.cookies()},
            allow_redirects=False,
            timeout=60,
        )


class Cluster:
    def __init__(self, env, log_dir):
        self.env, self.log_dir = env, log_dir
        self.web = [Instance("web-a", env, log_dir), Instance("web-b", env, log_dir)]
        self.workers = [
            Process(
                f"worker-{n}",
                [
                    str(RUNTIME / "celery"),
                    "-A",
                    "reuse",
                    "worker",
                    "--loglevel=INFO",
                    "--concurrency=1",
                    "--without-gossip",
                    "--without-mingle",
                    f"--hostname=cluster-{n}@%h",
                ],
                env,
                log_dir,
            )
            for n in (1, 2)
        ]
        self.beats = [
            Process(
                f"beat-{n}",
                [
                    str(RUNTIME / "celery"),
                    "-A",
                    "reuse",
                    "beat",
                    "--loglevel=INFO",
                    f"--schedule={log_dir / f'beat-{n}.schedule'}",
                    f"--pidfile={log_dir / f'beat-{n}.pid'}",
                ],
                env,
                log_dir,
            )
            for n in (1, 2)
        ]

    @property
    def processes(self):
        return [*self.web, *self.workers, *self.beats]

    def start(self):
        for process in [*self.web, *self.workers]:
            process.start()
        for instance in self.web:
            wait_until(lambda i=instance: i.ready() or self.died(i), START_TIMEOUT, f"{instance.name} ready")
        for worker in self.workers:
            wait_until(lambda w=worker: "ready." in w.log() or self.died(w), START_TIMEOUT, f"{worker.name}")
        # The beats start one after the other, so that which one holds the lock is known.
        for beat in self.beats:
            beat.start()
            wait_until(lambda b=beat: "beat: " in b.log() or self.died(b), START_TIMEOUT, f"{beat.name}")

    def died(self, process):
        if not process.alive():
            pytest.fail(f"{process.name} stopped:\n{process.log()[-3000:]}")
        return False

    def stop(self):
        """SIGTERM to every process at once, then wait for each (SIGKILL after 20 s)."""
        running = [process for process in self.processes if process.alive()]
        for process in running:
            process.popen.send_signal(signal.SIGTERM)
        for process in running:
            process.stop()


def production_env(database_url: str, shared: Path) -> dict:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "reuse.settings.production",
        "PYTHONDONTWRITEBYTECODE": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CACHE_URL": os.environ.get("CACHE_URL", ""),
        "STRIPE_SECRET_KEY": "sk_test_rebond_cluster",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_rebond_cluster",
        "STRIPE_WEBHOOK_SECRET": "whsec_rebond_cluster",
        "PUBLIC_BASE_URL": "https://rebond.cluster.test",
        "STORAGE_BACKEND": "filesystem",
        "MEDIA_ROOT": str(shared / "media"),
        "PRIVATE_MEDIA_ROOT": str(shared / "private"),
        "STATIC_ROOT": str(ROOT / ".cluster-static"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # A killed worker's task comes back to the other worker within the test.
        "CELERY_VISIBILITY_TIMEOUT": "20",
        "CELERY_UNACKED_RESTORE_INTERVAL": "2",
        "BEAT_LOCK_TTL": "6",
    }


@pytest.fixture(scope="session")
def _static_collected(tmp_path_factory):
    """collectstatic (manifest and compressed files, as production) runs while the test database is created."""
    env = production_env("postgres://unused@127.0.0.1/unused", tmp_path_factory.mktemp("unused"))
    process = subprocess.Popen(
        [str(RUNTIME / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process


@pytest.fixture(scope="module")
def cluster(_static_collected, django_db_setup, django_db_blocker, tmp_path_factory):
    if not settings.CELERY_BROKER_URL or not os.environ.get("CACHE_URL"):
        pytest.fail("make cluster-test sets CELERY_BROKER_URL and CACHE_URL (two Redis databases).")
    if not (RUNTIME / "gunicorn").exists():
        pytest.fail("The runtime virtualenv is missing: run `make cluster-test` (it builds .venv-runtime).")
    with django_db_blocker.unblock():
        database_url = _database_url()
    shared = tmp_path_factory.mktemp("shared-volume")
    log_dir = tmp_path_factory.mktemp("cluster-logs")
    env = production_env(database_url, shared)
    output, _ = _static_collected.communicate(timeout=300)
    assert _static_collected.returncode == 0, output[-3000:]
    topology = Cluster(env, log_dir)
    try:
        topology.start()
        yield topology
    finally:
        topology.stop()
        for process in topology.processes:
            print(f"--- {process.name} (last lines) ---\n{process.log()[-1500:]}")


@pytest.fixture
def browser():
    return Browser()
