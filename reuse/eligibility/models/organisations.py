"""What eligibility records about organisations: an association's profile, a referrer's accreditation."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reuse.accounts.models import Organisation, VerifiedProfile
from reuse.fields import NameField, NoteField


class AssociationProfile(VerifiedProfile):
    """What an association declares (purpose, public) and whether staff verified it."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="association_profile"
    )
    purpose = NoteField(_("objet de l’association"))
    public = NoteField(_("public accompagné"))

    class Meta(VerifiedProfile.Meta):
        verbose_name = _("profil d’association")
        verbose_name_plural = _("profils d’association")


class AccreditationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, organisation__status="approved")


class ReferrerAccreditation(models.Model):
    """Staff's accreditation of a referrer organisation: only then may its members attest eligibility."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="accreditation")
    accredited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accredited_at = models.DateTimeField(_("accrédité le"), default=timezone.now)
    revoked_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    note = NameField(_("note"), max_length=255, blank=True)

    objects = AccreditationQuerySet.as_manager()

    class Meta:
        verbose_name = _("accréditation de prescripteur")
        verbose_name_plural = _("accréditations de prescripteur")
        ordering = ["-accredited_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True)
                | models.Q(revoked_at__gte=models.F("accredited_at")),
                name="accreditation_revoked_after",
            )
        ]

    def __str__(self):
        return str(self.organisation)
