"""Skills: the digital mediation places of the national open data, their imports, and the communes' centres."""

from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inventory.opening_hours import parse_published, readable
from reuse.accounts.validators import clean_phone_attribute
from reuse.errors import render_rows, render_text, rows_line
from reuse.fields import NameField, optional_link
from reuse.tripod.enums import ImportSource


class MediationPlace(models.Model):
    """A digital mediation place from the national open data (LaMednum schema), updated by its `id`."""

    external_id = models.CharField(_("identifiant (id)"), max_length=200, unique=True)
    pivot = models.CharField(_("SIRET ou RNA"), max_length=20)
    name = NameField(_("nom"), max_length=300)
    commune = NameField(_("commune"), max_length=200)
    postcode = models.CharField(_("code postal"), max_length=5, db_index=True)
    address = NameField(_("adresse"), max_length=300)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    services = models.JSONField(_("services"), default=list)
    opening_hours = models.CharField(_("horaires (OpenStreetMap)"), max_length=500, blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    emails = models.CharField(_("courriels"), max_length=300, blank=True)
    website = models.CharField(_("site web"), max_length=300, blank=True)
    typology = NameField(_("typologie"), max_length=200, blank=True)
    fees = NameField(_("frais à charge"), max_length=200, blank=True)
    access = NameField(_("modalités d’accès"), max_length=300, blank=True)
    accessibility = NameField(_("accessibilité"), max_length=300, blank=True)
    source = NameField(_("source"), max_length=200, blank=True)
    updated_on = models.DateField(_("mis à jour le (date_maj)"))
    imported_at = models.DateTimeField(_("importé le"), default=timezone.now)

    class Meta:
        verbose_name = _("lieu de médiation numérique")
        verbose_name_plural = _("lieux de médiation numérique")
        ordering = ["postcode", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="place_coordinates_in_range",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.postcode} {self.commune})"

    def clean(self):
        """The admin's form: the phone number in the one form of every number in Rebond."""
        super().clean()
        clean_phone_attribute(self)

    @property
    def opening_hours_words(self) -> list[str]:
        return readable(self.opening_hours, reader=parse_published)

    @property
    def accessibility_items(self) -> list[str]:
        """The schema joins several values with "|": each one, to be shown as a list, never the raw separator."""
        return [part.strip() for part in self.accessibility.split("|") if part.strip()]


class PlaceImport(models.Model):
    """One run of the mediation-places import: where from, what it did, and the rows it refused (by row)."""

    source = models.CharField(_("origine"), max_length=12, choices=ImportSource.choices)
    filename = NameField(_("fichier ou adresse"), max_length=500)
    rows = models.PositiveIntegerField(_("lignes"), default=0)
    created_count = models.PositiveIntegerField(_("créés"), default=0)
    updated_count = models.PositiveIntegerField(_("mis à jour"), default=0)
    errors = models.JSONField(_("erreurs par ligne"), default=list)
    # Rows imported with a value left out (a phone number no one can dial), same shape as `errors`.
    warnings = models.JSONField(_("avertissements par ligne"), default=list)
    # Why the whole file was refused; like `errors`, codes (reuse.tripod.texts) written out when read.
    failure = models.JSONField(_("échec"), default=dict, blank=True)
    by = optional_link()
    created = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("import de lieux de médiation")
        verbose_name_plural = _("imports de lieux de médiation")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.filename} ({self.created:%d/%m/%Y %H:%M})"

    @admin.display(description=_("échec"))
    def failure_text(self) -> str:
        return render_text(self.failure)

    @property
    def error_rows(self) -> list[dict]:
        """`{"row", "field", "message"}` for each row refused, in the reader's language."""
        return render_rows(self.errors)

    @property
    def warning_rows(self) -> list[dict]:
        return render_rows(self.warnings)

    # What the admin's inspect page shows of the stored codes (Wagtail reads `get_<field>_display`).
    def get_failure_display(self) -> str:
        return self.failure_text()

    def get_errors_display(self) -> str:
        return rows_line(self.error_rows)

    def get_warnings_display(self) -> str:
        return rows_line(self.warning_rows)


class CommunePoint(models.Model):
    """Where a postcode's commune lies (its town hall), to measure "near home" without a geocoding service."""

    postcode = models.CharField(_("code postal"), max_length=5, db_index=True)
    name = NameField(_("commune"), max_length=200)
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [models.UniqueConstraint(fields=["postcode", "name"], name="one_point_per_commune")]

    def __str__(self):
        return f"{self.postcode} {self.name}"
