import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def record_past_consents(apps, schema_editor):
    """Mandates recorded so far were signed in person: the consent dates from the mandate, recorded by its referrer."""
    Mandate = apps.get_model("eligibility", "Mandate")
    for mandate in Mandate.objects.all().only("pk", "created", "referrer_id"):
        Mandate.objects.filter(pk=mandate.pk).update(
            consented_at=mandate.created, consent_recorded_by_id=mandate.referrer_id
        )


def retire_unbound_codes(apps, schema_editor):
    """Codes printed before codes were bound to a mandate have no selector: they stop working (a new one is
    printed on request). Kept for the record, under the household's latest mandate, or deleted if it has none."""
    SignInCode = apps.get_model("eligibility", "SignInCode")
    Mandate = apps.get_model("eligibility", "Mandate")
    now = django.utils.timezone.now()
    for code in SignInCode.objects.all():
        mandate = Mandate.objects.filter(household_id=code.user_id).order_by("-created").first()
        if mandate is None:
            code.delete()
            continue
        SignInCode.objects.filter(pk=code.pk).update(
            mandate=mandate, selector="", revoked_at=code.revoked_at or now
        )


class Migration(migrations.Migration):

    dependencies = [
        ("eligibility", "0002_shared_rules_documents_mandates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="mandate",
            name="consent_method",
            field=models.CharField(
                choices=[
                    ("printed", "Mandat imprimé et signé sur papier"),
                    ("on_screen", "Mandat signé à l’écran"),
                    ("household_account", "Accepté par la personne dans son espace Rebond"),
                ],
                max_length=20,
                verbose_name="recueil du consentement",
            ),
        ),
        migrations.AddField(
            model_name="mandate",
            name="consented_at",
            field=models.DateTimeField(
                blank=True, default=django.utils.timezone.now, null=True, verbose_name="accord donné le"
            ),
        ),
        migrations.AddField(
            model_name="mandate",
            name="consent_recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="accord enregistré par",
            ),
        ),
        migrations.AddField(
            model_name="mandate",
            name="months",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="durée (mois)"),
        ),
        migrations.RunPython(record_past_consents, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="mandate",
            constraint=models.CheckConstraint(
                condition=models.Q(("consented_at__isnull", True), ("consent_recorded_by__isnull", False), _connector="OR"),
                name="mandate_consent_recorded_by_someone",
            ),
        ),
        migrations.AddConstraint(
            model_name="mandate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("consent_method", "household_account"), ("consented_at__isnull", False), _negated=True),
                    ("consent_recorded_by", models.F("household")),
                    _connector="OR",
                ),
                name="mandate_account_consent_by_household",
            ),
        ),
        migrations.AddField(
            model_name="signincode",
            name="selector",
            field=models.CharField(default="", max_length=8),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="signincode",
            name="mandate",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sign_in_codes",
                to="eligibility.mandate",
            ),
        ),
        migrations.RunPython(retire_unbound_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="signincode",
            name="mandate",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="sign_in_codes", to="eligibility.mandate"
            ),
        ),
        migrations.AddConstraint(
            model_name="signincode",
            constraint=models.UniqueConstraint(
                condition=models.Q(("revoked_at__isnull", True)),
                fields=("selector",),
                name="sign_in_code_selector_live",
            ),
        ),
        migrations.AlterField(
            model_name='mandatejournalentry',
            name='action',
            field=models.CharField(choices=[('mandate_recorded', 'Mandat enregistré'), ('mandate_revoked', 'Mandat révoqué'), ('mandate_requested', 'Mandat proposé, en attente de l’accord de la personne'), ('mandate_accepted', 'Mandat accepté par la personne'), ('mandate_refused', 'Mandat refusé par la personne'), ('household_created', 'Compte du foyer créé'), ('attestation', 'Éligibilité attestée'), ('document_uploaded', 'Justificatif déposé'), ('sign_in_code', 'Code de connexion imprimé'), ('claim', 'Demande d’appareil'), ('viewed', 'Dossier consulté')], max_length=30, verbose_name='action'),
        ),
    ]
