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
