from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    """The warranty ticket lifecycle: opened, then one way out (a repair passes through "in repair")."""

    OPEN = "open", _("Ouvert")
    IN_REPAIR = "in_repair", _("En réparation")
    ADVISED = "advised", _("Conseil donné")
    REPAIRED = "repaired", _("Réparé et rendu")
    SWAPPED = "swapped", _("Échangé")
    REFUNDED = "refunded", _("Remboursé")


OPEN_TICKET_STATUSES = (TicketStatus.OPEN, TicketStatus.IN_REPAIR)


class TicketChannel(models.TextChoices):
    HOUSEHOLD = "household", _("Par le foyer, dans son espace")
    REFERRER = "referrer", _("Par son prescripteur, sous mandat")
    WORKSHOP = "workshop", _("Par l’atelier, avec le code de remise")
    CODE = "code", _("Avec le numéro du reçu et le code de remise")
    FOLLOW_UP = "follow_up", _("Depuis le questionnaire à 3 mois")


class ReturnedTo(models.TextChoices):
    """Where a device that came back goes: repaired for the stock, or out for good."""

    STOCK = "in_repair", _("Retour en stock (à remettre en état et effacer)")
    PARTS = "parts", _("Pièces détachées")
    RECYCLED = "recycled", _("Recyclage (filière DEEE)")


class Usage(models.TextChoices):
    DAILY = "daily", _("Oui, presque tous les jours")
    SOMETIMES = "sometimes", _("Oui, de temps en temps")
    NOT_USED = "not_used", _("Non, presque jamais ou jamais")


class UsePurpose(models.TextChoices):
    PAPERWORK = "paperwork", _("Démarches administratives")
    SCHOOL = "school", _("École ou formation")
    JOB = "job", _("Recherche d’emploi ou travail")
    FAMILY = "family", _("Garder le lien avec la famille et les proches")
    HEALTH = "health", _("Santé (rendez-vous, remboursements)")
    LEISURE = "leisure", _("Loisirs, information")


class FollowUpChannel(models.TextChoices):
    EMAIL = "email", _("Lien reçu par e-mail")
    CODE = "code", _("Code imprimé sur le reçu")
    REFERRER = "referrer", _("Avec le prescripteur")
    HOUSEHOLD = "household", _("Dans l’espace du foyer")
