from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from inventory import erasure
from inventory.enums import DeviceState, DeviceType, ErasureMethod, Grade, StorageMedium
from inventory.opening_hours import OpeningHoursField
from reuse import bounds
from reuse.accounts.models import Organisation
from reuse.errors import DomainError
from reuse.lifecycle import StatusChange
from reuse.money import CentsField

PROFILE_BOUNDS = {
    "monthly_capacity": bounds.MONTHLY_CAPACITY,
    "latitude": bounds.LATITUDE,
    "longitude": bounds.LONGITUDE,
}
DEVICE_BOUNDS = {
    "price_cents": bounds.PRICE_CENTS,
    "year": bounds.YEAR,
    "ram_gb": bounds.RAM_GB,
    "storage_gb": bounds.STORAGE_GB,
    "screen_inches": bounds.SCREEN_INCHES,
    "battery_health": bounds.PERCENT,
    "media_count": bounds.MEDIA_COUNT,
}


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
    weee_partner = models.CharField(_("filière DEEE partenaire"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=PROFILE_BOUNDS["latitude"].validators,
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=PROFILE_BOUNDS["longitude"].validators,
    )

    class Meta:
        verbose_name = _("profil d’atelier")
        verbose_name_plural = _("profils d’atelier")
        constraints = bounds.constraints("workshopprofile", PROFILE_BOUNDS)

    def __str__(self):
        return str(self.organisation)


class DeviceQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(state=DeviceState.LISTED)

    def of_workshop(self, organisation):
        return self.filter(workshop=organisation)


class Device(bounds.BoundedModel):
    workshop = models.ForeignKey(
        Organisation, verbose_name=_("atelier"), on_delete=models.PROTECT, related_name="devices"
    )
    lot = models.ForeignKey(
        "donations.Lot",
        verbose_name=_("lot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
    )
    asset_tag = models.CharField(_("étiquette"), max_length=16, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=DeviceType.choices)
    brand = models.CharField(_("marque"), max_length=80, blank=True)
    model = models.CharField(_("modèle"), max_length=120, blank=True)
    serial = models.CharField(_("numéro de série"), max_length=100, blank=True, db_index=True)
    state = models.CharField(
        _("état"), max_length=20, choices=DeviceState.choices, default=DeviceState.RECEIVED
    )
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    price_cents = CentsField(
        _("prix solidaire (€)"), null=True, blank=True, validators=DEVICE_BOUNDS["price_cents"].validators
    )
    year = models.PositiveSmallIntegerField(
        _("année"), null=True, blank=True, validators=DEVICE_BOUNDS["year"].validators
    )
    cpu = models.CharField(_("processeur"), max_length=120, blank=True)
    ram_gb = models.PositiveSmallIntegerField(
        _("mémoire vive (Go)"), null=True, blank=True, validators=DEVICE_BOUNDS["ram_gb"].validators
    )
    storage_type = models.CharField(_("type de stockage"), max_length=10, blank=True)
    storage_gb = models.PositiveIntegerField(
        _("stockage (Go)"), null=True, blank=True, validators=DEVICE_BOUNDS["storage_gb"].validators
    )
    screen_inches = models.DecimalField(
        _("écran (pouces)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=DEVICE_BOUNDS["screen_inches"].validators,
    )
    battery_health = models.PositiveSmallIntegerField(
        _("santé de la batterie (%)"),
        null=True,
        blank=True,
        validators=DEVICE_BOUNDS["battery_health"].validators,
    )
    os = models.CharField(_("système"), max_length=60, blank=True)
    keyboard_layout = models.CharField(_("clavier"), max_length=20, blank=True)
    accessories = models.CharField(_("accessoires"), max_length=200, blank=True)
    repair_notes = models.TextField(_("notes de réparation"), blank=True)
    diagnostics = models.TextField(_("diagnostic"), blank=True)
    media_count = models.PositiveSmallIntegerField(
        _("supports de stockage"),
        default=1,
        help_text=_("Nombre de supports de données à effacer dans l’appareil."),
        validators=DEVICE_BOUNDS["media_count"].validators,
    )
    # Outcome, shown to the donor per serial (never the beneficiary's identity).
    outcome_department = models.CharField(_("département de réemploi"), max_length=3, blank=True)
    recycle_channel = models.CharField(_("filière DEEE"), max_length=200, blank=True)
    recycle_reference = models.CharField(_("référence de recyclage"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("état changé le"), auto_now_add=True)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("appareil")
        verbose_name_plural = _("appareils")
        ordering = ["-received_at", "-pk"]
        indexes = [
            # The stock list filtered by state pages newest first from this index alone, rare states too.
            models.Index(
                fields=["workshop", "state", "-received_at", "-id"], name="device_stock_state_order"
            ),
            # The stock list pages through one workshop's devices, newest first.
            models.Index(fields=["workshop", "-received_at", "-id"], name="device_stock_order"),
            models.Index(fields=["state", "type", "price_cents"]),
            # The dashboard's latest moves of a workshop, without sorting its whole stock.
            models.Index(fields=["workshop", "-state_changed_at", "-id"], name="device_recent_moves"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["lot", "serial"], condition=~models.Q(serial=""), name="device_serial_unique_per_lot"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="listed") | models.Q(price_cents__isnull=False),
                name="listed_device_has_price",
            ),
            *bounds.constraints("device", DEVICE_BOUNDS),
        ]

    def __str__(self):
        return f"{self.asset_tag} {self.brand} {self.model}".strip()

    def clean(self):
        # The same rule as save(), as a form error for ModelForms (the admin, the device page).
        if self.pk is not None:
            try:
                erasure.check(self)
            except DomainError as exc:
                raise ValidationError(str(exc.message), code=exc.code) from exc

    def save(self, *args, **kwargs):
        if not self._state.adding:
            # The erasure rule, whatever path writes the device (inventory.erasure).
            erasure.check(self)
        super().save(*args, **kwargs)


class StockCount(models.Model):
    """How many devices a workshop holds per state, type and grade: the stock list's counts without a scan.

    Kept by database triggers on inventory_device (inventory/counts.py), in the same transaction as the write,
    whatever writes it: a lifecycle move, a check-in, an import, a bulk load (COPY included), a deletion,
    an edit in the admin. On PostgreSQL the triggers append to StockCountChange (no hot row to lock, so two
    moves never wait on each other), folded in here by `inventory.counts.compact()`; a count is this table
    plus the changes not yet folded. A test compares the counts with a fresh COUNT after random sequences.
    """

    workshop = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=20, choices=DeviceState.choices)
    type = models.CharField(max_length=20, choices=DeviceType.choices)
    grade = models.CharField(max_length=1, blank=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur de stock")
        verbose_name_plural = _("compteurs de stock")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "state", "type", "grade"], name="stock_count_key"),
        ]

    def __str__(self):
        return f"{self.workshop_id} {self.state} {self.type} {self.grade}: {self.n}"


class StockCountChange(models.Model):
    """A change of StockCount not yet folded in (PostgreSQL): appended by the triggers, never updated."""

    id = models.BigAutoField(primary_key=True)
    workshop = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )
    state = models.CharField(max_length=20, choices=DeviceState.choices)
    type = models.CharField(max_length=20, choices=DeviceType.choices)
    grade = models.CharField(max_length=1, blank=True)
    n = models.BigIntegerField()

    class Meta:
        verbose_name = _("variation de stock")
        verbose_name_plural = _("variations de stock")

    def __str__(self):
        return f"{self.workshop_id} {self.state} {self.type} {self.grade}: {self.n:+d}"


class DeviceEvent(StatusChange):
    """The append-only history of who moved which device."""

    SUBJECT = "device"
    FROM_FIELD = "from_state"
    TO_FIELD = "to_state"

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_state = models.CharField(max_length=20, choices=DeviceState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=DeviceState.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("événement d’appareil")
        verbose_name_plural = _("historique des appareils")


def _private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class StorageMediumRecord(bounds.BoundedModel):
    """A data-bearing medium found in a device by a hardware snapshot (make, model, serial, capacity)."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(_("type de support"), max_length=10, choices=StorageMedium.choices, blank=True)
    make = models.CharField(_("marque"), max_length=80, blank=True)
    model = models.CharField(_("modèle"), max_length=120, blank=True)
    serial = models.CharField(_("numéro de série"), max_length=100)
    capacity_gb = models.PositiveIntegerField(
        _("capacité (Go)"), null=True, blank=True, validators=bounds.STORAGE_GB.validators
    )
    source = models.CharField(_("relevé"), max_length=20, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("support de stockage")
        verbose_name_plural = _("supports de stockage")
        ordering = ["device", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["device", "serial"], name="medium_serial_unique_per_device"),
            models.CheckConstraint(condition=~models.Q(serial=""), name="medium_serial_not_empty"),
            *bounds.constraints("medium", {"capacity_gb": bounds.STORAGE_GB}),
        ]

    def __str__(self):
        return f"{self.make} {self.model} {self.serial}".strip()


class ErasureReport(models.Model):
    """The original report of an erasure tool (nwipe log or PDF, JSON), kept privately as evidence.

    Its SHA-256 is printed on the donor's certificate; the donor of the lot downloads it from the lot page.
    """

    workshop = models.ForeignKey(
        Organisation, verbose_name=_("atelier"), on_delete=models.PROTECT, related_name="erasure_reports"
    )
    file = models.FileField(
        _("fichier"), upload_to="erasure-reports/%Y/%m/", storage=_private_storage, max_length=255
    )
    filename = models.CharField(_("nom du fichier"), max_length=255)
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    kind = models.CharField(_("format"), max_length=20)
    tool = models.CharField(_("outil"), max_length=100, blank=True)
    tool_version = models.CharField(_("version de l’outil"), max_length=40, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("envoyé par"), on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rapport d’effacement")
        verbose_name_plural = _("rapports d’effacement")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "sha256"], name="erasure_report_once_per_workshop")
        ]

    def __str__(self):
        return f"{self.filename} ({self.sha256[:12]})"


class ErasureRecordQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(verified=True)


class ErasureRecord(models.Model):
    """One erasure of one storage medium (NIST SP 800-88: clear, purge or destroy). Never edited afterwards."""

    device = models.ForeignKey(
        Device, verbose_name=_("appareil"), on_delete=models.PROTECT, related_name="erasures"
    )
    method = models.CharField(_("méthode"), max_length=10, choices=ErasureMethod.choices)
    tool = models.CharField(_("outil"), max_length=100)
    tool_version = models.CharField(_("version de l’outil"), max_length=40)
    media_type = models.CharField(
        _("type de support"), max_length=10, choices=StorageMedium.choices, blank=True
    )
    media_make = models.CharField(_("marque du support"), max_length=80, blank=True)
    media_model = models.CharField(_("modèle du support"), max_length=120, blank=True)
    media_serial = models.CharField(_("numéro de série du support"), max_length=100)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opérateur"), on_delete=models.PROTECT, related_name="+"
    )
    performed_at = models.DateTimeField(_("effectué le"))
    verified = models.BooleanField(_("vérification réussie"))
    passes = models.PositiveSmallIntegerField(
        _("passes"), null=True, blank=True, validators=bounds.ERASURE_PASSES.validators
    )
    # The tool's original report, when the record was imported from it.
    report = models.ForeignKey(
        "ErasureReport",
        verbose_name=_("rapport d’effacement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    notes = models.TextField(_("remarques"), blank=True)
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


class DevicePhoto(models.Model):
    """A photo re-encoded without metadata, with its catalogue thumbnail (WebP)."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), max_length=255)
    thumbnail = models.FileField(_("vignette"), max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("envoyé par"), on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo d’appareil")
        verbose_name_plural = _("photos d’appareils")
        ordering = ["created", "pk"]

    def __str__(self):
        return self.image.name


class PartUse(models.Model):
    """A part taken from a parts donor (state `parts`) to repair another device."""

    donor = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="parts_given")
    recipient = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="parts_received")
    part = models.CharField(_("pièce"), max_length=120)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pièce réemployée")
        verbose_name_plural = _("pièces réemployées")
        ordering = ["created", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(donor=models.F("recipient")), name="part_use_not_self")
        ]

    def __str__(self):
        return f"{self.part}: {self.donor_id} → {self.recipient_id}"
