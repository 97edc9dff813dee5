"""Moving the test database's schema, for the tests of a data migration.

Django's executor, unlike `manage.py migrate`, sends no post_migrate. What the project does then would be left
undone for every test that follows in the same process: inventory's stock count triggers, which SQLite drops
whenever a migration copies the device table (inventory.counts.reinstall_if_dropped), would stay missing."""

from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(*targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(list(targets))
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)


def migrate_to_latest():
    migrate_to(*MigrationExecutor(connection).loader.graph.leaf_nodes())
