from django.db import migrations

GROUPS = ("Coordinators", "Reviewers")


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Locale = apps.get_model("wagtailcore", "Locale")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    # English is available for every page: its locale exists so that editors can translate pages into it.
    Locale.objects.get_or_create(language_code="en")


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_portal_pages"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create, remove)]
