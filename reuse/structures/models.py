"""Small structures (very small businesses, self-employed people, small associations) and the equipment cheques
funders issue for them. A structure is an organisation that claims like an association (its membership, its cap,
its claims); an equipment cheque is a voucher of the funder (the same redemption, ledger and monthly statement),
bound to a cheque programme that says who may spend it, where, until when and how many times per structure."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reuse.accounts.models import Organisation, VerifiedProfile
from reuse.claims.models import Voucher, VoucherFunder
from reuse.fields import NameField
from reuse.journal import kept_fields_changed
from reuse.money import CentsField
from reuse.structures.enums import MAX_HEADCOUNT, StructureCategory


class StructureProfile(VerifiedProfile):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="structure_profile"
    )
    category = models.CharField(_("type de structure"), max_length=20, choices=StructureCategory.choices)
    headcount = models.PositiveSmallIntegerField(_("effectif (personnes)"))
    activity = NameField(_("activité"), max_length=200)

    class Meta(VerifiedProfile.Meta):
        verbose_name = _("petite structure")
        verbose_name_plural = _("petites structures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(headcount__gte=1, headcount__lte=MAX_HEADCOUNT),
                name="structure_headcount_small",
            )
        ]


class ChequeProgrammeQuerySet(models.QuerySet):
    def running(self, on=None):
        day = on or timezone.localdate()
        return self.filter(valid_from__lte=day, valid_until__gte=day)


class ChequeProgramme(models.Model):
    """A funder's equipment-cheque programme: face value, validity, who is eligible, devices per structure."""

    funder = models.ForeignKey(
        VoucherFunder, verbose_name=_("financeur"), on_delete=models.PROTECT, related_name="cheque_programmes"
    )
    name = NameField(_("nom"), max_length=150)
    face_value_cents = CentsField(_("valeur faciale (€)"))
    valid_from = models.DateField(_("valable à partir du"))
    valid_until = models.DateField(_("valable jusqu’au"))
    departments = models.JSONField(_("départements"), default=list, help_text=_('Codes, ex. ["35", "56"]'))
    categories = models.JSONField(
        _("structures éligibles"),
        default=list,
        help_text=_("Parmi : tpe, self_employed, small_association."),
    )
    devices_per_structure = models.PositiveSmallIntegerField(_("appareils par structure"), default=2)
    created = models.DateTimeField(auto_now_add=True)

    objects = ChequeProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme de chèques équipement")
        verbose_name_plural = _("programmes de chèques équipement")
        ordering = ["-valid_until", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="cheque_programme_dates_order",
            ),
            models.CheckConstraint(
                condition=models.Q(face_value_cents__gt=0), name="cheque_face_value_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(devices_per_structure__gte=1), name="cheque_devices_per_structure_positive"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        """The admin's form: once a batch is issued its funder stays, since its cheques are that funder's vouchers
        and its members print them (reuse.structures.views.batch_print)."""
        super().clean()
        issuing = ChequeProgramme.objects.filter(batches__isnull=False).distinct()
        if kept_fields_changed(self, ["funder_id"], issuing):
            raise ValidationError(
                {"funder": _("Ce programme a déjà émis des carnets : son financeur ne change plus.")}
            )


class ChequeBatch(models.Model):
    programme = models.ForeignKey(ChequeProgramme, on_delete=models.PROTECT, related_name="batches")
    count = models.PositiveSmallIntegerField(_("nombre de chèques"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("émis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("carnet de chèques équipement")
        verbose_name_plural = _("carnets de chèques équipement")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.programme} — {self.count} chèques ({self.created:%d/%m/%Y})"


class EquipmentCheque(models.Model):
    """Binds a funder's voucher to its programme and batch. The voucher row holds the redemption (one claim, a
    conditional update, a row lock); this row holds what the voucher alone cannot say."""

    voucher = models.OneToOneField(Voucher, on_delete=models.PROTECT, related_name="equipment_cheque")
    batch = models.ForeignKey(ChequeBatch, on_delete=models.PROTECT, related_name="cheques")
    programme = models.ForeignKey(ChequeProgramme, on_delete=models.PROTECT, related_name="cheques")

    class Meta:
        verbose_name = _("chèque équipement")
        verbose_name_plural = _("chèques équipement")

    def __str__(self):
        return self.voucher.code
