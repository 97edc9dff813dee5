"""Money on a claim: payments (a local row before Stripe is called), refunds, the append-only ledger and the
Stripe events applied once."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reuse.claims.enums import (
    OPEN_REFUND_STATUSES,
    ClaimStatus,
    HandRefundMethod,
    LedgerKind,
    PaymentMethod,
    PaymentStatus,
    RefundStatus,
)
from reuse.claims.models.claims import Claim
from reuse.fields import optional_link
from reuse.journal import AppendOnlyModel
from reuse.money import CentsField, SignedCentsField, format_euros


class Payment(models.Model):
    """One attempt to collect money for a claim, written before Stripe is called (django-oscar's Source)."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("demande"), on_delete=models.PROTECT, related_name="payments"
    )
    method = models.CharField(_("moyen"), max_length=10, choices=PaymentMethod.choices)
    amount_cents = CentsField(_("montant (€)"))
    status = models.CharField(
        _("statut"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.CREATED
    )
    idempotency_key = models.CharField(_("clé d’idempotence"), max_length=64, unique=True)
    stripe_payment_intent = models.CharField(
        _("paiement Stripe"), max_length=64, unique=True, null=True, blank=True
    )
    client_secret = models.CharField(_("secret client"), max_length=128, blank=True)
    failure_message = models.CharField(_("motif du refus"), max_length=255, blank=True)
    recorded_by = optional_link(_("enregistré par"))
    created = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.get_method_display()} {format_euros(self.amount_cents)} ({self.get_status_display()})"

    def owed_another_way_cents(self) -> int:
        """What of this payment the team owes the household another way than a card refund, the one rule the claim
        page, the admin and the by-hand record read: what refunds Stripe reported failed or canceled, or requests
        Stripe never took and left to staff (`gave_nothing`), did not give back, less what staff gave back by hand
        (the ledger), and never more than Rebond still keeps of the payment by the ledger (a lost dispute or a
        refund from the Stripe Dashboard since: money back with the card holder is not owed twice). Rebond gives a
        payment back in whole (its claim cancelled or expired, or a request of Rebond's made for it): then what it
        keeps, less what it still asks Stripe for, is the bound. Otherwise staff gave part of it back from the
        Dashboard, and one of their refunds that went through after one that failed gave that one back (recorded in
        that order)."""
        rows = [
            (gave_nothing(status, stripe_refund), status, cents, outside)
            for status, cents, outside, stripe_refund in self.refunds.order_by("pk").values_list(
                "status", "amount_cents", "made_in_dashboard", "stripe_refund"
            )
        ]
        kept = self.ledger_entries.aggregate(total=models.Sum("amount_cents"))["total"] or 0
        if self.claim.status in (ClaimStatus.CANCELLED, ClaimStatus.EXPIRED) or any(
            not outside for *_row, outside in rows
        ):
            asked = sum(
                cents
                for nothing, status, cents, _out in rows
                if status in OPEN_REFUND_STATUSES and not nothing
            )
            not_received = sum(cents for nothing, _status, cents, _out in rows if nothing)
            return max(min(not_received - self.given_back_by_hand_cents(), kept - asked), 0)
        not_received = 0
        for nothing, status, cents, _outside in rows:
            if nothing:
                not_received += cents
            elif status == RefundStatus.SUCCEEDED:
                not_received = max(not_received - cents, 0)
        return max(min(not_received - self.given_back_by_hand_cents(), kept), 0)

    def given_back_by_hand_cents(self) -> int:
        return self.ledger_out_cents(LedgerKind.GIVEN_BACK_BY_HAND)

    def ledger_out_cents(self, kind: str) -> int:
        """What the ledger's `kind` lines of this payment say left Rebond (they are written negative)."""
        lines = self.ledger_entries.filter(kind=kind)
        return -(lines.aggregate(total=models.Sum("amount_cents"))["total"] or 0)


def gave_nothing(status: str, stripe_refund: str | None) -> bool:
    """Whether a refund row stands for money its card will not get back, owed by the team another way: Stripe
    reported it failed or canceled, or it is Rebond's request Stripe never took, left to staff (NEEDS_STAFF). One
    Stripe holds pending is not: Stripe may still pay it, so staff cancel it at Stripe first."""
    return status == RefundStatus.NOT_RECEIVED or (status == RefundStatus.NEEDS_STAFF and not stripe_refund)


class LedgerEntry(AppendOnlyModel):
    """Every movement of money or value on a claim, never edited: the audit trail behind the statuses."""

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="ledger", verbose_name=_("demande")
    )
    payment = optional_link(_("paiement"), to=Payment, related_name="ledger_entries")
    kind = models.CharField(_("nature"), max_length=20, choices=LedgerKind.choices)
    # Signed: money out of Rebond is negative.
    amount_cents = SignedCentsField(_("montant (€)"))
    reference = models.CharField(_("référence"), max_length=100, blank=True)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("écriture")
        verbose_name_plural = _("journal des paiements")

    def __str__(self):
        return f"{self.claim_id} {self.kind} {self.amount_cents}"

    @classmethod
    def log(cls, *, claim, kind, amount_cents, payment=None, reference=""):
        return cls.objects.create(
            claim=claim, payment=payment, kind=kind, amount_cents=amount_cents, reference=reference
        )


class Refund(models.Model):
    """One refund at Stripe (or handed back at the counter), asked by Rebond or made in the Stripe Dashboard."""

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("paiement")
    )
    # Shown to staff in euros (the admin's listing and page of a refund), stored in cents.
    amount_cents = CentsField(_("montant (€)"))
    stripe_refund = models.CharField(
        _("remboursement Stripe"), max_length=64, unique=True, null=True, blank=True
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    # Stripe's reason when it reports the refund failed (lost_or_stolen_card, expired_or_canceled_card, unknown…).
    failure_reason = models.CharField(_("motif de l’échec"), max_length=64, blank=True)
    requested_by = optional_link(_("demandé par"))
    # Made by staff in the Stripe Dashboard, not asked by Rebond: after a refund Stripe failed, it gives back what
    # the team owed another way (Payment.owed_another_way_cents).
    made_in_dashboard = models.BooleanField(_("fait depuis Stripe"), default=False)
    # Times Rebond asked Stripe for it without Stripe taking it (unreachable, or refused): bounded, then staff's.
    attempts = models.PositiveSmallIntegerField(_("demandes à Stripe sans suite"), default=0)
    created = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("remboursement")
        verbose_name_plural = _("remboursements")
        # A payment may be refunded in several parts (staff in the Stripe Dashboard, then Rebond for the rest), but
        # only one refund of it is under way at a time: two cancellations never ask Stripe twice.
        constraints = [
            models.UniqueConstraint(
                fields=["payment"],
                condition=models.Q(status__in=[s.value for s in OPEN_REFUND_STATUSES]),
                name="one_open_refund_per_payment",
            )
        ]

    def __str__(self):
        return f"{self.payment_id} −{format_euros(self.amount_cents)}"


class HandRefund(AppendOnlyModel):
    """Money staff gave back to a household another way than a card refund (one Stripe reported failed): who,
    how, how much and the proof's reference, written once with its ledger line; `created` is when."""

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="hand_refunds", verbose_name=_("paiement")
    )
    amount_cents = CentsField(_("montant (€)"))
    method = models.CharField(_("moyen"), max_length=10, choices=HandRefundMethod.choices)
    reference = models.CharField(_("référence (virement, reçu)"), max_length=100)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("rendu par")
    )

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("remboursement rendu autrement")
        verbose_name_plural = _("remboursements rendus autrement")

    def __str__(self):
        return f"{self.payment_id} −{format_euros(self.amount_cents)} ({self.get_method_display()})"


# How long Stripe sends an event again while Rebond does not acknowledge it (live mode: up to three days).
STRIPE_RETRY_DAYS = 3


class StripeEventQuerySet(models.QuerySet):
    def not_applied(self):
        return self.filter(processed_at__isnull=True)

    def given_up(self):
        """Not applied, and Stripe no longer sends them again: only staff apply them now."""
        cutoff = timezone.now() - timedelta(days=STRIPE_RETRY_DAYS)
        return self.not_applied().filter(received_at__lt=cutoff)


class StripeEvent(models.Model):
    """Every webhook event, stored by its id: applied once whatever the order and however often it comes. One that
    could not be applied keeps how many times that failed and the last error, for staff (who apply it again)."""

    event_id = models.CharField(_("événement Stripe"), max_length=64, unique=True)
    type = models.CharField(_("type"), max_length=64)
    payload = models.JSONField(_("contenu envoyé par Stripe"))
    received_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    processed_at = models.DateTimeField(_("appliqué le"), null=True, blank=True)
    outcome = models.CharField(_("résultat"), max_length=255, blank=True)
    attempts = models.PositiveIntegerField(_("échecs"), default=0)
    last_error = models.CharField(_("dernière erreur"), max_length=255, blank=True)

    objects = StripeEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement Stripe")
        verbose_name_plural = _("événements Stripe")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.event_id} {self.type}"
