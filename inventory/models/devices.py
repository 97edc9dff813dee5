"""A device in a workshop's stock, the history of its moves, its photos and the parts it gives or receives."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from inventory import erasure
from inventory.enums import DeviceState, DeviceType, Grade
from reuse import bounds
from reuse.accounts.models import Organisation
from reuse.errors import DomainError
from reuse.fields import NameField, NoteField, optional_link
from reuse.lifecycle import StatusChange
from reuse.money import CentsField
from reuse.serials import SerialField

# What names a device on every list of it (donor outcomes, bench COPY rows), in this order.
IDENTITY_FIELDS = ("asset_tag", "type", "brand", "model", "serial", "state", "grade")

DEVICE_BOUNDS = {
    "price_cents": bounds.PRICE_CENTS,
    "year": bounds.YEAR,
    "ram_gb": bounds.RAM_GB,
    "storage_gb": bounds.STORAGE_GB,
    "screen_inches": bounds.SCREEN_INCHES,
    "battery_health": bounds.PERCENT,
    "media_count": bounds.MEDIA_COUNT,
}


class DeviceQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(state=DeviceState.LISTED)

    def of_workshop(self, organisation):
        return self.filter(workshop=organisation)


class Device(bounds.BoundedModel):
    # No index of its own: the three indexes below that start with the workshop serve every lookup by workshop
    # (and the PROTECT check of a workshop's deletion), and each index is one more write per device moved.
    workshop = models.ForeignKey(
        Organisation,
        verbose_name=_("atelier"),
        on_delete=models.PROTECT,
        related_name="devices",
        db_index=False,
    )
    lot = optional_link(_("lot"), "donations.Lot", related_name="devices")
    asset_tag = models.CharField(_("étiquette"), max_length=16, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=DeviceType.choices)
    brand = NameField(_("marque"), max_length=80, blank=True)
    model = NameField(_("modèle"), max_length=120, blank=True)
    serial = SerialField(_("numéro de série"), max_length=100, blank=True, db_index=True)
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
    cpu = NameField(_("processeur"), max_length=120, blank=True)
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
    os = NameField(_("système"), max_length=60, blank=True)
    keyboard_layout = NameField(_("clavier"), max_length=20, blank=True)
    accessories = NameField(_("accessoires"), max_length=200, blank=True)
    repair_notes = NoteField(_("notes de réparation"), blank=True)
    diagnostics = NoteField(_("diagnostic"), blank=True)
    media_count = models.PositiveSmallIntegerField(
        _("supports de stockage"),
        default=1,
        help_text=_("Nombre de supports de données à effacer dans l’appareil."),
        validators=DEVICE_BOUNDS["media_count"].validators,
    )
    # Outcome, shown to the donor per serial (never the beneficiary's identity).
    outcome_department = models.CharField(_("département de réemploi"), max_length=3, blank=True)
    recycle_channel = NameField(_("filière DEEE"), max_length=200, blank=True)
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
            # Whatever the case: « c02x » typed by hand is the « C02X » a tool read (reuse/serials.py).
            models.UniqueConstraint(
                "lot", Upper("serial"), condition=~models.Q(serial=""), name="device_serial_unique_per_lot"
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


# The box a photo's thumbnail fits in (inventory.photos); shrunk further only to keep its bytes small, never reshaped.
THUMBNAIL_SIZE = (400, 300)


class DevicePhoto(models.Model):
    """A photo re-encoded without metadata, with its catalogue thumbnail (WebP)."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), max_length=255)
    thumbnail = models.FileField(_("vignette"), max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    # The SHA-256 of the file as sent (empty for photos kept before it was): the same file sent again for the
    # device (a double tap on a slow link) is the photo already kept.
    sha256 = models.CharField(max_length=64, blank=True, default="")
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

    @property
    def thumbnail_box(self) -> tuple[int, int]:
        """The thumbnail's width and height as its page writes them (<img width height>), so that the browser
        holds its place before it arrives: the photo's own shape within THUMBNAIL_SIZE, as Pillow's thumbnail()
        makes it."""
        scale = min(THUMBNAIL_SIZE[0] / self.width, THUMBNAIL_SIZE[1] / self.height, 1)
        return max(round(self.width * scale), 1), max(round(self.height * scale), 1)


class PartUse(models.Model):
    """A part taken from a parts donor (state `parts`) to repair another device."""

    donor = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="parts_given")
    recipient = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="parts_received")
    part = NameField(_("pièce"), max_length=120)
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
