"""An import's message stored as words before the codes is still read, as it was written (migration 0018)."""

import pytest
from django.db import connection
from django.utils import translation

from donations.enums import ImportState
from donations.models import ImportJob
from tests.factories.donations import LotFactory, donor_with_member
from tests.migrations import migrate_to, migrate_to_latest

BEFORE = [("donations", "0017_tax_receipt_field_names")]
AFTER = [("donations", "0018_import_message_as_codes")]


@pytest.mark.django_db(transaction=True)  # SQLite changes a table's schema outside a transaction only
def test_a_message_stored_as_words_is_kept_and_shown_as_written():
    donor, user = donor_with_member()
    job = ImportJob.objects.create(
        lot=LotFactory(donor=donor, created_by=user), created_by=user, state=ImportState.FAILED, progress=100
    )
    migrate_to(*BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE donations_importjob SET message = %s WHERE id = %s",
                ["Aucune ligne valide à importer.", job.pk],
            )
        migrate_to(*AFTER)
    finally:
        migrate_to_latest()  # the tests that follow in this process need every later migration's tables

    with translation.override("en"):
        assert ImportJob.objects.get(pk=job.pk).message_text == "Aucune ligne valide à importer."
