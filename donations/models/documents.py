"""What a lot yields for its donor on paper: erasure certificates and tax receipts (with their value caps and
the staff's review of implausible values)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from donations import receipt_guard
from donations.enums import ReceiptReviewStatus
from donations.models.imports import _private_storage
from donations.models.lots import Lot, LotItem
from inventory.enums import DeviceType
from reuse import bounds
from reuse.fields import NameField, NoteField, optional_link
from reuse.journal import AppendOnlyError, AppendOnlyModel
from reuse.money import BigCentsField, CentsField, format_euros


class ErasureCertificate(models.Model):
    """A frozen copy of a lot's erasure records, identified by a code printed with a QR on every page.

    `content` is what the PDF lists; `content_hash` (SHA-256 of its canonical JSON) lets anyone confirm on
    the public verification page that a printed certificate matches what Rebond issued.
    """

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(_("code de vérification"), max_length=20, unique=True)
    content = models.JSONField()
    content_hash = models.CharField(_("empreinte SHA-256"), max_length=64, db_index=True)
    media_count = models.PositiveIntegerField(default=0)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    # The state of the lot's data this content was last built from (inventory.donor_reports.fingerprint): while
    # the lot's data has this fingerprint, this certificate is served as it is. Not part of the content or hash.
    lot_fingerprint = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("certificat d’effacement")
        verbose_name_plural = _("certificats d’effacement")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return self.code


class CertificatePdf(models.Model):
    """A certificate's PDF as rendered once (inventory.donor_reports.stored) in one language, kept privately.

    Everything a certificate prints comes from its frozen content, its code and `verification_url`: the file is
    served again only while that address is the one the site would print now. `sha256` is the file's own hash,
    shown on the public verification page so that a downloaded copy can be checked byte for byte.
    """

    certificate = models.ForeignKey(ErasureCertificate, on_delete=models.CASCADE, related_name="pdfs")
    language = models.CharField(max_length=8)
    verification_url = models.CharField(max_length=300)
    file = models.FileField(upload_to="certificates/%Y/%m/", storage=_private_storage, max_length=255)
    sha256 = models.CharField(_("empreinte SHA-256 du fichier"), max_length=64)
    size = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("PDF de certificat d’effacement")
        verbose_name_plural = _("PDF de certificats d’effacement")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "language"], name="certificate_pdf_one_per_language"
            )
        ]

    def __str__(self):
        return f"{self.certificate.code} ({self.language})"


class TaxReceiptQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(cancelled_at__isnull=True)

    def delete(self):
        raise AppendOnlyError(receipt_guard.MESSAGE)


class TaxReceipt(models.Model):
    """A cerfa 16216 receipt for a gift in kind, issued in the name of the receiving workshop.

    A receipt found wrong is cancelled with its reason (donations.receipts.cancel_tax_receipt), never edited nor
    deleted: its number stays taken, and the lot's next receipt takes the next number and names it (`replaces`).
    A lot has at most one receipt that is not cancelled. Deleting one raises AppendOnlyError, and the database
    refuses it as well (donations.receipt_guard).
    """

    lot = models.ForeignKey(Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="tax_receipts")
    number = models.CharField(_("numéro d’ordre"), max_length=30, unique=True)
    amount_cents = CentsField(_("montant (€)"))
    donor_legal_form = NameField(_("forme juridique du donateur"), max_length=80)
    content = models.JSONField(_("contenu du reçu"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("émis par"), on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(_("émis le"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    cancelled_by = optional_link(_("annulé par"))
    cancel_reason = NoteField(_("motif de l’annulation"), blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("annule et remplace"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )

    objects = TaxReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("reçu fiscal")
        verbose_name_plural = _("reçus fiscaux")
        # Staff who may cancel a receipt found wrong (the admin's « Annuler le reçu »): Coordinators.
        permissions = [("cancel_taxreceipt", _("Peut annuler un reçu fiscal"))]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="taxreceipt_amount_positive"),
            models.UniqueConstraint(
                fields=["lot"],
                condition=models.Q(cancelled_at__isnull=True),
                name="taxreceipt_one_valid_per_lot",
            ),
            models.CheckConstraint(
                condition=models.Q(cancelled_at__isnull=True, cancelled_by__isnull=True, cancel_reason="")
                | (
                    models.Q(cancelled_at__isnull=False, cancelled_by__isnull=False)
                    & ~models.Q(cancel_reason="")
                ),
                name="taxreceipt_cancelled_by_someone_with_a_reason",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def delete(self, *args, **kwargs):
        # The database refuses too (donations.receipt_guard): this says it before a query is sent.
        raise AppendOnlyError(receipt_guard.MESSAGE)


class ReceiptValueCap(models.Model):
    """The most a tax receipt values one received device of a type at, whatever the donor declared.

    The receipt values a gift in kind at its net book value (the donor's accounts), which for IT equipment
    depreciated over three to five years is usually close to zero. A declared value above what such a device
    could plausibly be worth is a typing error (cents typed as euros, a purchase price, a whole line's value on
    each device) or an attempt to inflate a tax reduction. The cap is a ceiling, not a valuation: a receipt
    counts each device at the lower of its declared value and its type's cap, and a declared value above the cap
    is shown to staff before the receipt is issued. Staff edit the caps in the admin (Settings > Plafonds des
    reçus fiscaux); the first values come from migration 0006 with their reasoning.
    """

    device_type = models.CharField(
        _("type d’appareil"), max_length=20, choices=DeviceType.choices, unique=True
    )
    cap_cents = CentsField(_("valeur plausible maximale (€)"), validators=bounds.BOOK_VALUE_CENTS.validators)
    reasoning = NoteField(_("source ou raisonnement"), blank=True)
    updated = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("plafond de reçu fiscal")
        verbose_name_plural = _("plafonds des reçus fiscaux")
        ordering = ["device_type"]
        constraints = bounds.constraints("receiptvaluecap", {"cap_cents": bounds.BOOK_VALUE_CENTS})

    def __str__(self):
        return f"{self.get_device_type_display()} : {format_euros(self.cap_cents)}"


class TaxReceiptReview(models.Model):
    """A receipt asked for a lot whose declared values exceed the caps: staff look before it is issued."""

    lot = models.OneToOneField(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="receipt_review"
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=ReceiptReviewStatus.choices, default=ReceiptReviewStatus.PENDING
    )
    donor_legal_form = NameField(_("forme juridique du donateur"), max_length=80)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("demandé par"), on_delete=models.PROTECT, related_name="+"
    )
    # The valuation when the receipt was asked for: each received device, declared, cap, value, outlier.
    valuation = models.JSONField(_("valorisation"), default=dict)
    declared_cents = BigCentsField(_("valeur déclarée des appareils reçus (€)"))
    valued_cents = BigCentsField(_("valeur retenue (€)"))
    outliers = models.PositiveIntegerField(_("valeurs au-dessus du plafond"))
    created = models.DateTimeField(_("demandé le"), auto_now_add=True)
    reviewed_by = optional_link(_("vérifié par"))
    reviewed_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)

    class Meta:
        verbose_name = _("reçu fiscal à vérifier")
        verbose_name_plural = _("reçus fiscaux à vérifier")
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="pending", reviewed_by__isnull=True)
                | models.Q(status="approved", reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="receipt_review_approved_by_someone",
            )
        ]

    def __str__(self):
        return f"{self.lot} ({self.get_status_display()})"


class ReceiptValueApproval(AppendOnlyModel):
    """Staff verified that a manifest line declared above its type's cap is worth what the donor declared.

    Written once, when staff approve the held receipt (donations.receipts.approve_review), and kept: who vouched for
    which value, under which cap. It counts for the receipt it issued only (`receipt`): once that receipt is
    cancelled, the next request is reviewed anew (donations.receipts.valuation reads the lot's valid receipt's).
    """

    review = models.ForeignKey(
        TaxReceiptReview, verbose_name=_("vérification"), on_delete=models.PROTECT, related_name="approvals"
    )
    receipt = models.ForeignKey(
        TaxReceipt, verbose_name=_("reçu fiscal"), on_delete=models.PROTECT, related_name="value_approvals"
    )
    item = models.ForeignKey(
        LotItem, verbose_name=_("ligne de manifeste"), on_delete=models.PROTECT, related_name="+"
    )
    declared_unit_cents = CentsField(_("valeur déclarée par appareil (€)"))
    cap_cents = CentsField(_("plafond du type (€)"))
    approved_unit_cents = CentsField(_("valeur approuvée par appareil (€)"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approuvé par"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("valeur approuvée au-dessus du plafond")
        verbose_name_plural = _("valeurs approuvées au-dessus du plafond")
        constraints = [
            models.UniqueConstraint(fields=["receipt", "item"], name="receipt_value_approved_once_per_line"),
            models.CheckConstraint(
                condition=models.Q(approved_unit_cents__gt=models.F("cap_cents"))
                & models.Q(approved_unit_cents__lte=models.F("declared_unit_cents")),
                name="receipt_value_approved_above_cap_within_declared",
            ),
        ]

    def __str__(self):
        return f"{self.item} : {format_euros(self.approved_unit_cents)}"
