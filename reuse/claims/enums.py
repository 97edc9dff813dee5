from django.db import models
from django.utils.translation import gettext_lazy as _


class ClaimStatus(models.TextChoices):
    """The claim lifecycle of PRODUCT.md. A place in a waitlist is a WaitlistEntry; an offer creates a claim."""

    WAITLISTED = "waitlisted", _("En liste d’attente")
    RESERVED = "reserved", _("Réservé")
    CONFIRMED = "confirmed", _("Confirmé")
    HANDED_OVER = "handed_over", _("Remis")
    CANCELLED = "cancelled", _("Annulé")
    EXPIRED = "expired", _("Expiré")
    # The device came back under warranty (swapped or refunded): the household no longer holds it.
    RETURNED = "returned", _("Rendu sous garantie")


# A device held by one of these claims is not free for anyone else (one per device, enforced in the database).
ACTIVE_CLAIM_STATUSES = (ClaimStatus.RESERVED, ClaimStatus.CONFIRMED, ClaimStatus.HANDED_OVER)
# A claim under way, before its handover: it holds its device, and its claimant or staff may still cancel it.
OPEN_CLAIM_STATUSES = (ClaimStatus.RESERVED, ClaimStatus.CONFIRMED)


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Carte bancaire (en ligne)")
    WORKSHOP = "workshop", _("À l’atelier (espèces ou carte)")


class PaymentStatus(models.TextChoices):
    CREATED = "created", _("Créé")
    PENDING = "pending", _("En attente de la banque")
    SUCCEEDED = "succeeded", _("Payé")
    FAILED = "failed", _("Refusé")
    CANCELLED = "cancelled", _("Abandonné")
    REFUNDED = "refunded", _("Remboursé")


class LedgerKind(models.TextChoices):
    VOUCHER_REDEEMED = "voucher_redeemed", _("Chèque numérique utilisé")
    VOUCHER_RELEASED = "voucher_released", _("Chèque numérique libéré")
    CARD_CAPTURED = "card_captured", _("Paiement par carte reçu")
    CARD_FAILED = "card_failed", _("Paiement par carte refusé")
    WORKSHOP_COLLECTED = "workshop_collected", _("Encaissé à l’atelier")
    REFUNDED = "refunded", _("Remboursement")


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Demandé")
    SUCCEEDED = "succeeded", _("Remboursé")
    FAILED = "failed", _("Échec")


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("En attente")
    OFFERED = "offered", _("Appareil proposé")
    FULFILLED = "fulfilled", _("Servi")
    LAPSED = "lapsed", _("Proposition expirée")
    CANCELLED = "cancelled", _("Retiré")
