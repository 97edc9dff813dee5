from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    DONOR = "donor", _("Donateur (entreprise, organisme public)")
    WORKSHOP = "workshop", _("Atelier de reconditionnement")
    ASSOCIATION = "association", _("Association ou structure de l’ESS")
    REFERRER = "referrer", _("Prescripteur (CCAS, France Services, travail social)")
    HUB = "hub", _("Opérateur de la plateforme")


class OrganisationStatus(models.TextChoices):
    PENDING = "pending", _("En attente de vérification")
    APPROVED = "approved", _("Vérifiée")
    SUSPENDED = "suspended", _("Suspendue")


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Administrateur")
    MEMBER = "member", _("Membre")


class Role(models.TextChoices):
    """What a signed-in person comes to do; decides the landing page."""

    STAFF = "staff", _("Équipe Rebond")
    DONOR = "donor", _("Donateur")
    WORKSHOP = "workshop", _("Atelier")
    ASSOCIATION = "association", _("Association")
    REFERRER = "referrer", _("Prescripteur")
    HOUSEHOLD = "household", _("Foyer")


class NotificationState(models.TextChoices):
    PENDING = "pending", _("À envoyer")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec, nouvel essai prévu")
    GAVE_UP = "gave_up", _("Abandonné après trop d’échecs")
