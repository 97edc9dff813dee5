"""Stored files Rebond serves no more: PDFs kept before the passive-PDF check (reuse.filekinds.check_passive_pdf)
that run something or carry a file, found by `manage.py quarantine_active_pdfs`. Every way a stored file leaves
(reuse.views.private_file_response, Wagtail's documents) asks `QuarantinedFile.objects.holds(file)` first."""

from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _


def storage_alias(storage) -> str:
    """The name settings.STORAGES gives `storage` ("default", "private"…), or its class for one set by hand."""
    for alias in storages.backends:
        if storages[alias] is storage:
            return alias
    return type(storage).__name__


class QuarantinedFileQuerySet(models.QuerySet):
    def holds(self, field_file) -> bool:
        """Whether this stored file (a FieldFile, or any File of a storage) is quarantined."""
        storage = getattr(field_file, "storage", None)
        name = getattr(field_file, "name", "")
        if storage is None or not name:
            return False
        return self.filter(storage=storage_alias(storage), name=name).exists()


class QuarantinedFile(models.Model):
    """One stored file set aside, as Rebond found it (nothing here is typed by anyone): where it is (storage and name, the file itself is kept for staff to look into
    with care) and the row that holds it (model label and primary key, for the coordinators' message)."""

    class Reason(models.TextChoices):
        ACTIVE_PDF = "active_pdf", _("PDF qui exécute quelque chose ou contient un fichier")

    storage = models.CharField(_("stockage"), max_length=40, editable=False)
    name = models.CharField(_("fichier"), max_length=255, editable=False)
    model = models.CharField(_("type d’objet"), max_length=100, editable=False)
    object_id = models.CharField(_("objet"), max_length=40, editable=False)
    reason = models.CharField(_("motif"), max_length=20, choices=Reason.choices)
    found = models.DateTimeField(_("trouvé le"), auto_now_add=True)

    objects = QuarantinedFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("fichier mis à l’écart")
        verbose_name_plural = _("fichiers mis à l’écart")
        constraints = [models.UniqueConstraint(fields=["storage", "name"], name="quarantined_file_once")]

    def __str__(self):
        return f"{self.storage}:{self.name}"
