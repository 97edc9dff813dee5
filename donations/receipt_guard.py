"""The database's own refusal to delete a tax receipt (a legal record, cancelled and replaced, never deleted):
a trigger on PostgreSQL, installed by migration 0013, beside the model's refusal
(donations.models.documents.TaxReceipt), so that no path (raw SQL, a script, a cascade) removes one.

Not on SQLite (the demo and the quick test run): a trigger there has no way around it, so the test suite could no
longer empty the database after a transactional test, and SQLite drops a table's triggers whenever a migration
alters one of its columns. Production runs on PostgreSQL; on SQLite the model's refusal stands alone.

On PostgreSQL, a transaction that sets `rebond.erasing_everything` to 'on' (SET LOCAL) may delete them: the test
suite's flush after a transactional test does, as an operator emptying a whole copy of the database would."""

from django.db import connection

TABLE = "donations_taxreceipt"
MESSAGE = "Un reçu fiscal ne se supprime pas : annulez-le (cancel_tax_receipt)."

POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION donations_taxreceipt_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('rebond.erasing_everything', true) IS DISTINCT FROM 'on' THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END
    $$""",
    f"DROP TRIGGER IF EXISTS donations_taxreceipt_kept ON {TABLE}",
    f"""CREATE TRIGGER donations_taxreceipt_kept BEFORE DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION donations_taxreceipt_kept()""",
]
POSTGRESQL_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS donations_taxreceipt_kept ON {TABLE}",
    "DROP FUNCTION IF EXISTS donations_taxreceipt_kept()",
]
SQLITE_INSTALL = ["DROP TRIGGER IF EXISTS donations_taxreceipt_kept"]
SQLITE_UNINSTALL = ["DROP TRIGGER IF EXISTS donations_taxreceipt_kept"]


def _run(statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(apps=None, schema_editor=None) -> None:
    _run(POSTGRESQL_INSTALL if connection.vendor == "postgresql" else SQLITE_INSTALL)


def uninstall(apps=None, schema_editor=None) -> None:
    _run(POSTGRESQL_UNINSTALL if connection.vendor == "postgresql" else SQLITE_UNINSTALL)
