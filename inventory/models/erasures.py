"""The evidence of erasure: the media a snapshot found, the tools' original reports, one record per pass."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models, transaction
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from inventory import erasure
from inventory.enums import ErasureMethod, StorageMedium
from inventory.models.devices import Device
from reuse import bounds
from reuse.accounts.models import Organisation
from reuse.fields import NameField, NoteField, optional_link
from reuse.journal import AppendOnlyQuerySet, WrittenOnce
from reuse.serials import SerialField


def _private_storage():
    return storages["private"]


class StorageMediumRecord(bounds.BoundedModel):
    """A data-bearing medium found in a device by a hardware snapshot (make, model, serial, capacity)."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(_("type de support"), max_length=10, choices=StorageMedium.choices, blank=True)
    make = NameField(_("marque"), max_length=80, blank=True)
    model = NameField(_("modèle"), max_length=120, blank=True)
    serial = SerialField(_("numéro de série"), max_length=100)
    capacity_gb = models.PositiveIntegerField(
        _("capacité (Go)"), null=True, blank=True, validators=bounds.STORAGE_GB.validators
    )
    source = models.CharField(_("relevé"), max_length=20, blank=True)
    # What the drive says of its own health (SMART) in its latest probe: False when it announces a failure.
    smart_passed = models.BooleanField(_("état SMART correct"), null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("support de stockage")
        verbose_name_plural = _("supports de stockage")
        ordering = ["device", "serial"]
        constraints = [
            # Whatever the case, as every lookup of a drive by serial (reuse/serials.py).
            models.UniqueConstraint("device", Upper("serial"), name="medium_serial_unique_per_device"),
            models.CheckConstraint(condition=~models.Q(serial=""), name="medium_serial_not_empty"),
            *bounds.constraints("medium", {"capacity_gb": bounds.STORAGE_GB}),
        ]

    def __str__(self):
        return f"{self.make} {self.model} {self.serial}".strip()


class ErasureReport(WrittenOnce, models.Model):
    """The original report of an erasure tool (nwipe log or PDF, JSON), kept privately as evidence.

    Its SHA-256 is printed on the donor's certificate; the donor of the lot downloads it from the lot page: written
    once, never changed nor deleted (a report imported by mistake stays, and its records are superseded).
    """

    workshop = models.ForeignKey(
        Organisation, verbose_name=_("atelier"), on_delete=models.PROTECT, related_name="erasure_reports"
    )
    file = models.FileField(
        _("fichier"), upload_to="erasure-reports/%Y/%m/", storage=_private_storage, max_length=255
    )
    filename = NameField(_("nom du fichier"), max_length=255)
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    kind = models.CharField(_("format"), max_length=20)
    tool = NameField(_("outil"), max_length=100, blank=True)
    tool_version = NameField(_("version de l’outil"), max_length=40, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("envoyé par"), on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapport d’effacement")
        verbose_name_plural = _("rapports d’effacement")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "sha256"], name="erasure_report_once_per_workshop")
        ]

    def __str__(self):
        return f"{self.filename} ({self.sha256[:12]})"


class ErasureRecordQuerySet(AppendOnlyQuerySet):
    def verified(self):
        return self.filter(verified=True)


class ErasureRecord(WrittenOnce, models.Model):
    """One erasure of one storage medium (NIST SP 800-88: clear, purge or destroy). The donor's certificate and its
    verification page name it: never edited nor deleted (a correction is a new pass), whatever path tries."""

    device = models.ForeignKey(
        Device, verbose_name=_("appareil"), on_delete=models.PROTECT, related_name="erasures"
    )
    method = models.CharField(_("méthode"), max_length=10, choices=ErasureMethod.choices)
    tool = NameField(_("outil"), max_length=100)
    tool_version = NameField(_("version de l’outil"), max_length=40)
    media_type = models.CharField(
        _("type de support"), max_length=10, choices=StorageMedium.choices, blank=True
    )
    media_make = NameField(_("marque du support"), max_length=80, blank=True)
    media_model = NameField(_("modèle du support"), max_length=120, blank=True)
    media_serial = SerialField(_("numéro de série du support"), max_length=100)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opérateur"), on_delete=models.PROTECT, related_name="+"
    )
    performed_at = models.DateTimeField(_("effectué le"))
    verified = models.BooleanField(_("vérification réussie"))
    passes = models.PositiveSmallIntegerField(
        _("passes"), null=True, blank=True, validators=bounds.ERASURE_PASSES.validators
    )
    # The tool's original report, when the record was imported from it.
    report = optional_link(_("rapport d’effacement"), "ErasureReport", related_name="records")
    notes = NoteField(_("remarques"), blank=True)
    created = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    objects = ErasureRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("effacement")
        verbose_name_plural = _("effacements")
        ordering = ["performed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(passes__isnull=True) | models.Q(passes__gte=1, passes__lte=100),
                name="erasure_passes_range",
            )
        ]

    def __str__(self):
        return f"{self.device_id} {self.media_serial} {self.method} {'OK' if self.verified else 'ÉCHEC'}"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            # A failed erasure of a device already online would break the rule: refused, nothing kept.
            erasure.check(Device.objects.get(pk=self.device_id))
