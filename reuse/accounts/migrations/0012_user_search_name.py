"""Every person's names folded as the people searches compare them (reuse.names.search_name), stored and
indexed: the accounts already there get theirs here, new ones from User.save()."""

from django.db import migrations, models

from reuse.names import search_name


def fold_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    batch = []
    for user in User.objects.only("pk", "first_name", "last_name").iterator(chunk_size=2000):
        user.search_name = search_name(user.first_name, user.last_name)
        batch.append(user)
        if len(batch) == 2000:
            User.objects.bulk_update(batch, ["search_name"])
            batch = []
    User.objects.bulk_update(batch, ["search_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_user_email_confirmed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="search_name",
            field=models.CharField(db_index=True, default="", editable=False, max_length=310),
        ),
        migrations.RunPython(fold_names, migrations.RunPython.noop, elidable=True),
    ]
