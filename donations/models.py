from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from donations.enums import (
    ImportMode,
    ImportNeeds,
    ImportState,
    LotStatus,
    ManifestColumn,
    ReceiptReviewStatus,
    SizeUnit,
)
from inventory.enums import DeviceType
from reuse import bounds
from reuse.accounts.models import Organisation
from reuse.accounts.validators import validate_postcode
from reuse.lifecycle import StatusChange
from reuse.money import CentsField, format_euros


def _private_storage():
    from django.core.files.storage import storages

    return storages["private"]


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
    assigned_at = models.DateTimeField(_("attribué le"), null=True, blank=True)
    # Workshops that declined this lot: the automatic rule never offers it to them again.
    declined_by = models.JSONField(_("ateliers ayant décliné"), default=list, blank=True)
    pickup_scheduled_for = models.DateTimeField(_("enlèvement prévu le"), null=True, blank=True)
    pickup_note = models.CharField(_("précisions sur l’enlèvement"), max_length=255, blank=True)
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
        from reuse.accounts.validators import department_from_postcode

        if self.pickup_postcode:
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
    brand = models.CharField(_("marque"), max_length=80, blank=True)
    model = models.CharField(_("modèle"), max_length=120, blank=True)
    serial = models.CharField(_("numéro de série"), max_length=100, blank=True)
    asset_tag = models.CharField(_("numéro d’inventaire"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(
        _("année"), null=True, blank=True, validators=ITEM_BOUNDS["year"].validators
    )
    cpu = models.CharField(_("processeur"), max_length=120, blank=True)
    os = models.CharField(_("système"), max_length=60, blank=True)
    ram_gb = models.PositiveSmallIntegerField(
        _("mémoire (Go)"), null=True, blank=True, validators=ITEM_BOUNDS["ram_gb"].validators
    )
    storage_gb = models.PositiveIntegerField(
        _("stockage (Go)"), null=True, blank=True, validators=ITEM_BOUNDS["storage_gb"].validators
    )
    condition = models.CharField(_("état déclaré"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(
        _("quantité"), default=1, validators=ITEM_BOUNDS["quantity"].validators
    )
    net_book_value_cents = models.PositiveIntegerField(
        _("valeur nette comptable (centimes)"),
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
            models.UniqueConstraint(
                fields=["lot", "serial"], condition=~models.Q(serial=""), name="lotitem_serial_unique_per_lot"
            ),
            *bounds.constraints("lotitem", ITEM_BOUNDS),
        ]

    def __str__(self):
        return f"{self.brand} {self.model} {self.serial}".strip()


class ImportJob(models.Model):
    """One manifest upload and its import, run by a Celery task; the donor watches `progress`."""

    lot = models.ForeignKey(Lot, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("envoyé par"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(
        _("fichier"), upload_to="manifests/%Y/%m/", storage=_private_storage, max_length=255
    )
    filename = models.CharField(_("nom du fichier"), max_length=255)
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)
    mode = models.CharField(
        _("mode"), max_length=10, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING
    )
    state = models.CharField(
        _("état"), max_length=10, choices=ImportState.choices, default=ImportState.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    # A fatal problem with the whole file (type, encoding, size); row problems go to `errors`.
    message = models.TextField(_("message"), blank=True)
    errors = models.JSONField(_("erreurs par ligne"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("erreurs"), default=0)
    warnings = models.JSONField(_("valeurs inhabituelles"), default=list, blank=True)
    warning_count = models.PositiveIntegerField(_("valeurs inhabituelles (nombre)"), default=0)
    # Why the import stopped before writing and waits for the donor (columns, values, warnings to confirm).
    needs = models.CharField(
        _("en attente de"), max_length=10, choices=ImportNeeds.choices, blank=True, default=""
    )
    # The donor's choices for this file: {"columns": {header: column}, "units": {header: unit},
    # "types": {value: type}, "confirm_warnings": bool}; headers and values are folded.
    choices = models.JSONField(_("choix du donateur"), default=dict, blank=True)
    # What the report and the mapping page show: the column plan and the first rows, the units read, the
    # types normalised or inferred, the values left to map.
    summary = models.JSONField(_("résumé"), default=dict, blank=True)
    total_rows = models.PositiveIntegerField(_("lignes"), default=0)
    valid_rows = models.PositiveIntegerField(_("lignes valides"), default=0)
    created_rows = models.PositiveIntegerField(_("appareils ajoutés"), default=0)
    updated_rows = models.PositiveIntegerField(_("appareils mis à jour"), default=0)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    created = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("import de manifeste")
        verbose_name_plural = _("imports de manifeste")
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100), name="importjob_progress_range"
            )
        ]

    def __str__(self):
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def finished(self):
        return self.state in (ImportState.DONE, ImportState.FAILED)

    @property
    def may_map(self):
        """The mapping page is offered for a finished import that read the header row."""
        return self.finished and bool(self.summary.get("plan"))

    @property
    def may_import_valid_rows(self):
        """The donor's second choice, offered only after a report listing row errors (not a broken file)."""
        return (
            self.state == ImportState.FAILED
            and self.mode == ImportMode.ALL_OR_NOTHING
            and not self.message
            and self.valid_rows > 0
        )


class HeaderAlias(models.Model):
    """A header staff taught the manifest reader, on top of the declared table (donations.exports.aliases)."""

    field = models.CharField(_("colonne du manifeste"), max_length=20, choices=ManifestColumn.choices)
    alias = models.CharField(
        _("en-tête"),
        max_length=120,
        help_text=_("Tel qu’il apparaît dans l’export (accents, majuscules et ponctuation ne comptent pas)."),
    )
    key = models.CharField(_("clé de comparaison"), max_length=120, unique=True, editable=False)
    note = models.CharField(_("outil ou remarque"), max_length=200, blank=True)
    created = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("alias d’en-tête")
        verbose_name_plural = _("alias d’en-têtes")
        ordering = ["field", "alias"]

    def __str__(self):
        return f"{self.alias} → {self.get_field_display()}"

    def save(self, *args, **kwargs):
        from donations.exports.aliases import fold

        self.key = fold(self.alias)
        super().save(*args, **kwargs)


class OrganisationAnswer(models.Model):
    """An organisation's answer on the mapping page, applied to its next files without asking again."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    # The header or the value, folded (donations.exports.aliases.fold); "" for rows without a type.
    key = models.CharField(_("clé de comparaison"), max_length=120, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("modifié par"), on_delete=models.PROTECT, related_name="+"
    )
    updated = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class ColumnChoice(OrganisationAnswer):
    """What one header of the organisation's exports holds."""

    header = models.CharField(_("en-tête"), max_length=200)
    # "" means the organisation said the column is not to be read.
    field = models.CharField(
        _("colonne du manifeste"), max_length=20, choices=ManifestColumn.choices, blank=True
    )
    unit = models.CharField(_("unité"), max_length=2, choices=SizeUnit.choices, blank=True)

    class Meta:
        verbose_name = _("correspondance de colonne")
        verbose_name_plural = _("correspondances de colonnes")
        ordering = ["organisation", "header"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="columnchoice_unique_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.header} → {self.field or '—'}"


class TypeChoice(OrganisationAnswer):
    """Which device type one value of the organisation's exports means ("" for rows without a type)."""

    value = models.CharField(_("valeur"), max_length=200, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=DeviceType.choices)

    class Meta:
        verbose_name = _("correspondance de type")
        verbose_name_plural = _("correspondances de types")
        ordering = ["organisation", "value"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="typechoice_unique_per_organisation")
        ]

    def __str__(self):
        return f"{self.value or '—'} → {self.type}"


class ErasureCertificate(models.Model):
    """A frozen copy of a lot's erasure records, identified by a code printed with a QR on every page.

    `content` is what the PDF lists; `content_hash` (SHA-256 of its canonical JSON) lets anyone confirm on
    the public verification page that a printed certificate matches what Rebond issued.
    """

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(_("code de vérification"), max_length=20, unique=True)
    content = models.JSONField()
    content_hash = models.CharField(_("empreinte SHA-256"), max_length=64, db_index=True)
    media_count = models.PositiveIntegerField(default=0)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certificat d’effacement")
        verbose_name_plural = _("certificats d’effacement")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return self.code


class TaxReceipt(models.Model):
    """A cerfa 16216 receipt for a gift in kind, issued in the name of the receiving workshop."""

    lot = models.OneToOneField(Lot, on_delete=models.PROTECT, related_name="tax_receipt")
    number = models.CharField(_("numéro d’ordre"), max_length=30, unique=True)
    amount_cents = models.PositiveIntegerField(_("montant (centimes)"))
    donor_legal_form = models.CharField(_("forme juridique du donateur"), max_length=80)
    content = models.JSONField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reçu fiscal")
        verbose_name_plural = _("reçus fiscaux")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="taxreceipt_amount_positive")
        ]

    def __str__(self):
        return self.number


class ReceiptValueCap(models.Model):
    """The most a tax receipt values one received device of a type at, whatever the donor declared.

    The receipt values a gift in kind at its net book value (the donor's accounts), which for IT equipment
    depreciated over three to five years is usually close to zero. A declared value above what such a device
    could plausibly be worth is a typing error (cents typed as euros, a purchase price, a whole line's value on
    each device) or an attempt to inflate a tax reduction. The cap is a ceiling, not a valuation: a receipt
    counts each device at the lower of its declared value and its type's cap, and a declared value above the cap
    is shown to staff before the receipt is issued. Staff edit the caps in the admin (Settings > Plafonds des
    reçus fiscaux); the first values come from migration 0006 with their reasoning.
    """

    device_type = models.CharField(
        _("type d’appareil"), max_length=20, choices=DeviceType.choices, unique=True
    )
    cap_cents = CentsField(_("valeur plausible maximale (€)"), validators=bounds.BOOK_VALUE_CENTS.validators)
    reasoning = models.TextField(_("source ou raisonnement"), blank=True)
    updated = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("plafond de reçu fiscal")
        verbose_name_plural = _("plafonds des reçus fiscaux")
        ordering = ["device_type"]
        constraints = bounds.constraints("receiptvaluecap", {"cap_cents": bounds.BOOK_VALUE_CENTS})

    def __str__(self):
        return f"{self.get_device_type_display()} : {format_euros(self.cap_cents)}"


class TaxReceiptReview(models.Model):
    """A receipt asked for a lot whose declared values exceed the caps: staff look before it is issued."""

    lot = models.OneToOneField(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="receipt_review"
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=ReceiptReviewStatus.choices, default=ReceiptReviewStatus.PENDING
    )
    donor_legal_form = models.CharField(_("forme juridique du donateur"), max_length=80)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("demandé par"), on_delete=models.PROTECT, related_name="+"
    )
    # The valuation when the receipt was asked for: each received device, declared, cap, value, outlier.
    valuation = models.JSONField(_("valorisation"), default=dict)
    declared_cents = models.PositiveBigIntegerField(_("valeur déclarée des appareils reçus (centimes)"))
    valued_cents = models.PositiveBigIntegerField(_("valeur retenue (centimes)"))
    outliers = models.PositiveIntegerField(_("valeurs au-dessus du plafond"))
    created = models.DateTimeField(_("demandé le"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vérifié par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)

    class Meta:
        verbose_name = _("reçu fiscal à vérifier")
        verbose_name_plural = _("reçus fiscaux à vérifier")
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="pending", reviewed_by__isnull=True)
                | models.Q(status="approved", reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="receipt_review_approved_by_someone",
            )
        ]

    def __str__(self):
        return f"{self.lot} ({self.get_status_display()})"
