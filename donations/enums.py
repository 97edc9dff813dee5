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
