"""What the platform writes in a claim's journal (and in its device's) beside a move: codes with parameters
(reuse.errors.Text), written out in the reader's language. Amounts are kept in cents, ways by their code, never a
person's name (a journal outlives the account it is about)."""

from django.utils.translation import gettext_lazy as _

from reuse.claims.enums import HandRefundMethod
from reuse.errors import Text
from reuse.money import format_euros

# Moves of the claim.
CHOSE_WORKSHOP = Text("journal_claim_pay_at_workshop", _("Paiement à l’atelier"))
CHOSE_ONLINE = Text("journal_claim_pay_online", _("Paiement en ligne (carte ou chèque numérique)"))
CANCELLED = Text("journal_claim_cancelled", _("Annulée."))
LAPSED = Text("journal_claim_lapsed", _("Délai de réservation dépassé."))
FROM_WAITLIST = Text("journal_claim_from_waitlist", _("Proposé depuis la liste d’attente."))
PAID_AT_WORKSHOP = Text("journal_claim_paid_at_workshop", _("Payé à l’atelier."))
NOTHING_TO_PAY = Text("journal_claim_nothing_to_pay", _("Rien à payer."))
PAID_BY_VOUCHER = Text("journal_claim_paid_by_voucher", _("Payé en entier par chèque numérique."))
PAID_BY_CARD = Text("journal_claim_paid_by_card", _("Paiement par carte reçu."))
SWAPPED_FREE = Text("journal_claim_swap_free", _("Échange sous garantie : rien à payer."))
REPLACES = Text(
    "journal_claim_replaces", _("Remplace la demande #%(claim)s (ticket de garantie n° %(ticket)s)")
)
# The device's journal, of a claim.
DEVICE_CLAIMED = Text("journal_device_claimed", _("Demande #%(claim)s"))
DEVICE_HANDED_OVER = Text("journal_device_handed_over", _("Remis (demande #%(claim)s)"))
DEVICE_CLAIM_CANCELLED = Text("journal_device_claim_cancelled", _("Demande #%(claim)s annulée"))
DEVICE_CLAIM_LAPSED = Text("journal_device_claim_lapsed", _("Demande #%(claim)s expirée"))
DEVICE_SWAP = Text(
    "journal_device_swap", _("Échange sous garantie, ticket n° %(ticket)s (demande #%(claim)s)")
)
# Money.
# The reference staff typed follows as their words (it may name someone: emptied at account closure).
GIVEN_BACK_BY_HAND = Text(
    "journal_claim_given_back_by_hand",
    _("%(amount)s rendus autrement (%(how)s) : restent %(rest)s. Référence :"),
    amount=format_euros,
    rest=format_euros,
    how=dict(HandRefundMethod.choices),
)
OTHER_AMOUNT = Text(
    "journal_claim_other_amount",
    _(
        "Paiement par carte reçu pour un autre montant ou une autre devise que ceux demandés (%(taken)s centimes en %(currency)s"
        " au lieu de %(asked)s) : la demande n’est pas confirmée et la somme prise est remboursée."
    ),
    asked=format_euros,
)
OTHER_CURRENCY = Text(
    "journal_claim_other_currency",
    _(
        "Paiement par carte reçu dans une autre devise que l’euro (%(taken)s centimes en %(currency)s) : il ne"
        " compte pas dans les comptes de Rebond ; à rembourser depuis Stripe par l’équipe."
    ),
)
DISPUTE_LOST = Text(
    "journal_claim_dispute_lost",
    _(
        "Litige perdu : la banque du titulaire de la carte lui a rendu %(amount)s. Rebond ne le rembourse pas"
        " une seconde fois ; à vérifier avec le foyer."
    ),
    amount=format_euros,
)
REFUND_DISPUTED = Text(
    "journal_claim_refund_disputed",
    _("Remboursement de %(amount)s en attente : la banque du titulaire de la carte conteste le paiement."),
    amount=format_euros,
)
# `error` is what Stripe answered, as it came (for the team).
REFUND_LEFT_TO_STAFF = Text(
    "journal_claim_refund_left_to_staff",
    _(
        "Remboursement de %(amount)s demandé %(attempts)s fois sans que Stripe le fasse (%(error)s) : à faire"
        " depuis Stripe par l’équipe, ou à rendre autrement (virement, espèces) puis à enregistrer ici."
    ),
    amount=format_euros,
)
UNKNOWN_REASON = Text("journal_claim_unknown_reason", _("motif inconnu"))
# `reason` is Stripe's code of the failure, or UNKNOWN_REASON.
REFUND_NOT_RECEIVED = Text(
    "journal_claim_refund_not_received",
    _("Remboursement de %(amount)s non parvenu au foyer (%(reason)s) : à lui rendre autrement."),
    amount=format_euros,
)
REFUND_PARTIAL = Text(
    "journal_claim_refund_partial",
    _("Remboursement fait depuis Stripe de %(made)s au lieu de %(asked)s : le reste (%(rest)s) est demandé."),
    made=format_euros,
    asked=format_euros,
    rest=format_euros,
)
REFUNDED_TWICE = Text(
    "journal_claim_refunded_twice",
    _(
        "Le remboursement de %(amount)s rendu autrement est aussi passé chez Stripe : le foyer l’a reçu deux"
        " fois, à régler avec lui."
    ),
    amount=format_euros,
)
REFUNDED_AFTER_HANDOVER = Text(
    "journal_claim_refunded_after_handover",
    _("Paiement remboursé en entier depuis Stripe après la remise : à vérifier."),
)
