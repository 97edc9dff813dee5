"""Household fingerprints and the possible duplicates they reveal, for staff to resolve."""

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from reuse.errors import render_text
from reuse.fields import optional_link


class HouseholdFingerprint(models.Model):
    """A keyed hash of normalised name, birth date and postcode: enough to spot a duplicate, nothing more."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, db_index=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("empreinte de foyer")
        verbose_name_plural = _("empreintes de foyer")

    def __str__(self):
        return f"Empreinte de {self.user}"


class DuplicateFlag(models.Model):
    """Two accounts that look like the same household, for staff to check."""

    first = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("premier compte"), on_delete=models.CASCADE, related_name="+"
    )
    second = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("second compte"), on_delete=models.CASCADE, related_name="+"
    )
    # Why the two accounts look alike: a code (reuse.eligibility.texts) written out in the reader's language.
    reason = models.JSONField(_("motif"), default=dict)
    resolved_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    resolved_by = optional_link(_("traité par"))
    created = models.DateTimeField(_("signalé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("doublon possible")
        verbose_name_plural = _("doublons possibles")
        ordering = ["-created"]
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="duplicate_flag_pair_unique")]

    def __str__(self):
        return f"{self.first} ≈ {self.second}"

    @admin.display(description=_("motif"))
    def reason_text(self) -> str:
        return render_text(self.reason)

    def get_reason_display(self) -> str:
        """The inspect page's value (Wagtail reads `get_<field>_display`)."""
        return self.reason_text()
