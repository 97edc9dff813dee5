"""Backups tried once, restore included: deploy/backup.sh dumps the PostgreSQL database and packs the private
files; deploy/restore.sh checks the sums and brings both back into an empty database and an empty folder."""

import hashlib
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from reuse.accounts.models import User
from tests.conftest import _database_url
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.services, pytest.mark.cluster, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def digest(folder: Path) -> dict:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def script_env(database_url: str, private: Path) -> dict:
    """What the deploy scripts are given, as on the server: a bare PATH, the database and the private files."""
    return {"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url, "PRIVATE_MEDIA_ROOT": str(private)}


def script(name: str, *args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(ROOT / "deploy" / name), *map(str, args)], env=env, capture_output=True, text=True
    )


def run(name: str, *args, env: dict):
    result = script(name, *args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def psql(database_url: str, query: str) -> str:
    """What psql prints for one query: unaligned, without headers."""
    return subprocess.run(
        ["psql", database_url, "-Atc", query], check=True, capture_output=True, text=True
    ).stdout


def test_backup_then_restore_into_an_empty_database_and_folder(tmp_path):
    people = [UserFactory(email=f"sauvegarde{n}@example.test") for n in range(3)]
    private = tmp_path / "private"
    (private / "eligibility" / "2026").mkdir(parents=True)
    (private / "eligibility" / "2026" / "avis.pdf").write_bytes(b"%PDF-1.4 avis d'imposition" * 100)
    (private / "reports").mkdir()
    (private / "reports" / "nwipe.log").write_text("nwipe 0.35: erased\n")
    source_url = _database_url()
    backup = tmp_path / "backup"
    run("backup.sh", backup, env=script_env(source_url, private))
    assert sorted(p.name for p in backup.iterdir()) == ["SHA256SUMS", "database.dump", "private.tar.gz"]

    restored_name = f"{connection.settings_dict['NAME']}_restored"
    restored_url = source_url.rsplit("/", 1)[0] + f"/{restored_name}"
    admin = source_url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{restored_name}"'], check=True)
    subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{restored_name}"'], check=True)
    try:
        restored_files = tmp_path / "restored-private"
        run("restore.sh", backup, env=script_env(restored_url, restored_files))
        emails = psql(restored_url, "SELECT email FROM accounts_user ORDER BY email").split()
        assert emails == sorted(person.email for person in people)
        assert User.objects.count() == 3
        assert digest(restored_files) == digest(private)
        migrations = psql(restored_url, "SELECT count(*) FROM django_migrations").strip()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM django_migrations")
            assert int(migrations) == cursor.fetchone()[0]

        # A damaged backup is refused before anything is touched.
        (backup / "private.tar.gz").write_bytes(b"damaged")
        refused = script("restore.sh", backup, env=script_env(restored_url, tmp_path / "x"))
        assert refused.returncode != 0 and not (tmp_path / "x").exists()
    finally:
        subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{restored_name}"'], check=True)
