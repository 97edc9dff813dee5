"""People searches fold « œ », « æ », « ß », « đ », « ø », « ł »… to their plain spelling (reuse.names.UNDECOMPOSED):
« loeuillet » finds « Lœuillet », « dang » finds « Đặng ». The stored search names of the people whose names hold
such a letter are folded again; every other one is unchanged."""

from django.db import migrations
from django.db.models import Q

from reuse.names import search_name

# Lower and capital forms: SQLite's LIKE folds the case of ASCII letters only.
LETTERS = "œŒæÆßẞđĐðÐøØłŁıħĦþÞ"


def fold_again(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    holding = Q()
    for letter in LETTERS:
        holding |= Q(first_name__contains=letter) | Q(last_name__contains=letter)
    batch = []
    for user in User.objects.filter(holding).only("pk", "first_name", "last_name").iterator(chunk_size=2000):
        user.search_name = search_name(user.first_name, user.last_name)
        batch.append(user)
    User.objects.bulk_update(batch, ["search_name"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0016_unsent_task_delivery")]

    operations = [migrations.RunPython(fold_again, migrations.RunPython.noop, elidable=True)]
