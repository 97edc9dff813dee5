"""The demo data as committed rows, for the tests that need real commits (live server, real Celery worker).

Those tests cannot share the demo through a rolled-back transaction (tests/conftest.py's SharedDemo): each
needs the demo committed, and Django empties every table after each of them. On PostgreSQL, `seed_demo` runs
once per test process and every table is then copied out (COPY ... TO, binary); each later test gets the same
rows back by emptying the tables and copying them in again, in well under a second where seeding takes 10 to
20 s. Triggers and foreign-key checks are off while the rows go back in (session_replication_role = replica,
which needs a superuser, as the CI database user is): the copy holds every table as it was, the stock counters
maintained by the inventory triggers included. Sequences are left where they are: Django's flush does not reset
them, so they are past every restored id already.

Elsewhere (SQLite, or a database user that is not a superuser) each test seeds the demo as before.
"""

import io
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction


def seed_demo() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return out.getvalue()


def media_folders():
    return (("public", Path(settings.MEDIA_ROOT)), ("private", Path(settings.PRIVATE_MEDIA_ROOT)))


def save_media(snapshot: Path):
    """Keep the seeded uploads aside: every test empties the media folders when it ends."""
    shutil.rmtree(snapshot, ignore_errors=True)
    for name, folder in media_folders():
        if folder.exists():
            shutil.copytree(folder, snapshot / name)


def restore_media(snapshot: Path):
    for name, folder in media_folders():
        if (snapshot / name).exists():
            shutil.copytree(snapshot / name, folder, dirs_exist_ok=True)


class CommittedDemo:
    def __init__(self, snapshot: Path, eager):
        self.snapshot = snapshot
        self.eager = eager
        self.tables: dict[str, bytes] | None = None
        self.output = ""

    def load(self) -> str:
        """Commit the demo data into the test database and return what `seed_demo` printed."""
        if self.tables is not None:
            self._restore()
            return self.output
        # Tasks queued by the seeding run in-process, so that the copy holds the demo as it settles (e-mails
        # sent, indexes built), not rows waiting for a task the worker would never get again.
        with self.eager():
            self.output = seed_demo()
        if self._copies():
            self.tables = self._copy_out()
            save_media(self.snapshot)
        return self.output

    @staticmethod
    def _copies() -> bool:
        if connection.vendor != "postgresql":
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            return bool(cursor.fetchone()[0])

    @staticmethod
    def _copy_out() -> dict[str, bytes]:
        tables = {}
        names = connection.introspection.django_table_names(only_existing=True, include_views=False)
        with connection.cursor() as cursor:
            for table in sorted(names):
                data = io.BytesIO()
                with cursor.cursor.copy(
                    f"COPY {connection.ops.quote_name(table)} TO STDOUT (FORMAT BINARY)"
                ) as copy:
                    for block in copy:
                        data.write(block)
                tables[table] = data.getvalue()
        return tables

    def _restore(self):
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            for table in self.tables:  # every table of the database, copied out once
                cursor.execute(f"DELETE FROM {quote(table)}")
            for table, data in self.tables.items():
                with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN (FORMAT BINARY)") as copy:
                    copy.write(data)
        # Cached content types and site roots would name the ids of rows the restore replaced.
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
        restore_media(self.snapshot)
