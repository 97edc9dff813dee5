"""`make test`'s databases: migrated once, copied into each xdist worker's in-memory SQLite database.

Migrating a new database renders the migration state of some 230 migrations (Wagtail's included): 80 to 100 s of
CPU on a 2-core machine, which every xdist worker paid for its own in-memory database. The first worker to need
one now migrates a template file under `.test-cache/` (the others wait for it on a file lock), and each worker
copies that file into its in-memory database with SQLite's backup API before Django's `migrate` runs, which then
finds every migration applied. The template's name holds a digest of every migration file, the project modules
they import (inventory.counts writes the stock counters' triggers), the locked dependencies (third-party
migrations) and the installed apps: any change to them makes a new template; older ones are removed.

Only SQLite's in-memory test database of the default alias takes the copy; PostgreSQL passes are migrated as
before (.ci/run copies its own migrated template database).
"""

import fcntl
import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".test-cache"
# The connections holding each in-memory database open: a shared-cache memory database lives as long as one
# connection to it does.
_holders: list = []


def _digest() -> str:
    from django.conf import settings

    digest = hashlib.sha256()
    digest.update("\n".join(settings.INSTALLED_APPS).encode())
    digest.update((ROOT / "requirements-dev.lock").read_bytes())
    hidden = {".venv", ".venv-runtime", ".git", ".test-cache", "node_modules"}
    migrations = [
        path
        for path in sorted(ROOT.glob("**/migrations/*.py"))
        if not hidden & set(path.relative_to(ROOT).parts)
    ]
    # The project's modules a migration runs (inventory.counts writes the stock counters' triggers) count too.
    for path in migrations + sorted(_project_modules_imported_by(migrations)):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


IMPORT = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import\s+([\w, ]+)|import\s+([\w.]+))", re.MULTILINE)


def _project_modules_imported_by(migrations) -> set[Path]:
    found = set()
    for path in migrations:
        for package, names, module in IMPORT.findall(path.read_text(encoding="utf-8")):
            candidates = (
                [module] if module else [package, *(f"{package}.{name.strip()}" for name in names.split(","))]
            )
            for dotted in candidates:
                base = ROOT.joinpath(*dotted.split("."))
                for file in (base.with_suffix(".py"), base / "__init__.py"):
                    if file.is_file() and "migrations" not in file.parts:
                        found.add(file)
    return found


def template() -> Path:
    """The migrated template for the current migrations, made now if no earlier run made it."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"sqlite-{_digest()}.sqlite3"
    if path.exists():
        return path
    with open(CACHE / "sqlite-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():  # another worker made it while this one waited
            return path
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{partial}",
            "DJANGO_SETTINGS_MODULE": "reuse.settings.test",
        }
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        with sqlite3.connect(partial) as database:
            # One self-contained file: the write-ahead log folded in, no -wal/-shm beside it.
            database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            database.execute("PRAGMA journal_mode=DELETE")
        database.close()
        for older in CACHE.glob("sqlite-*.sqlite3"):
            older.unlink()
        os.replace(partial, path)
    return path


def install():
    """Make Django's SQLite test database creation start from the template."""
    from django.db.backends.sqlite3.creation import DatabaseCreation

    create = DatabaseCreation._create_test_db

    def _create_test_db(self, verbosity, autoclobber, keepdb=False):
        name = create(self, verbosity, autoclobber, keepdb)
        if self.connection.alias == "default" and self.is_in_memory_db(name):
            holder = sqlite3.connect(name, uri=True, check_same_thread=False)
            with sqlite3.connect(template()) as source:
                source.backup(holder)
            source.close()
            _holders.append(holder)
        return name

    DatabaseCreation._create_test_db = _create_test_db


if __name__ == "__main__":
    # `python -m tests.sqlite_template`: make the template ahead of `make test` (.ci/run does, beside its own
    # PostgreSQL template).
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reuse.settings.test")
    django.setup()
    print(template())
