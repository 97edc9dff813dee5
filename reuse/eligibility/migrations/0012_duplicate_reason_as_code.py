"""A possible duplicate's reason is stored as a code (reuse.eligibility.texts), written out in the reader's
language; a reason stored before as words is kept as those words (a JSON string), shown as written."""

from django.db import migrations, models


def keep_words(apps, schema_editor):
    DuplicateFlag = apps.get_model("eligibility", "DuplicateFlag")
    for pk, words in DuplicateFlag.objects.values_list("pk", "reason").iterator():
        DuplicateFlag.objects.filter(pk=pk).update(said=words)


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0011_questionnaire_drafts")]

    operations = [
        migrations.AddField(
            model_name="duplicateflag",
            name="said",
            field=models.JSONField(default=dict, verbose_name="motif"),
        ),
        migrations.RunPython(keep_words, migrations.RunPython.noop),
        migrations.RemoveField(model_name="duplicateflag", name="reason"),
        migrations.RenameField(model_name="duplicateflag", old_name="said", new_name="reason"),
    ]
