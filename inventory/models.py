from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from inventory.enums import DeviceState, DeviceType, ErasureMethod, Grade, StorageMedium
from inventory.opening_hours import OpeningHoursField
from reuse.accounts.models import Organisation
from reuse.lifecycle import StatusChange
from reuse.money import CentsField


class WorkshopProfile(models.Model):
    """What a workshop organisation declares about its activity."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("atelier"), on_delete=models.CASCADE, related_name="workshop_profile"
    )
    service_departments = models.JSONField(_("départements desservis"), default=list, blank=True)
    monthly_capacity = models.PositiveIntegerField(_("capacité mensuelle (appareils)"), default=100)
    opening_hours = OpeningHoursField(
        _("horaires d’ouverture"),
        blank=True,
        help_text=_(
            "Les jours, puis les heures d’ouverture ; une ligne par groupe de jours aux mêmes horaires."
        ),
    )
    may_issue_tax_receipts = models.BooleanField(_("peut émettre des reçus fiscaux"), default=False)
    weee_partner = models.CharField(_("filière DEEE partenaire"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        verbose_name = _("profil d’atelier")
        verbose_name_plural = _("profils d’atelier")

    def __str__(self):
        return str(self.organisation)


class DeviceQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(state=DeviceState.LISTED)

    def of_workshop(self, organisation):
        return self.filter(workshop=organisation)


class Device(models.Model):
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
    price_cents = CentsField(_("prix solidaire (€)"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    cpu = models.CharField(_("processeur"), max_length=120, blank=True)
    ram_gb = models.PositiveSmallIntegerField(_("mémoire vive (Go)"), null=True, blank=True)
    storage_type = models.CharField(_("type de stockage"), max_length=10, blank=True)
    storage_gb = models.PositiveIntegerField(_("stockage (Go)"), null=True, blank=True)
    screen_inches = models.DecimalField(
        _("écran (pouces)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    battery_health = models.PositiveSmallIntegerField(
        _("santé de la batterie (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
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
            models.Index(fields=["workshop", "state"]),
            # The stock list pages through one workshop's devices, newest first.
            models.Index(fields=["workshop", "-received_at", "-id"], name="device_stock_order"),
            models.Index(fields=["state", "type", "price_cents"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["lot", "serial"], condition=~models.Q(serial=""), name="device_serial_unique_per_lot"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="listed") | models.Q(price_cents__isnull=False),
                name="listed_device_has_price",
            ),
        ]

    def __str__(self):
        return f"{self.asset_tag} {self.brand} {self.model}".strip()


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


class StorageMediumRecord(models.Model):
    """A data-bearing medium found in a device by a hardware snapshot (make, model, serial, capacity)."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(_("type de support"), max_length=10, choices=StorageMedium.choices, blank=True)
    make = models.CharField(_("marque"), max_length=80, blank=True)
    model = models.CharField(_("modèle"), max_length=120, blank=True)
    serial = models.CharField(_("numéro de série"), max_length=100)
    capacity_gb = models.PositiveIntegerField(_("capacité (Go)"), null=True, blank=True)
    source = models.CharField(_("relevé"), max_length=20, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("support de stockage")
        verbose_name_plural = _("supports de stockage")
        ordering = ["device", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["device", "serial"], name="medium_serial_unique_per_device"),
            models.CheckConstraint(condition=~models.Q(serial=""), name="medium_serial_not_empty"),
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
    passes = models.PositiveSmallIntegerField(_("passes"), null=True, blank=True)
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
