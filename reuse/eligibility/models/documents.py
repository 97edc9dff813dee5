"""Proofs kept in private storage for staff to review, and who viewed them."""

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reuse.eligibility.enums import (
    DocumentStatus,
)
from reuse.eligibility.models.decisions import EligibilityDecision
from reuse.fields import NameField, optional_link
from reuse.journal import AppendOnlyModel
from reuse.models import QuarantinedFile


def private_storage():
    """Eligibility documents live in the storage without URL (settings.STORAGES["private"])."""
    return storages["private"]


def document_path(instance, filename):
    # The original name never reaches the disk: it may carry personal data.
    return f"eligibility/{timezone.now():%Y/%m}/{instance.token}"


class DocumentQuerySet(models.QuerySet):
    def waiting(self):
        # A document whose file is gone (its household closed the account) has nothing left to review; nor has one
        # whose decision a newer one replaced (another proof accepted, a referrer's attestation): deciding it would
        # tell the household an answer about a question it no longer asks.
        return self.filter(
            status=DocumentStatus.WAITING, deleted_at__isnull=True, decision__replaced_by__isnull=True
        )

    def due_for_deletion(self, at=None):
        """Files whose decision was taken, or replaced unreviewed, more than the programme's retention ago."""
        at = at or timezone.now()
        candidates = self.filter(deleted_at__isnull=True).exclude(
            status=DocumentStatus.WAITING, decision__replaced_by__isnull=True
        )
        candidates = candidates.select_related("decision__programme", "decision__replaced_by")
        return [doc for doc in candidates if doc.retention_ends() <= at]


class EligibilityDocument(models.Model):
    """A proof uploaded by a household (or its referrer), kept in private storage until its retention ends."""

    decision = models.ForeignKey(EligibilityDecision, on_delete=models.PROTECT, related_name="documents")
    token = models.CharField(max_length=64, unique=True, editable=False)
    file = models.FileField(
        _("fichier"), upload_to=document_path, storage=private_storage, blank=True, max_length=200
    )
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("statut"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.WAITING
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_by = optional_link()
    reviewed_at = models.DateTimeField(_("examiné le"), null=True, blank=True)
    review_note = NameField(_("motif"), max_length=255, blank=True)
    deleted_at = models.DateTimeField(_("fichier supprimé le"), null=True, blank=True)
    created = models.DateTimeField(_("déposé le"), auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("justificatif")
        verbose_name_plural = _("justificatifs")
        ordering = ["created"]
        permissions = [("review_eligibilitydocument", "Peut examiner les justificatifs d’éligibilité")]

    def __str__(self):
        return f"Justificatif n° {self.pk}"

    def retention_ends(self):
        """When the file's retention ends: the programme's retention after the review, or after the decision that
        replaced the proof unreviewed; None while it waits for a review."""
        if self.status == DocumentStatus.WAITING and self.decision.replaced_by_id is None:
            return None
        closed = self.reviewed_at or self.decision.replaced_by.created
        return closed + timedelta(days=self.decision.programme.document_retention_days)

    @property
    def servable(self) -> bool:
        """Whether the file may still be opened: it is there and its retention has not ended. The nightly purge
        deletes it later (the scheduler may be down, the night not come): nobody opens it meanwhile."""
        ends = self.retention_ends()
        if not self.file or (ends is not None and timezone.now() >= ends):
            return False
        return not QuarantinedFile.objects.holds(self.file)


class DocumentAccess(AppendOnlyModel):
    """Every time someone opened an eligibility document."""

    document = models.ForeignKey(
        EligibilityDocument, verbose_name=_("justificatif"), on_delete=models.PROTECT, related_name="accesses"
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("consulté par"), on_delete=models.PROTECT, related_name="+"
    )
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("consultation de justificatif")
        verbose_name_plural = _("consultations de justificatifs")

    def __str__(self):
        return f"{self.viewer} → {self.document}"

    @classmethod
    def log_view(cls, *, document, viewer, ip_address=None):
        return cls.objects.create(document=document, viewer=viewer, ip_address=ip_address)
