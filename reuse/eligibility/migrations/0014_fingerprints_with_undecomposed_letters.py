"""Household fingerprints compare « œ », « æ », « ß », « đ », « ø », « ł »… as their plain spelling
(reuse.names.UNDECOMPOSED), as the people searches do. The fingerprints of households whose names hold such a
letter are made again, and a household registered a second time as « Loeuillet » beside « Lœuillet » is flagged
for staff, as a new one would be (its reason stored as the code record_fingerprint stores)."""

from django.db import migrations
from django.db.models import Q

from reuse.eligibility.services.duplicates import fingerprint_rows_again

LETTERS = "œŒæÆßẞđĐðÐøØłŁıħĦþÞ"
SAME_HOUSEHOLD = {"code": "duplicate_same_identity", "params": {}}


def fingerprint_again(apps, schema_editor):
    Fingerprint = apps.get_model("eligibility", "HouseholdFingerprint")
    Flag = apps.get_model("eligibility", "DuplicateFlag")
    holding = Q()
    for letter in LETTERS:
        holding |= Q(user__first_name__contains=letter) | Q(user__last_name__contains=letter)
    rows = Fingerprint.objects.filter(holding).select_related("user", "user__household")
    fingerprint_rows_again(rows, Fingerprint, Flag, SAME_HOUSEHOLD)


class Migration(migrations.Migration):
    dependencies = [
        ("eligibility", "0013_decision_quotient_bounds"),
        ("accounts", "0017_search_names_with_undecomposed_letters"),
    ]

    operations = [migrations.RunPython(fingerprint_again, migrations.RunPython.noop)]
