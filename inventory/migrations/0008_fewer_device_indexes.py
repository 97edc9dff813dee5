"""Three indexes fewer on inventory_device: each device moved (a bench batch, a claim, a listing) no longer writes
them, and nothing the product runs reads them.

- workshop_id alone: device_stock_order, device_stock_state_order and device_recent_moves all start with the
  workshop, and serve every lookup by workshop (the stock list, the dashboard, the PROTECT check of a deletion).
- The `varchar_pattern_ops` copies Django adds on PostgreSQL beside the asset tag's unique index and the serial's
  index, for `LIKE 'prefix%'`: no page or service searches a tag or a serial by prefix (the stock list's search
  uses equality and the trigram index of migration 0007); only the bench tooling counts its own tags by prefix,
  once per run. SQLite has no such index: nothing to do there.

On SQLite, altering a field rebuilds the table, and the stock counters' triggers (migration 0006,
inventory.counts) go with the old table: they are installed again after it, both ways.
"""

import django.db.models.deletion
from django.db import migrations, models

from inventory import counts

# The names Django gave them (schema_editor._create_index_name of the column with the "_like" suffix).
PATTERN_INDEXES = {
    "inventory_device_asset_tag_36e9c2d1_like": "asset_tag",
    "inventory_device_serial_cc4b4fee_like": "serial",
}


def _drop_pattern_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in PATTERN_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def _create_pattern_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in PATTERN_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON inventory_device ({column} varchar_pattern_ops)"
        )


def _reinstall_sqlite_counters(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        counts.install()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_household_size_bounds"),
        ("inventory", "0007_word_search_indexes"),
    ]

    operations = [
        # Going back, the field's rebuild of the table comes after this step: its reverse is the one that counts.
        migrations.RunPython(migrations.RunPython.noop, _reinstall_sqlite_counters),
        migrations.AlterField(
            model_name="device",
            name="workshop",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="devices",
                to="accounts.organisation",
                verbose_name="atelier",
            ),
        ),
        migrations.RunPython(_reinstall_sqlite_counters, migrations.RunPython.noop),
        migrations.RunPython(_drop_pattern_indexes, _create_pattern_indexes),
    ]
