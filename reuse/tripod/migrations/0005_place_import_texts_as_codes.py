"""A places import's failure is stored as a code with its parameters (reuse.tripod.texts), written out in the
reader's language; a failure stored before as words is kept as those words (a JSON string), shown as written. The
row codes stored before get the prefix they have among every app's stored texts (« required » → « place_required »)."""

from django.db import migrations, models

ROW_CODES = {"required", "pivot", "postcode", "date", "coordinate", "duplicate", "too_long", "not_object", "phone"}


def _prefixed(items):
    return [
        {**item, "code": f"place_{item['code']}"} if isinstance(item, dict) and item.get("code") in ROW_CODES else item
        for item in items or []
    ]


def keep_words_and_prefix_codes(apps, schema_editor):
    PlaceImport = apps.get_model("tripod", "PlaceImport")
    for record in PlaceImport.objects.iterator():
        PlaceImport.objects.filter(pk=record.pk).update(
            said=record.failure or {}, errors=_prefixed(record.errors), warnings=_prefixed(record.warnings)
        )


class Migration(migrations.Migration):
    dependencies = [("tripod", "0004_visible_free_text")]

    operations = [
        migrations.AddField(
            model_name="placeimport",
            name="said",
            field=models.JSONField(blank=True, default=dict, verbose_name="échec"),
        ),
        migrations.RunPython(keep_words_and_prefix_codes, migrations.RunPython.noop),
        migrations.RemoveField(model_name="placeimport", name="failure"),
        migrations.RenameField(model_name="placeimport", old_name="said", new_name="failure"),
    ]
