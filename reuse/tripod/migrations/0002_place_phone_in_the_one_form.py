from django.core.exceptions import ValidationError
from django.db import migrations, models

from reuse.accounts.validators import normalise_phone


def normalise_place_phones(apps, schema_editor):
    """The places stored before their phone followed Rebond's one rule: each number in its one form, and one no
    one can dial left out, as the import now does."""
    MediationPlace = apps.get_model("tripod", "MediationPlace")
    changed = []
    for place in MediationPlace.objects.exclude(phone="").only("pk", "phone").iterator():
        try:
            phone = normalise_phone(place.phone)
        except ValidationError:
            phone = ""
        if phone != place.phone:
            place.phone = phone
            changed.append(place)
    MediationPlace.objects.bulk_update(changed, ["phone"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("tripod", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="placeimport",
            name="warnings",
            field=models.JSONField(default=list, verbose_name="avertissements par ligne"),
        ),
        migrations.RunPython(normalise_place_phones, migrations.RunPython.noop),
    ]
