from django.db import models
from django.utils.translation import gettext_lazy as _


class LotStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Soumis")
    ACCEPTED = "accepted", _("Accepté par un atelier")
    COLLECTED = "collected", _("Collecté")
    RECEIVED = "received", _("Reçu à l’atelier")
    CLOSED = "closed", _("Clôturé")
    REJECTED = "rejected", _("Refusé")
    CANCELLED = "cancelled", _("Annulé")


class ImportState(models.TextChoices):
    PENDING = "pending", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")


class ImportMode(models.TextChoices):
    # All-or-nothing unless the donor, having seen the report, asks for the valid rows only.
    ALL_OR_NOTHING = "all", _("Tout ou rien")
    VALID_ROWS = "valid", _("Lignes valides seulement")


class OutcomeKind(models.TextChoices):
    PENDING = "pending", _("En cours de traitement")
    REUSED = "reused", _("Réemployé")
    RECYCLED = "recycled", _("Recyclé")
    PARTS = "parts", _("Pièces détachées")


class ManifestColumn(models.TextChoices):
    """What a column of a donor's export holds; the manifest reads these and ignores the others."""

    SERIAL = "serial", _("Numéro de série")
    BRAND = "brand", _("Marque")
    MODEL = "model", _("Modèle")
    TYPE = "type", _("Type d’appareil")
    RAM = "ram_gb", _("Mémoire vive")
    STORAGE = "storage_gb", _("Stockage")
    PURCHASE_DATE = "purchase_date", _("Date d’achat")
    YEAR = "year", _("Année d’achat")
    NET_BOOK_VALUE = "net_book_value", _("Valeur nette comptable")
    ASSET_TAG = "asset_tag", _("Numéro d’inventaire")
    CPU = "cpu", _("Processeur")
    OS = "os", _("Système d’exploitation")
    CONDITION = "condition", _("État déclaré")
    QUANTITY = "quantity", _("Quantité")


class SizeUnit(models.TextChoices):
    """The unit of a memory or storage column, read from its header, its values or the donor's choice."""

    BYTES = "b", _("octets")
    KB = "kb", _("Ko")
    MB = "mb", _("Mo")
    GB = "gb", _("Go")
    TB = "tb", _("To")


class ImportNeeds(models.TextChoices):
    """Why an import stopped before writing anything and waits for the donor."""

    NOTHING = "", _("Rien")
    COLUMNS = "columns", _("Correspondance des colonnes à confirmer")
    VALUES = "values", _("Valeurs à faire correspondre")
    WARNINGS = "warnings", _("Valeurs inhabituelles à confirmer")


class ReceiptReviewStatus(models.TextChoices):
    """A tax receipt whose declared values look implausible waits for staff before it is issued."""

    PENDING = "pending", _("À vérifier par l’équipe")
    APPROVED = "approved", _("Approuvé, reçu émis")
