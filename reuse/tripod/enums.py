from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferKind(models.TextChoices):
    HOME_INTERNET = "home_internet", _("Internet à la maison (box)")
    MOBILE_PLAN = "mobile_plan", _("Forfait mobile")
    PREPAID_DATA = "prepaid_data", _("Carte SIM ou recharge de données offerte par une association")


class Subscribed(models.TextChoices):
    """What the household (or its referrer) declares about an offer it was oriented to."""

    UNKNOWN = "unknown", _("Pas encore dit")
    YES = "yes", _("Oui, abonnement pris")
    NO = "no", _("Non")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Réservée")
    ATTENDED = "attended", _("Venue")
    ABSENT = "absent", _("Absente")
    CANCELLED = "cancelled", _("Annulée")


ACTIVE_BOOKING_STATUSES = (BookingStatus.BOOKED, BookingStatus.ATTENDED, BookingStatus.ABSENT)


class ChecklistItem(models.TextChoices):
    """What the technician goes through with the household at the counter (codes fixed, labels translated)."""

    DEVICE_STARTS = "device_starts", _("L’appareil démarre et la personne sait l’allumer et l’éteindre")
    ACCOUNTS = "accounts", _("Comptes créés ou gardés avec la personne (identifiants notés par elle seule)")
    UPDATES = "updates", _("Mises à jour faites, et la personne sait les accepter")
    SAFETY = "safety", _("Sécurité de base : mot de passe, arnaques courantes, antivirus intégré")
    HELP = "help", _("Où trouver de l’aide : lieux de médiation proches, séance de prise en main, atelier")


class ImportSource(models.TextChoices):
    COMMAND = "command", _("Commande")
    UPLOAD = "upload", _("Dépôt dans l’administration")
    SCHEDULED = "scheduled", _("Mise à jour programmée")
