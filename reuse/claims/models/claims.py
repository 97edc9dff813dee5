"""A claim, its history and the waiting list; the handover code the claimant shows at the counter."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from inventory.enums import REUSED_STATES
from inventory.models import Device
from reuse.accounts.models import Organisation
from reuse.claims.enums import ACTIVE_CLAIM_STATUSES, ClaimStatus, PaymentStatus, RefundStatus, WaitlistStatus
from reuse.eligibility.enums import PrioritySituation
from reuse.eligibility.models import EligibilityDecision
from reuse.fields import optional_link
from reuse.lifecycle import StatusChange, state_fields
from reuse.money import CentsField
from reuse.programmes.models import Programme

# How long a card refund Stripe took usually needs to reach the account (Stripe says 5 to 10 working days): the
# date the household is given, after which its page tells it to call.
CARD_REFUND_DAYS = timedelta(days=14)
# Refunds Rebond asks Stripe for and asks again by itself (the household waits for its card).
ASKED_OF_STRIPE = (RefundStatus.PENDING, RefundStatus.FAILED)

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read out over a counter or a phone cannot be misheard or misread.
HANDOVER_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
HANDOVER_CODE_LENGTH = 6


def new_handover_code(length: int = HANDOVER_CODE_LENGTH) -> str:
    """A random code in the alphabet that cannot be misheard (the follow-up's code is a longer one)."""
    return "".join(secrets.choice(HANDOVER_ALPHABET) for _ in range(length))


def normalise_handover_code(raw: str) -> str:
    """The code's letters and digits as typed (any case, spaces or dashes). Codes are ASCII: an accented letter, a
    superscript or an Arabic digit a phone keyboard gives is left out, and the code is then simply wrong."""
    return "".join(ch for ch in (raw or "").upper() if ch.isascii() and ch.isalnum())


class ClaimQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_CLAIM_STATUSES)

    def reserved(self):
        return self.filter(status=ClaimStatus.RESERVED)

    def holding(self):
        """The claims whose claimant holds their device now: handed over, the device still out of the workshop
        (inventory.enums.REUSED_STATES), one claim per reused device. A claim whose device came back under
        warranty (swapped or given back: « returned »), or is on the bench for a repair, does not hold one: a
        figure of reuse counted from claims counts each device once, as the impact report does."""
        return self.filter(status=ClaimStatus.HANDED_OVER, device__state__in=REUSED_STATES)

    def handover_locked(self):
        return self.filter(handover_locked_at__isnull=False)

    def overdue(self, at=None):
        return self.reserved().filter(expires_at__lte=at or timezone.now())

    def expiring_between(self, start, end):
        return self.reserved().filter(expires_at__gt=start, expires_at__lte=end)

    def waiting_on_claimant_first(self):
        """What the claimant (a referrer for 150 households, an association) must do now, first: a reservation
        to pay before it lapses, the soonest first; then a device ready to pick up, the oldest first; then the
        rest, newest first."""
        return self.alias(
            urgency=models.Case(
                models.When(status=ClaimStatus.RESERVED, then=0),
                models.When(status=ClaimStatus.CONFIRMED, then=1),
                default=2,
            ),
            waiting_since=models.Case(
                models.When(status=ClaimStatus.RESERVED, then="expires_at"),
                models.When(status=ClaimStatus.CONFIRMED, then="created"),
            ),
        ).order_by("urgency", models.F("waiting_since").asc(nulls_last=True), "-created", "-pk")


class Claim(models.Model):
    """One device asked for by one household (or association), possibly through a referrer."""

    device = models.ForeignKey(
        Device, verbose_name=_("appareil"), on_delete=models.PROTECT, related_name="claims"
    )
    beneficiary = optional_link(_("bénéficiaire"), related_name="claims")
    organisation = optional_link(_("association"), Organisation, related_name="claims")
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("demandé par")
    )
    referrer_organisation = optional_link(_("structure du prescripteur"), Organisation)
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="claims"
    )
    decision = models.ForeignKey(
        EligibilityDecision,
        verbose_name=_("décision d’éligibilité"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.RESERVED
    )
    department = models.CharField(_("département du bénéficiaire"), max_length=3)
    price_cents = CentsField(_("prix (€)"))
    voucher_cents = CentsField(_("chèque numérique (€)"), default=0)
    pay_at_workshop = models.BooleanField(_("paiement à l’atelier"), default=False)
    batch = models.CharField(_("demande groupée"), max_length=32, blank=True, db_index=True)
    handover_code = models.CharField(_("code de remise"), max_length=12, unique=True)
    # Wrong codes typed at the counter for this claim; at HANDOVER_MAX_FAILURES the claim is locked until staff
    # unlock it (reuse.claims.handover).
    handover_failures = models.PositiveSmallIntegerField(_("codes de remise erronés"), default=0)
    handover_locked_at = models.DateTimeField(_("remise bloquée le"), null=True, blank=True)
    handover_unlocked_at = models.DateTimeField(_("remise débloquée le"), null=True, blank=True)
    handover_unlocked_by = optional_link(_("remise débloquée par"))
    expires_at = models.DateTimeField(_("réservé jusqu’au"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("remis le"), null=True, blank=True)
    handed_over_by = optional_link(_("remis par"))
    created = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande")
        verbose_name_plural = _("demandes")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["status", "expires_at"])]
        constraints = [
            # The last line of defence against a double reservation: one live claim per device.
            models.UniqueConstraint(
                fields=["device"],
                condition=models.Q(status__in=[s.value for s in ACTIVE_CLAIM_STATUSES]),
                name="one_active_claim_per_device",
            ),
            models.CheckConstraint(
                condition=models.Q(beneficiary__isnull=False) | models.Q(organisation__isnull=False),
                name="claim_has_beneficiary",
            ),
            models.CheckConstraint(
                condition=models.Q(voucher_cents__lte=models.F("price_cents")),
                name="voucher_never_exceeds_price",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.device} → {self.beneficiary or self.organisation}"

    @property
    def amount_due_cents(self) -> int:
        """What is still to pay: only a reserved claim waits for money (cancelled, expired, paid: nothing)."""
        if self.status != ClaimStatus.RESERVED:
            return 0
        return max(self.price_cents - self.voucher_cents, 0)

    @cached_property
    def _refunds(self) -> list[tuple[str, int, object, str | None]]:
        """Each refund of the claim's payments as (status, cents, created, Stripe's id), read once for the page."""
        rows = self.payments.filter(refunds__isnull=False).values_list(
            "refunds__status", "refunds__amount_cents", "refunds__created", "refunds__stripe_refund"
        )
        return list(rows)

    def _refunds_cents(self, status: str) -> int:
        return sum(cents for refund_status, cents, *_rest in self._refunds if refund_status == status)

    @property
    def _card_refund_gave_nothing(self) -> bool:
        return any(
            status in (RefundStatus.NOT_RECEIVED, RefundStatus.NEEDS_STAFF)
            for status, *_rest in self._refunds
        )

    @property
    def refunds_waiting(self) -> list[dict]:
        """The money on its way back to the household, as its claim page says it, each with what happens next:
        `on_its_way` (asked of Stripe, or held there: on the card by `by`, `late` once that day passed),
        `disputed` (the card holder's bank disputes the payment: nothing moves until it ends), `team` (the card
        refund did not go through: the team gives it back another way)."""
        on_way = [
            (cents, created)
            for status, cents, created, stripe_refund in self._refunds
            if status in ASKED_OF_STRIPE or (status == RefundStatus.NEEDS_STAFF and stripe_refund)
        ]
        waiting = []
        if on_way:
            by = timezone.localdate(max(created for _cents, created in on_way)) + CARD_REFUND_DAYS
            cents = sum(cents for cents, _created in on_way)
            waiting.append(
                {"kind": "on_its_way", "cents": cents, "by": by, "late": timezone.localdate() > by}
            )
        disputed = self._refunds_cents(RefundStatus.DISPUTED)
        if disputed:
            waiting.append({"kind": "disputed", "cents": disputed})
        owed = self.owed_another_way_cents
        if owed:
            waiting.append({"kind": "team", "cents": owed})
        return waiting

    @property
    def refunded_cents(self) -> int:
        """What refunds gave back (not those still asked or that Stripe refused: the claim page says « Remboursé »)."""
        return self._refunds_cents(RefundStatus.SUCCEEDED)

    @property
    def owed_another_way_cents(self) -> int:
        """What card refunds could not give back and the team still owes another way (Payment's one rule). Only
        a refund Stripe reported not received, or one left to staff, opens that debt: without one, nothing more is
        read."""
        if not self._card_refund_gave_nothing:
            return 0
        return sum(payment.owed_another_way_cents() for payment in self.payments.all())

    @property
    def given_back_by_hand(self):
        """The money staff gave back another way (transfer, cash), as the household reads it on its claim page."""
        if not self._card_refund_gave_nothing:
            return []  # money is given back by hand only where a card refund did not arrive
        return [given for payment in self.payments.all() for given in payment.hand_refunds.order_by("pk")]

    @property
    def claimant_label(self) -> str:
        return str(self.beneficiary or self.organisation)

    @property
    def handover_code_display(self) -> str:
        code = self.handover_code
        return f"{code[:3]}-{code[3:]}" if len(code) == 6 else code

    @property
    def card_paid_cents(self) -> int:
        return sum(p.amount_cents for p in self.payments.all() if p.status == PaymentStatus.SUCCEEDED)

    @property
    def hold_ended(self) -> bool:
        """Reserved, and its hold has passed: the sweep frees the device within minutes, and nothing more is done
        on it meanwhile (no voucher, no card, no switch to the counter, no handover of a claim to pay there)."""
        return (
            self.status == ClaimStatus.RESERVED
            and self.expires_at is not None
            and self.expires_at <= timezone.now()
        )

    @property
    def code_is_usable(self) -> bool:
        """Paid (or nothing due), or to be paid at the counter until its hold ends: the hold is the time to come
        to the workshop, after which the code opens nothing (the counter refuses it, see handover)."""
        return self.status == ClaimStatus.CONFIRMED or (
            self.status == ClaimStatus.RESERVED and self.pay_at_workshop and not self.hold_ended
        )


class ClaimEvent(StatusChange):
    """The append-only history of a claim: who moved it, from what to what, and why."""

    SUBJECT = "claim"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="events")
    from_status, to_status = state_fields(ClaimStatus, 12)

    class Meta(StatusChange.Meta):
        verbose_name = _("événement de demande")
        verbose_name_plural = _("historique des demandes")


class WaitlistEntry(models.Model):
    """A household (or association) waiting for a kind of device near them, ordered by the programme's rule."""

    beneficiary = optional_link(related_name="waitlist_entries")
    organisation = optional_link(to=Organisation, related_name="waitlist_entries")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="waitlist_entries")
    department = models.CharField(_("département"), max_length=3)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    device_type = models.CharField(_("type d’appareil"), max_length=20)
    max_price_cents = CentsField(_("prix maximum (€)"), null=True, blank=True)
    # What the household declared when joining; the points come from its verified decision (score()).
    lives_in_qpv_zrr = models.BooleanField(_("habite en quartier prioritaire (QPV) ou zone rurale (ZRR)"))
    no_computer = models.BooleanField(_("aucun ordinateur au foyer"))
    children_at_school = models.BooleanField(_("enfants scolarisés"))
    status = models.CharField(
        _("statut"), max_length=12, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    offered_claim = models.OneToOneField(
        Claim, on_delete=models.PROTECT, null=True, blank=True, related_name="waitlist_entry"
    )
    created = models.DateTimeField(_("inscrit le"), auto_now_add=True)

    class Meta:
        verbose_name = _("inscription en liste d’attente")
        verbose_name_plural = _("liste d’attente")
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["status", "device_type", "department"])]

    def __str__(self):
        return f"{self.beneficiary or self.organisation}: {self.device_type} ({self.department})"

    def verified_priorities(self) -> set[str]:
        """The priority situations the household's current eligibility decision backs (see EligibilityDecision)."""
        decision = (
            EligibilityDecision.objects.valid()
            .filter(beneficiary_id=self.beneficiary_id, replaced_by__isnull=True)
            .order_by("-created")
            .first()
        )
        return decision.verified_priorities if decision is not None and self.beneficiary_id else set()

    def score(self, at=None, verified: set[str] | None = None) -> int:
        """The programme's priority rule, in points: the more, the sooner.

        A situation counts only when the eligibility decision's evidence backs it (`verified`); what the
        household ticked when joining is kept as its declaration, and earns nothing by itself.
        """
        programme = self.programme
        verified = self.verified_priorities() if verified is None else verified
        days = max(((at or timezone.now()) - self.created).days, 0)
        return (
            programme.weight_waiting_days * days
            + programme.weight_qpv_zrr * (PrioritySituation.QPV_ZRR in verified)
            + programme.weight_no_computer * (PrioritySituation.NO_COMPUTER in verified)
            + programme.weight_children_at_school * (PrioritySituation.CHILDREN_AT_SCHOOL in verified)
        )
