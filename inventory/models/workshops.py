"""A workshop's profile beside its organisation: the départements it serves, its capacity and hours."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from inventory.enums import RECEIPT_BOXES, LegalStatus
from inventory.opening_hours import OpeningHoursField
from reuse import bounds
from reuse.accounts.models import Organisation
from reuse.fields import NameField

PROFILE_BOUNDS = {
    "monthly_capacity": bounds.MONTHLY_CAPACITY,
    "latitude": bounds.LATITUDE,
    "longitude": bounds.LONGITUDE,
}


def _coordinate(label, name: str) -> models.DecimalField:
    """A latitude or a longitude to five decimals (about a metre), optional, within its bounds."""
    return models.DecimalField(
        label,
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=PROFILE_BOUNDS[name].validators,
    )


class WorkshopProfile(bounds.BoundedModel):
    """What a workshop organisation declares about its activity."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("atelier"), on_delete=models.CASCADE, related_name="workshop_profile"
    )
    service_departments = models.JSONField(_("départements desservis"), default=list, blank=True)
    monthly_capacity = models.PositiveIntegerField(
        _("capacité mensuelle (appareils)"),
        default=100,
        validators=PROFILE_BOUNDS["monthly_capacity"].validators,
    )
    opening_hours = OpeningHoursField(
        _("horaires d’ouverture"),
        blank=True,
        help_text=_(
            "Les jours, puis les heures d’ouverture ; une ligne par groupe de jours aux mêmes horaires."
        ),
    )
    may_issue_tax_receipts = models.BooleanField(_("peut émettre des reçus fiscaux"), default=False)
    # Recorded by staff from the statutes: the tax receipt's « type » line, and whether one may be issued at all.
    legal_status = models.CharField(
        _("statut juridique"), max_length=24, choices=LegalStatus.choices, blank=True
    )
    weee_partner = NameField(_("filière DEEE partenaire"), max_length=200, blank=True)
    latitude = _coordinate(_("latitude"), "latitude")
    longitude = _coordinate(_("longitude"), "longitude")

    class Meta:
        verbose_name = _("profil d’atelier")
        verbose_name_plural = _("profils d’atelier")
        constraints = bounds.constraints("workshopprofile", PROFILE_BOUNDS)

    def __str__(self):
        return str(self.organisation)

    def clean(self):
        """The admin's edit form holds the verification page's rule (inventory.services.workshops.verify_workshop):
        the right to issue tax receipts only with a legal status the cerfa has a box for."""
        super().clean()
        if self.may_issue_tax_receipts and self.legal_status not in RECEIPT_BOXES:
            raise ValidationError(
                {
                    "legal_status": _(
                        "Le statut juridique « %(status)s » ne permet pas d’émettre des reçus fiscaux "
                        "(article 238 bis du CGI)."
                    )
                    % {"status": self.get_legal_status_display() or _("non renseigné")}
                }
            )
