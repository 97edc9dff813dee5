"""What is handed over at the counter beside the device: data allowances (and their stock), the handover
checklist, and the Pass numérique cheques."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from reuse.accounts.models import Organisation
from reuse.claims.models import Claim, VoucherFunder
from reuse.fields import NameField
from reuse.tripod.enums import ChecklistItem


class AllowanceStock(models.Model):
    """Data allowances (SIM cards, vouchers) a partner association gives a workshop to hand over with devices."""

    workshop = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="allowance_stocks", verbose_name=_("atelier")
    )
    partner = NameField(_("association partenaire"), max_length=160)
    description = NameField(
        _("ce que c’est"), max_length=200, help_text=_("Par exemple : carte SIM 20 Go pendant 3 mois.")
    )
    quantity = models.PositiveIntegerField(_("reçus"))
    remaining = models.PositiveIntegerField(_("restants"))
    created = models.DateTimeField(_("reçu le"), auto_now_add=True)

    class Meta:
        verbose_name = _("stock de forfaits de données")
        verbose_name_plural = _("stocks de forfaits de données")
        ordering = ["workshop", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(remaining__lte=models.F("quantity")),
                name="allowance_remaining_within_stock",
            ),
        ]

    def __str__(self):
        return f"{self.description} ({self.partner}) — {self.remaining}/{self.quantity}"

    def clean(self):
        if self.remaining is not None and self.quantity is not None and self.remaining > self.quantity:
            raise ValidationError({"remaining": _("Il ne peut pas en rester plus qu’il n’en a été reçu.")})


class AllowanceHandout(models.Model):
    """One allowance attached to a claim at the counter."""

    claim = models.OneToOneField(
        Claim, on_delete=models.PROTECT, related_name="data_allowance", verbose_name=_("demande")
    )
    stock = models.ForeignKey(
        AllowanceStock, on_delete=models.PROTECT, related_name="handouts", verbose_name=_("stock")
    )
    reference = models.CharField(_("n° de carte SIM ou de bon"), max_length=60, blank=True)
    handed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("remis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("forfait de données remis")
        verbose_name_plural = _("forfaits de données remis")

    def __str__(self):
        return f"#{self.claim_id}: {self.stock.description}"


class HandoverChecklist(models.Model):
    """What the technician went through with the household at the counter, recorded on the claim."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="handover_checklist")
    items = models.JSONField(_("points vus"), default=list)
    note = NameField(_("remarque"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("liste de remise")
        verbose_name_plural = _("listes de remise")

    def __str__(self):
        return f"#{self.claim_id}: {len(self.items)}/{len(ChecklistItem.values)}"

    @property
    def complete(self) -> bool:
        return set(ChecklistItem.values) <= set(self.items or [])

    @property
    def item_labels(self) -> list[tuple[str, bool]]:
        return [(str(label), code in (self.items or [])) for code, label in ChecklistItem.choices]


class PassNumeriqueCheque(models.Model):
    """A Pass numérique cheque handed over with a device, so that its funder sees where its cheques went."""

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="pass_cheques", verbose_name=_("demande")
    )
    funder = models.ForeignKey(
        VoucherFunder, on_delete=models.PROTECT, related_name="pass_cheques", verbose_name=_("financeur")
    )
    booklet_number = models.CharField(_("n° de carnet"), max_length=40)
    cheque_number = models.CharField(_("n° de chèque"), max_length=40)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("remis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("chèque Pass numérique remis")
        verbose_name_plural = _("chèques Pass numérique remis")
        ordering = ["funder", "booklet_number", "cheque_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["funder", "booklet_number", "cheque_number"], name="one_handout_per_pass_cheque"
            )
        ]

    def __str__(self):
        return f"{self.funder} {self.booklet_number}/{self.cheque_number}"
