"""The household an email written to someone else names (its referrer, its association), so that the email goes
when that household closes its account. Nullable: emails written before say nothing of it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0012_user_search_name'),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='about',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='foyer'),
        ),
    ]
