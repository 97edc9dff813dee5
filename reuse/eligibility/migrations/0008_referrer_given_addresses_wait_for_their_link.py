"""An address a referrer typed when opening a household's account, which the person never used (never signed in,
no password), is one nobody confirmed: it becomes the address asked for (pending_email), so that no password reset
link goes to it. The referrer gives it again from the household's page to send its confirmation link."""

from django.contrib.auth.hashers import is_password_usable
from django.db import migrations


def wait_for_the_link(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Entry = apps.get_model("eligibility", "MandateJournalEntry")
    opened = Entry.objects.filter(action="household_created").values("household")
    for user in User.objects.filter(pk__in=opened, last_login__isnull=True, email__isnull=False):
        if not is_password_usable(user.password):
            user.pending_email, user.email = user.email, None
            user.save(update_fields=["email", "pending_email"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_user_pending_email"),
        ("eligibility", "0007_mandate_journal_facts"),
    ]

    operations = [migrations.RunPython(wait_for_the_link, migrations.RunPython.noop)]
