"""Racing threads against SQLite in a file, as `make demo` runs it (WAL, immediate transactions, busy timeout).

The test database of the default pass lives in memory; `file_database` copies it, with its rows, into a file and
points every new connection at that file. `race` runs one action per thread, all released at once, each thread
with its own connection as each request of a threaded server has.
"""

import contextlib
import json
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db import OperationalError, connection, connections

from reuse.errors import DomainError

# The marks of a module racing threads against SQLite in a file: each thread commits on its own connection
# (a transactional test database), and only a pass on SQLite runs it (PostgreSQL's races are in tests/services).
SQLITE_RACE = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="SQLite only"
    ),
]


@pytest.fixture
def file_database(tmp_path):
    """Copy the test database (rows included) into a file and send every new connection there."""
    path = tmp_path / "race.sqlite3"

    original = connection.settings_dict["NAME"]
    # The in-memory database lives as long as one connection to it is open: this one keeps it for the
    # rest of the session while Django's connection goes to the file.
    keeper = sqlite3.connect(original, uri=True)

    def switch():
        target = sqlite3.connect(path)
        keeper.backup(target)
        target.close()
        connection.settings_dict["NAME"] = connections.settings["default"]["NAME"] = str(path)
        connection.close()

    yield switch
    connection.close()
    connection.settings_dict["NAME"] = connections.settings["default"]["NAME"] = original
    # Django's connection holds the in-memory database again before the keeper lets go of it.
    connection.ensure_connection()
    keeper.close()


def database_locked(*args, **kwargs):
    """Stands for a write that waited out the busy timeout: what sqlite3 raises then
    (https://www.sqlite.org/rescode.html#busy)."""
    raise OperationalError("database is locked")


def race(racers: int, action, join_timeout: float = 120) -> list:
    """`action(index)` in `racers` threads released together: what each returned, the code of the domain error
    it raised, or "error: ..." for anything else (a « database is locked » is what a race test must catch)."""
    barrier = threading.Barrier(racers)
    outcomes = [None] * racers

    def run(index):
        try:
            barrier.wait()
            outcomes[index] = action(index)
        except DomainError as exc:
            outcomes[index] = exc.code
        except Exception as exc:  # noqa: BLE001 - reported in the outcomes, which the test asserts on
            outcomes[index] = f"error: {exc!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(racers)]
    for thread in threads:
        thread.start()
    end = time.monotonic() + join_timeout
    for thread in threads:
        thread.join(max(0.0, end - time.monotonic()))
    return outcomes


CSRF = "r" * 32  # a CSRF secret as Django's cookie holds it; the same value in the header passes the check


@contextlib.contextmanager
def threaded_server():
    """The site served as `make demo` serves it (Django's threaded WSGI server, one connection per request's
    thread) on 127.0.0.1, on a free port: yields its base URL."""
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def send(
    base: str, method: str, path: str, *, session: str = "", form=None, json_body=None, files=None
) -> tuple[int, str]:
    """One request as a browser or an API client sends it (session and CSRF cookies, form, JSON or multipart
    body): the HTTP status, and the body of a refusal the server gave (5xx)."""
    headers = {
        "X-CSRFToken": CSRF,
        "Cookie": f"csrftoken={CSRF}" + (f"; sessionid={session}" if session else ""),
    }
    if json_body is not None:
        body, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
    elif files:
        boundary = "rebond-race-boundary"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in (form or {}).items()
        ]
        parts += [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
            for name, (filename, content) in files.items()
        ]
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    else:
        body, headers["Content-Type"] = (
            urlencode(form or {}, doseq=True).encode(),
            "application/x-www-form-urlencoded",
        )
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode() if exc.code >= 500 else ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def volley(threads: int, rounds: int, request, deadline: float = 60) -> list:
    """`request()` from `threads` threads released together, `rounds` times over: every status (or the
    exception's repr), within `deadline` seconds overall (a request still running by then is "timeout")."""
    statuses = []
    started = time.monotonic()
    for _ in range(rounds):
        left = max(1.0, deadline - (time.monotonic() - started))
        outcomes = race(threads, lambda _i: request(), join_timeout=left)
        statuses += ["timeout" if o is None else o for o in outcomes]
    return statuses
