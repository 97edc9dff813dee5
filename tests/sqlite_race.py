"""Racing threads against SQLite in a file, as `make demo` runs it (WAL, immediate transactions, busy timeout).

The test database of the default pass lives in memory; `file_database` copies it, with its rows, into a file and
points every new connection at that file. `race` runs one action per thread, all released at once, each thread
with its own connection as each request of a threaded server has.
"""

import sqlite3
import threading

import pytest
from django.db import connection, connections

from reuse.errors import DomainError


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


def race(racers: int, action) -> list:
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
    for thread in threads:
        thread.join(120)
    return outcomes
