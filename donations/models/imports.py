"""Manifest imports and what donors and staff taught the reader: header aliases, column and type answers."""

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from donations import texts
from donations.enums import ImportMode, ImportNeeds, ImportState, ManifestColumn, SizeUnit
from donations.exports.aliases import fold
from donations.models.lots import Lot
from inventory.enums import DeviceType
from reuse.accounts.models import Organisation
from reuse.errors import render_rows, render_text, rows_line
from reuse.fields import NameField
from reuse.lifecycle import Lifecycle


def _private_storage():
    return storages["private"]


IN_FLIGHT = (ImportState.PENDING, ImportState.RUNNING)


def stale_before():
    """An import waiting or running that has written nothing since is stale (settings.IMPORT_STALE_SECONDS)."""
    return timezone.now() - timedelta(seconds=settings.IMPORT_STALE_SECONDS)


class ImportJobQuerySet(models.QuerySet):
    def in_flight(self):
        """Imports that may still write into their lot: waiting for a worker, or running, and heard of lately.

        One rule for every guard: an import that fell silent past the stale age (its worker died, or its eager run
        failed and could not record it) does not hold its lot for good; expire_stale() records it as failed."""
        return self.filter(state__in=IN_FLIGHT, updated__gte=stale_before())

    def expire_stale(self) -> int:
        """Stale imports end « failed », the donor told to send the file again: a late attempt does not start
        them (donations.import_run) and one still running stops before its next batch."""
        return IMPORTS.update_where(
            self.filter(updated__lt=stale_before()),
            ImportState.FAILED,
            progress=100,
            message=texts.STALE(),
            updated=timezone.now(),
        )


class ImportJob(models.Model):
    """One manifest upload and its import, run by a Celery task; the donor watches `progress`."""

    lot = models.ForeignKey(Lot, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("envoyé par"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(
        _("fichier"), upload_to="manifests/%Y/%m/", storage=_private_storage, max_length=255
    )
    filename = NameField(_("nom du fichier"), max_length=255)
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)
    mode = models.CharField(
        _("mode"), max_length=10, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING
    )
    state = models.CharField(
        _("état"), max_length=10, choices=ImportState.choices, default=ImportState.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    # A fatal problem with the whole file (type, encoding, size); row problems go to `errors`. Both are stored as
    # codes (donations.texts) and read through message_text and error_rows, in the reader's language.
    message = models.JSONField(_("message"), default=dict, blank=True)
    errors = models.JSONField(_("erreurs par ligne"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("erreurs"), default=0)
    warnings = models.JSONField(_("valeurs inhabituelles"), default=list, blank=True)
    warning_count = models.PositiveIntegerField(_("valeurs inhabituelles (nombre)"), default=0)
    # Why the import stopped before writing and waits for the donor (columns, values, warnings to confirm).
    needs = models.CharField(
        _("en attente de"), max_length=10, choices=ImportNeeds.choices, blank=True, default=""
    )
    # The donor's choices for this file: {"columns": {header: column}, "units": {header: unit},
    # "types": {value: type}, "confirm_warnings": bool}; headers and values are folded.
    choices = models.JSONField(_("choix du donateur"), default=dict, blank=True)
    # What the report and the mapping page show: the column plan and the first rows, the units read, the
    # types normalised or inferred, the values left to map.
    summary = models.JSONField(_("résumé"), default=dict, blank=True)
    total_rows = models.PositiveIntegerField(_("lignes"), default=0)
    valid_rows = models.PositiveIntegerField(_("lignes valides"), default=0)
    created_rows = models.PositiveIntegerField(_("appareils ajoutés"), default=0)
    updated_rows = models.PositiveIntegerField(_("appareils mis à jour"), default=0)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    created = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import de manifeste")
        verbose_name_plural = _("imports de manifeste")
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100), name="importjob_progress_range"
            )
        ]

    def __str__(self):
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def message_text(self) -> str:
        return render_text(self.message)

    @property
    def error_rows(self) -> list[dict]:
        """`{"row", "field", "message"}` for each row error kept, in the reader's language."""
        return render_rows(self.errors, texts.FIELD_LABELS)

    @property
    def warning_rows(self) -> list[dict]:
        return render_rows(self.warnings, texts.FIELD_LABELS)

    # What the admin's inspect page shows of the stored codes (Wagtail reads `get_<field>_display`).
    def get_message_display(self) -> str:
        return self.message_text

    def get_errors_display(self) -> str:
        return rows_line(self.error_rows)

    def get_warnings_display(self) -> str:
        return rows_line(self.warning_rows)

    @property
    def in_flight(self):
        """The rule of ImportJobQuerySet.in_flight, for one job already read."""
        return self.state in IN_FLIGHT and not self.stale

    @property
    def stale(self):
        return self.state in IN_FLIGHT and self.updated < stale_before()

    def expire_if_stale(self) -> "ImportJob":
        """The job as its donor is shown it (its page, the API's progress): one gone silent says it failed, as the
        next move of its lot would record. Written only then, so that reading a job takes no write lock."""
        if self.stale:
            ImportJob.objects.filter(pk=self.pk).expire_stale()
            self.refresh_from_db()
        return self

    @property
    def finished(self):
        return self.state in (ImportState.DONE, ImportState.FAILED)

    @property
    def may_map(self):
        """The mapping page is offered for a finished import that read the header row."""
        return self.finished and bool(self.summary.get("plan"))

    @property
    def may_import_valid_rows(self):
        """The donor's second choice, offered only after a report listing row errors (not a broken file)."""
        return (
            self.state == ImportState.FAILED
            and self.mode == ImportMode.ALL_OR_NOTHING
            and not self.message
            and self.valid_rows > 0
        )


# Declared here, beside its model, since the queryset above expires jobs through it (donations.transitions names
# it with the lot's lifecycle). Jobs move by conditional UPDATE: a worker and a lot's move may race for one.
IMPORTS = Lifecycle(
    model=ImportJob,
    states=ImportState,
    field="state",
    table={
        ImportState.PENDING: {ImportState.RUNNING, ImportState.FAILED},
        # Running again: the task delivered a second time after its worker died (acks_late).
        ImportState.RUNNING: {ImportState.RUNNING, ImportState.DONE, ImportState.FAILED},
        ImportState.DONE: set(),
        ImportState.FAILED: set(),
    },
)


class HeaderAlias(models.Model):
    """A header staff taught the manifest reader, on top of the declared table (donations.exports.aliases)."""

    field = models.CharField(_("colonne du manifeste"), max_length=20, choices=ManifestColumn.choices)
    alias = models.CharField(
        _("en-tête"),
        max_length=120,
        help_text=_("Tel qu’il apparaît dans l’export (accents, majuscules et ponctuation ne comptent pas)."),
    )
    key = models.CharField(_("clé de comparaison"), max_length=120, unique=True, editable=False)
    note = NameField(_("outil ou remarque"), max_length=200, blank=True)
    created = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("alias d’en-tête")
        verbose_name_plural = _("alias d’en-têtes")
        ordering = ["field", "alias"]

    def __str__(self):
        return f"{self.alias} → {self.get_field_display()}"

    def save(self, *args, **kwargs):
        self.key = fold(self.alias)
        super().save(*args, **kwargs)


class OrganisationAnswer(models.Model):
    """An organisation's answer on the mapping page, applied to its next files without asking again."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    # The header or the value, folded (donations.exports.aliases.fold); "" for rows without a type.
    key = models.CharField(_("clé de comparaison"), max_length=120, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("modifié par"), on_delete=models.PROTECT, related_name="+"
    )
    updated = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class ColumnChoice(OrganisationAnswer):
    """What one header of the organisation's exports holds."""

    header = models.CharField(_("en-tête"), max_length=200)
    # "" means the organisation said the column is not to be read.
    field = models.CharField(
        _("colonne du manifeste"), max_length=20, choices=ManifestColumn.choices, blank=True
    )
    unit = models.CharField(_("unité"), max_length=2, choices=SizeUnit.choices, blank=True)

    class Meta:
        verbose_name = _("correspondance de colonne")
        verbose_name_plural = _("correspondances de colonnes")
        ordering = ["organisation", "header"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="columnchoice_unique_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.header} → {self.field or '—'}"


class TypeChoice(OrganisationAnswer):
    """Which device type one value of the organisation's exports means ("" for rows without a type)."""

    value = models.CharField(_("valeur"), max_length=200, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=DeviceType.choices)

    class Meta:
        verbose_name = _("correspondance de type")
        verbose_name_plural = _("correspondances de types")
        ordering = ["organisation", "value"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="typechoice_unique_per_organisation")
        ]

    def __str__(self):
        return f"{self.value or '—'} → {self.type}"
