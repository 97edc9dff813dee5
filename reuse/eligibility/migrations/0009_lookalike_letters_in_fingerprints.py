"""Household fingerprints compare Cyrillic and Greek letters drawn like Latin ones as those Latin letters
(services/duplicates.normalise_name). The fingerprints of households whose names hold such letters are made
again under that rule, and a household that had registered twice that way is flagged for staff, as a new one
would be. Names in plain Latin letters keep their fingerprint."""

from django.db import migrations

from reuse.names import LOOKALIKES
from reuse.eligibility.services.duplicates import fingerprint

# Stored as record_fingerprint stores it (in French, the site's language).
REASON = "Même nom, même date de naissance et même code postal."


def holds_lookalikes(*names: str) -> bool:
    return any(ord(char) in LOOKALIKES for name in names for char in (name or "").lower())


def fingerprint_again(apps, schema_editor):
    Fingerprint = apps.get_model("eligibility", "HouseholdFingerprint")
    Flag = apps.get_model("eligibility", "DuplicateFlag")
    rows = Fingerprint.objects.select_related("user", "user__household").exclude(user__household__birth_date=None)
    for row in rows.iterator():
        user = row.user
        if not holds_lookalikes(user.first_name, user.last_name):
            continue
        profile = user.household
        row.digest = fingerprint(
            first_name=user.first_name,
            last_name=user.last_name,
            birth_date=profile.birth_date,
            postcode=profile.postcode,
        )
        row.save(update_fields=["digest"])
        for other in Fingerprint.objects.filter(digest=row.digest).exclude(pk=row.pk):
            first, second = sorted([other.user_id, user.pk])
            Flag.objects.get_or_create(first_id=first, second_id=second, defaults={"reason": REASON})


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0008_referrer_given_addresses_wait_for_their_link")]

    operations = [migrations.RunPython(fingerprint_again, migrations.RunPython.noop)]
