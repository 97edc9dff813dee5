"""An import's message is stored as a code with its parameters (donations.texts), written out in the reader's
language; a message stored before as words is kept as those words (a JSON string), shown as it was written."""

from django.db import migrations, models


def keep_words(apps, schema_editor):
    ImportJob = apps.get_model("donations", "ImportJob")
    for pk, words in ImportJob.objects.exclude(message="").values_list("pk", "message").iterator():
        ImportJob.objects.filter(pk=pk).update(said=words)


class Migration(migrations.Migration):
    dependencies = [("donations", "0017_tax_receipt_field_names")]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="said",
            field=models.JSONField(blank=True, default=dict, verbose_name="message"),
        ),
        migrations.RunPython(keep_words, migrations.RunPython.noop),
        migrations.RemoveField(model_name="importjob", name="message"),
        migrations.RenameField(model_name="importjob", old_name="said", new_name="message"),
    ]
