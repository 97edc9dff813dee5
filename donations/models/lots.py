"""Lots, their status journal and the rows of their manifest."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from donations.enums import LotStatus
from reuse import bounds
from reuse.accounts.models import Organisation
from reuse.accounts.validators import department_from_postcode, normalise_postcode, validate_postcode
from reuse.fields import NameField, optional_link
from reuse.lifecycle import StatusChange
from reuse.money import CentsField
from reuse.serials import SerialField


class LotQuerySet(models.QuerySet):
    def of_donor(self, organisation):
        return self.filter(donor=organisation)

    def awaiting_assignment(self):
        return self.filter(status=LotStatus.SUBMITTED, workshop__isnull=True)


class Lot(models.Model):
    """A batch of retired devices a donor gives in one go."""

    donor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="lots", verbose_name=_("donateur")
    )
    workshop = optional_link(_("atelier"), Organisation, related_name="assigned_lots")
    title = NameField(_("intitulé"), max_length=200)
    pickup_address = NameField(_("adresse d’enlèvement"), max_length=255)
    pickup_postcode = models.CharField(
        _("code postal d’enlèvement"), max_length=5, validators=[validate_postcode]
    )
    pickup_department = models.CharField(_("département"), max_length=3, editable=False)
    available_from = models.DateField(_("disponible à partir du"))
    contact_name = NameField(_("contact"), max_length=150, blank=True)
    contact_phone = models.CharField(_("téléphone du contact"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail du contact"), blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=LotStatus.choices, default=LotStatus.DRAFT)
    assigned_at = models.DateTimeField(_("attribué le"), null=True, blank=True)
    # Workshops that declined this lot: the automatic rule never offers it to them again.
    declined_by = models.JSONField(_("ateliers ayant décliné"), default=list, blank=True)
    pickup_scheduled_for = models.DateTimeField(_("enlèvement prévu le"), null=True, blank=True)
    pickup_note = NameField(_("précisions sur l’enlèvement"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("déclaré par"), on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = LotQuerySet.as_manager()

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "pickup_department"])]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if self.pickup_postcode:
            self.pickup_postcode = normalise_postcode(self.pickup_postcode)
            self.pickup_department = department_from_postcode(self.pickup_postcode)
        super().save(*args, **kwargs)


class LotEvent(StatusChange):
    """Who moved a lot from one status to another, and when."""

    SUBJECT = "lot"

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=20, choices=LotStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=LotStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("événement de lot")
        verbose_name_plural = _("historique des lots")


ITEM_BOUNDS = {
    "year": bounds.YEAR,
    "ram_gb": bounds.RAM_GB,
    "storage_gb": bounds.STORAGE_GB,
    "quantity": bounds.QUANTITY,
    "net_book_value_cents": bounds.BOOK_VALUE_CENTS,
}


class LotItem(bounds.BoundedModel):
    """One row of a lot's manifest, as the donor declared it. Re-imports update rows by serial."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="items")
    row_number = models.PositiveIntegerField(_("ligne"), null=True, blank=True)
    type = models.CharField(_("type"), max_length=20)
    brand = NameField(_("marque"), max_length=80, blank=True)
    model = NameField(_("modèle"), max_length=120, blank=True)
    serial = SerialField(_("numéro de série"), max_length=100, blank=True)
    asset_tag = models.CharField(_("numéro d’inventaire"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(
        _("année"), null=True, blank=True, validators=ITEM_BOUNDS["year"].validators
    )
    cpu = NameField(_("processeur"), max_length=120, blank=True)
    os = NameField(_("système"), max_length=60, blank=True)
    ram_gb = models.PositiveSmallIntegerField(
        _("mémoire (Go)"), null=True, blank=True, validators=ITEM_BOUNDS["ram_gb"].validators
    )
    storage_gb = models.PositiveIntegerField(
        _("stockage (Go)"), null=True, blank=True, validators=ITEM_BOUNDS["storage_gb"].validators
    )
    condition = NameField(_("état déclaré"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(
        _("quantité"), default=1, validators=ITEM_BOUNDS["quantity"].validators
    )
    net_book_value_cents = CentsField(
        _("valeur nette comptable (€)"),
        default=0,
        validators=ITEM_BOUNDS["net_book_value_cents"].validators,
    )
    # Release checklist, ticked by the donor before pickup (None: not answered yet).
    activation_lock_off = models.BooleanField(_("Localiser / verrouillage d’activation désactivé"), null=True)
    frp_removed = models.BooleanField(_("compte Google (FRP) retiré"), null=True)
    mdm_released = models.BooleanField(
        _("libéré de la gestion de flotte (MDM, Apple Business Manager)"), null=True
    )
    bios_password_removed = models.BooleanField(_("mot de passe BIOS retiré"), null=True)

    class Meta:
        verbose_name = _("ligne de manifeste")
        verbose_name_plural = _("manifeste")
        ordering = ["lot", "row_number", "pk"]
        constraints = [
            # Whatever the case, as a re-import matches them (and the devices' serials, inventory 0011).
            models.UniqueConstraint(
                "lot", Upper("serial"), condition=~models.Q(serial=""), name="lotitem_serial_unique_per_lot"
            ),
            *bounds.constraints("lotitem", ITEM_BOUNDS),
        ]

    def __str__(self):
        return f"{self.brand} {self.model} {self.serial}".strip()
