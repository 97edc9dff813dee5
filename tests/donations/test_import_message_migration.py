"""An import's message stored as words before the codes is still read, as it was written (migration 0018)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from donations.enums import ImportState
from donations.models import ImportJob
from tests.factories.donations import LotFactory, donor_with_member

BEFORE = [("donations", "0017_tax_receipt_field_names")]
AFTER = [("donations", "0018_import_message_as_codes")]


@pytest.mark.django_db(transaction=True)  # SQLite changes a table's schema outside a transaction only
def test_a_message_stored_as_words_is_kept_and_shown_as_written():
    donor, user = donor_with_member()
    job = ImportJob.objects.create(
        lot=LotFactory(donor=donor, created_by=user), created_by=user, state=ImportState.FAILED, progress=100
    )
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE donations_importjob SET message = %s WHERE id = %s",
            ["Aucune ligne valide à importer.", job.pk],
        )
    executor.loader.build_graph()
    executor.migrate(AFTER)

    with translation.override("en"):
        assert ImportJob.objects.get(pk=job.pk).message_text == "Aucune ligne valide à importer."
