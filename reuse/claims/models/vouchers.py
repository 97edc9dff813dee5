"""Digital vouchers and their funders."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reuse import bounds
from reuse.accounts.models import Organisation
from reuse.claims.models.claims import Claim
from reuse.fields import NameField, optional_link
from reuse.journal import kept_fields_changed
from reuse.money import CentsField


class VoucherFunder(models.Model):
    """A third-party payer (a département, a CAF, a city) that funds pass numérique-style vouchers."""

    name = NameField(_("nom"), max_length=200, unique=True)
    organisation = optional_link(_("organisation"), Organisation, related_name="funded_vouchers")
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)

    class Meta:
        verbose_name = _("financeur de chèques")
        verbose_name_plural = _("financeurs de chèques")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        """The admin's form: once the funder has vouchers, its organisation stays, since that organisation's
        members read the funder's statement and print its cheques (reuse.policy.claims.is_funder_of)."""
        super().clean()
        funding = VoucherFunder.objects.filter(vouchers__isnull=False, organisation__isnull=False).distinct()
        if kept_fields_changed(self, ["organisation_id"], funding):
            raise ValidationError(
                {"organisation": _("Ce financeur a déjà des chèques : son organisation ne change plus.")}
            )


class VoucherQuerySet(models.QuerySet):
    def usable(self, on=None):
        return self.filter(redeemed_at__isnull=True, expires_on__gte=on or timezone.localdate())


class Voucher(bounds.BoundedModel):
    code = models.CharField(_("code"), max_length=32, unique=True)
    face_value_cents = CentsField(_("valeur faciale (€)"), validators=bounds.VOUCHER_CENTS.validators)
    funder = models.ForeignKey(
        VoucherFunder, verbose_name=_("financeur"), on_delete=models.PROTECT, related_name="vouchers"
    )
    expires_on = models.DateField(_("valable jusqu’au"))
    redeemed_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)
    redeemed_cents = CentsField(_("montant utilisé (€)"), default=0)
    claim = models.OneToOneField(
        Claim,
        verbose_name=_("demande"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voucher",
    )
    created = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = VoucherQuerySet.as_manager()

    class Meta:
        verbose_name = _("chèque numérique")
        verbose_name_plural = _("chèques numériques")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(redeemed_at__isnull=True, claim__isnull=True)
                | models.Q(redeemed_at__isnull=False, claim__isnull=False),
                name="voucher_redeemed_with_claim",
            ),
            # What a voucher paid is within its face value, and a voucher given back keeps no amount: the
            # redemption reads the face value before its conditional UPDATE, and the funder is billed this amount.
            models.CheckConstraint(
                condition=models.Q(redeemed_cents__lte=models.F("face_value_cents")),
                name="voucher_redeemed_within_face_value",
            ),
            models.CheckConstraint(
                condition=models.Q(claim__isnull=False) | models.Q(redeemed_cents=0),
                name="voucher_amount_only_when_redeemed",
            ),
            *bounds.constraints("voucher", {"face_value_cents": bounds.VOUCHER_CENTS}),
        ]

    def __str__(self):
        return self.code

    def is_history(self) -> bool:
        """A redeemed voucher is in its claim's price and its funder's statement: never deleted (reuse.backoffice)."""
        return self.redeemed_at is not None

    def clean(self):
        """The admin's form: a code is kept as claimants' codes are looked up (trimmed, upper case), and a
        redeemed voucher keeps the code, value and funder its claim and the funder's statement were made with."""
        super().clean()
        self.code = (self.code or "").strip().upper()
        redeemed = Voucher.objects.filter(redeemed_at__isnull=False)
        if kept_fields_changed(self, ["code", "face_value_cents", "funder_id"], redeemed):
            raise ValidationError(
                _(
                    "Ce chèque numérique a déjà été utilisé : son code, sa valeur et son financeur ne changent plus."
                )
            )
