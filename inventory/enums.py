from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceType(models.TextChoices):
    LAPTOP = "laptop", _("Ordinateur portable")
    DESKTOP = "desktop", _("Ordinateur fixe")
    TABLET = "tablet", _("Tablette")
    SMARTPHONE = "smartphone", _("Smartphone")
    MONITOR = "monitor", _("Écran")
    OTHER = "other", _("Autre")


# Types that hold user data: never listed without a verified erasure of every medium.
DATA_BEARING_TYPES = frozenset(
    {DeviceType.LAPTOP, DeviceType.DESKTOP, DeviceType.TABLET, DeviceType.SMARTPHONE}
)

# Types whose only storage is soldered in (eMMC, UFS): no tool reads a drive serial, and the erasure (a factory
# reset of an encrypted device: a cryptographic erase, NIST SP 800-88 Rev. 1 appendix A, mobile devices) is that of
# the device itself, named by its own serial.
BUILT_IN_STORAGE_TYPES = frozenset({DeviceType.TABLET, DeviceType.SMARTPHONE})


class DeviceState(models.TextChoices):
    RECEIVED = "received", _("Reçu")
    IN_REPAIR = "in_repair", _("En réparation")
    READY = "ready", _("Prêt")
    LISTED = "listed", _("En ligne")
    RESERVED = "reserved", _("Réservé")
    HANDED_OVER = "handed_over", _("Remis")
    RECYCLED = "recycled", _("Recyclé")
    PARTS = "parts", _("Pièces détachées")


# The states in which a device counts as reused in every figure (impact, per-serial outcome, territories): in the
# hands of a household or an association now. One back on the bench under warranty, given back, recycled or kept
# for parts is not; a device handed over again later counts once, through whoever holds it then.
REUSED_STATES = (DeviceState.HANDED_OVER,)


class Grade(models.TextChoices):
    A = "A", _("A : comme neuf, aucune trace visible")
    B = "B", _("B : traces légères d’usage, tout fonctionne")
    C = "C", _("C : traces visibles d’usage, tout fonctionne")


class ErasureMethod(models.TextChoices):
    CLEAR = "clear", _("Effacement logique (clear)")
    PURGE = "purge", _("Purge (purge)")
    DESTROY = "destroy", _("Destruction (destroy)")


class StorageMedium(models.TextChoices):
    HDD = "hdd", _("Disque dur (HDD)")
    SSD = "ssd", _("SSD SATA")
    NVME = "nvme", _("SSD NVMe")
    EMMC = "emmc", _("Mémoire flash intégrée (eMMC, UFS)")
    OTHER = "other", _("Autre support")


class LegalStatus(models.TextChoices):
    """A workshop's legal status as staff recorded it: what the tax receipt's « type » line says, and whether it
    may issue one at all (RECEIPT_BOXES)."""

    ASSOCIATION_RUP = "association_rup", _("Association reconnue d’utilité publique")
    FONDATION_RUP = "fondation_rup", _("Fondation reconnue d’utilité publique")
    FONDATION_ENTREPRISE = "fondation_entreprise", _("Fondation d’entreprise")
    ASSOCIATION_IG = "association_ig", _("Association loi 1901 d’intérêt général")
    ORGANISME_IG = "organisme_ig", _("Autre organisme d’intérêt général")
    INSERTION = "insertion", _("Structure d’insertion par l’activité économique")
    ENTREPRISE_ADAPTEE = "entreprise_adaptee", _("Entreprise adaptée")
    ASSOCIATION = "association", _("Association loi 1901 dont l’intérêt général n’est pas établi")
    SCIC = "scic", _("Société coopérative d’intérêt collectif (SCIC)")
    ESS_COMPANY = "ess_company", _("Autre entreprise de l’ESS (SCOP, société agréée ESUS…)")
    OTHER = "other", _("Autre statut")


# The box of cerfa 16216*02 (« Bénéficiaire ») each status ticks, in the cerfa's words; a status absent from this
# table may not issue a receipt (CGI art. 238 bis: a commercial company, a SCIC included, or an association whose
# general interest is not established), whatever box the workshop ticked at sign-up.
RECEIPT_BOXES = {
    LegalStatus.ASSOCIATION_RUP: _("Association ou fondation reconnue d’utilité publique"),
    LegalStatus.FONDATION_RUP: _("Association ou fondation reconnue d’utilité publique"),
    LegalStatus.FONDATION_ENTREPRISE: _("Fondation d’entreprise"),
    LegalStatus.ASSOCIATION_IG: _("Œuvre ou organisme d’intérêt général"),
    LegalStatus.ORGANISME_IG: _("Œuvre ou organisme d’intérêt général"),
    LegalStatus.INSERTION: _(
        "Entreprise d’insertion, entreprise de travail temporaire d’insertion, association intermédiaire ou atelier "
        "et chantier d’insertion (articles L5132-5, L5132-6, L5132-7 et L5132-15 du code du travail)"
    ),
    LegalStatus.ENTREPRISE_ADAPTEE: _("Entreprise adaptée (article L5213-13 du code du travail)"),
}
