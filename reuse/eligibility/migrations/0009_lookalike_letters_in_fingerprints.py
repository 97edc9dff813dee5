"""Household fingerprints compare Cyrillic and Greek letters drawn like Latin ones as those Latin letters
(services/duplicates.normalise_name). The fingerprints of households whose names hold such letters are made
again under that rule, and a household that had registered twice that way is flagged for staff, as a new one
would be. Names in plain Latin letters keep their fingerprint."""

from django.db import migrations

from reuse.names import LOOKALIKES
from reuse.eligibility.services.duplicates import fingerprint_rows_again

# Stored as record_fingerprint stores it (in French, the site's language).
REASON = "Même nom, même date de naissance et même code postal."


def holds_lookalikes(*names: str) -> bool:
    return any(ord(char) in LOOKALIKES for name in names for char in (name or "").lower())


def fingerprint_again(apps, schema_editor):
    Fingerprint = apps.get_model("eligibility", "HouseholdFingerprint")
    Flag = apps.get_model("eligibility", "DuplicateFlag")
    named = Fingerprint.objects.values_list("pk", "user__first_name", "user__last_name")
    holding = [pk for pk, first_name, last_name in named.iterator() if holds_lookalikes(first_name, last_name)]
    rows = Fingerprint.objects.filter(pk__in=holding).select_related("user", "user__household")
    fingerprint_rows_again(rows, Fingerprint, Flag, REASON)

class Migration(migrations.Migration):
    dependencies = [("eligibility", "0008_referrer_given_addresses_wait_for_their_link")]

    operations = [migrations.RunPython(fingerprint_again, migrations.RunPython.noop)]
