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
    # A refund booked as given back that Stripe then reported failed or canceled: the money is Rebond's again.
    REFUND_NOT_RECEIVED = "refund_not_received", _("Remboursement non parvenu")
    # The card holder's bank took the money back from Rebond (a dispute Stripe closed as lost).
    DISPUTE_LOST = "dispute_lost", _("Litige perdu : rendu par la banque")
    # Money a refund Stripe reported failed did not give back, given back by staff another way (HandRefund).
    GIVEN_BACK_BY_HAND = "given_by_hand", _("Rendu autrement (virement, espèces)")


class HandRefundMethod(models.TextChoices):
    """How staff gave back money a card refund could not: the ways a workshop or the association pays someone."""

    TRANSFER = "transfer", _("Virement bancaire")
    CASH = "cash", _("Espèces au comptoir de l’atelier")
    CHEQUE = "cheque", _("Chèque")


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Demandé")
    SUCCEEDED = "succeeded", _("Remboursé")
    # Stripe could not be reached or refused the request: nothing exists at Stripe, the request is made again.
    FAILED = "failed", _("Échec")
    # Stripe took the refund, then reported it failed or canceled (a closed, lost or expired card, or cancelled by
    # someone): the household did not get the money, and asking the same card again would fail the same way.
    NOT_RECEIVED = "not_received", _("Non parvenu au foyer")
    # Rebond's request, not taken by Stripe, that another refund (staff in the Dashboard) made needless: the money
    # was given back without it. Never asked again; recorded as it ended if Stripe took it after all.
    WITHDRAWN = "withdrawn", _("Sans objet : rendu autrement")
    # Stripe refuses to refund a charge the card holder's bank disputes (`charge_disputed`): the request waits for
    # the dispute to close, then is asked for what the bank did not give back (nothing, when it gave all back).
    DISPUTED = "disputed", _("En attente : litige en cours")
    # Asked again a bounded number of times without Stripe taking it: staff refund it from the Stripe Dashboard
    # (the row is then needless) or find out why; never asked again by itself.
    NEEDS_STAFF = "needs_staff", _("À traiter par l’équipe")


# A refund row still to be asked or answered: at most one per payment (a constraint).
OPEN_REFUND_STATUSES = (
    RefundStatus.PENDING,
    RefundStatus.FAILED,
    RefundStatus.DISPUTED,
    RefundStatus.NEEDS_STAFF,
)
# The open rows Rebond asks Stripe for by itself (the others wait for a dispute to close, or for staff).
ASKABLE_REFUND_STATUSES = (RefundStatus.PENDING, RefundStatus.FAILED)


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("En attente")
    OFFERED = "offered", _("Appareil proposé")
    FULFILLED = "fulfilled", _("Servi")
    LAPSED = "lapsed", _("Proposition expirée")
    CANCELLED = "cancelled", _("Retiré")
