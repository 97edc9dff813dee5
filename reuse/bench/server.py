"""Measuring over HTTP: gunicorn on a free loopback port, latency and throughput of a URL, and locust's bounded
load run (reuse/bench/locustfile.py). Shared by `bench`, `bench_scale` and `bench_cluster`."""

import csv
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCUSTFILE = ROOT / "reuse" / "bench" / "locustfile.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load() -> str:
    """The machine's load average beside the cores, printed next to the figures it slows down."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} {five:.1f} {fifteen:.1f} ({os.cpu_count()} cores)"


class Gunicorn:
    """gunicorn with 2 workers on a free loopback port, stopped on exit.

    `start_seconds`: how long it may take to answer /healthz; past 30 s a new port is tried each time (a busy
    machine, or a port taken between free_port() and the bind).
    """

    def __init__(self, workers: int = 2, start_seconds: float = 30):
        self.workers = workers
        self.start_seconds = start_seconds
        self._new_port()

    def _new_port(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        deadline = time.monotonic() + self.start_seconds
        while True:
            try:
                return self._start()
            except RuntimeError:
                if time.monotonic() + 30 > deadline:
                    raise
                self._new_port()

    def _start(self):
        # As in production: no debug, persistent database connections (reuse/settings/production.py).
        env = {**os.environ, "DJANGO_DEBUG": "0", "CONN_MAX_AGE": "60"}
        command = [sys.executable, "-m", "gunicorn", "reuse.wsgi", "--workers", str(self.workers)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2).read()
                return self
            except OSError:
                time.sleep(0.2)
        self.process.kill()
        raise RuntimeError("gunicorn did not start: " + self.process.stderr.read().decode()[-2000:])

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def timed_get(url: str, cookie: str | None = None) -> tuple[float, int]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return (time.perf_counter() - start) * 1000, status


def latency(url: str, count: int, cookie: str | None = None) -> dict:
    samples, errors = [], 0
    for _ in range(count):
        elapsed, status = timed_get(url, cookie)
        samples.append(elapsed)
        errors += status >= 400
    samples.sort()
    return {
        "median": statistics.median(samples),
        "p95": samples[int(len(samples) * 0.95) - 1],
        "errors": errors,
    }


def throughput(
    url: str, seconds: float, concurrency: int = 8, max_requests: int = 20_000, cookie: str | None = None
) -> float:
    """Requests per second over a bounded window (time and count)."""
    done = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        nonlocal done
        while time.monotonic() < deadline:
            with lock:
                if done >= max_requests:
                    return
                done += 1
            timed_get(url, cookie)

    start = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        for _ in range(concurrency):
            pool.submit(worker)
    return done / (time.monotonic() - start)


def paired_throughput(
    url: str, base_url: str, seconds: float, rounds: int = 4, cookie: str | None = None
) -> tuple[float, float]:
    """(requests/s of `url`, requests/s of `base_url`) over `rounds` alternating windows of seconds/rounds/2 each.

    On a shared machine the load moves within seconds: a page measured after /healthz on its own window may meet
    another run's burst that the /healthz window did not. Alternating short windows gives both the same weather,
    so their ratio stands even when the absolute rates do not."""
    window = seconds / rounds / 2
    page = base = 0.0
    for _ in range(rounds):
        base += throughput(base_url, window)
        page += throughput(url, window, cookie=cookie)
    return page / rounds, base / rounds


def locust(url: str, users: int, seconds: int, prefix: Path) -> list[dict]:
    """locust's mixed journeys against `url` for `seconds` (headless, bounded): one row per request name and
    the "Aggregated" row, as locust writes them in `{prefix}_stats.csv`."""
    prefix.parent.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", url]
    command += ["-u", str(users), "-r", "5", "--run-time", f"{seconds}s", "--csv", str(prefix)]
    command += ["--only-summary", "--stop-timeout", "5"]
    subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 60)
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return list(csv.DictReader(stats))
