"""The stock list's word search by index on PostgreSQL: a technician who types part of a model ("latitude") or a
serial in another case no longer makes PostgreSQL read every device of the workshop.

Django writes `model__icontains` as `UPPER("model"::text) LIKE UPPER(%s)` and `serial__iexact` as
`UPPER("serial"::text) = UPPER(%s)` on PostgreSQL: the indexes are on those very expressions (a trigram GIN
index for LIKE with a leading wildcard, a B-tree for the equality). SQLite has neither: nothing to do there.
"""

from django.db import migrations

INSTALL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS device_model_upper_trgm ON inventory_device "
    "USING gin (upper(model::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS device_serial_upper ON inventory_device (upper(serial::text))",
)
UNINSTALL = (
    "DROP INDEX IF EXISTS device_model_upper_trgm",
    "DROP INDEX IF EXISTS device_serial_upper",
)


def _run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("inventory", "0006_stock_counts")]

    operations = [migrations.RunPython(_run(INSTALL), _run(UNINSTALL))]
