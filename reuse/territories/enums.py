from django.db import models
from django.utils.translation import gettext_lazy as _


class TerritoryKind(models.TextChoices):
    QPV = "qpv", _("Quartier prioritaire de la politique de la ville (QPV)")
    RURAL = "rural", _("Zone rurale à revitaliser (FRR, anciennement ZRR)")
    OVERSEAS = "overseas", _("Département d’outre-mer")


class TerritorySource(models.TextChoices):
    ADDRESS = "address", _("Adresse (listes publiques)")
    ATTESTATION = "attestation", _("Attestation d’un prescripteur")
