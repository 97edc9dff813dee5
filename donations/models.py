from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from donations.enums import LotStatus
from reuse.accounts.models import Organisation
from reuse.accounts.validators import validate_postcode
from reuse.journal import AppendOnlyModel


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
    workshop = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_lots",
        verbose_name=_("atelier"),
    )
    title = models.CharField(_("intitulé"), max_length=200)
    pickup_address = models.CharField(_("adresse d’enlèvement"), max_length=255)
    pickup_postcode = models.CharField(
        _("code postal d’enlèvement"), max_length=5, validators=[validate_postcode]
    )
    pickup_department = models.CharField(_("département"), max_length=3, editable=False)
    available_from = models.DateField(_("disponible à partir du"))
    contact_name = models.CharField(_("contact"), max_length=150, blank=True)
    contact_phone = models.CharField(_("téléphone du contact"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail du contact"), blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=LotStatus.choices, default=LotStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = LotQuerySet.as_manager()

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "pickup_department"])]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"


class LotEvent(AppendOnlyModel):
    """Who moved a lot from one status to another, and when."""

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=20, choices=LotStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=LotStatus.choices)
    note = models.TextField(blank=True)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("événement de lot")
        verbose_name_plural = _("historique des lots")

    def __str__(self):
        return f"{self.lot_id}: {self.from_status} → {self.to_status}"

    @classmethod
    def log_transition(cls, *, lot, actor, from_status, to_status, note=""):
        return cls.objects.create(
            lot=lot, actor=actor, from_status=from_status, to_status=to_status, note=note
        )


class LotItem(models.Model):
    """One row of a lot's manifest, as the donor declared it. Re-imports update rows by serial."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="items")
    row_number = models.PositiveIntegerField(_("ligne"), null=True, blank=True)
    type = models.CharField(_("type"), max_length=20)
    brand = models.CharField(_("marque"), max_length=80, blank=True)
    model = models.CharField(_("modèle"), max_length=120, blank=True)
    serial = models.CharField(_("numéro de série"), max_length=100, blank=True)
    asset_tag = models.CharField(_("numéro d’inventaire"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    cpu = models.CharField(_("processeur"), max_length=120, blank=True)
    ram_gb = models.PositiveSmallIntegerField(_("mémoire (Go)"), null=True, blank=True)
    storage_gb = models.PositiveIntegerField(_("stockage (Go)"), null=True, blank=True)
    condition = models.CharField(_("état déclaré"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantité"), default=1)
    net_book_value_cents = models.PositiveIntegerField(_("valeur nette comptable (centimes)"), default=0)
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
            models.UniqueConstraint(
                fields=["lot", "serial"], condition=~models.Q(serial=""), name="lotitem_serial_unique_per_lot"
            )
        ]

    def __str__(self):
        return f"{self.brand} {self.model} {self.serial}".strip()
