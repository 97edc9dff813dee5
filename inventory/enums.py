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
