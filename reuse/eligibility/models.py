from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reuse.accounts.models import Organisation
from reuse.eligibility.enums import Criterion, DecisionStatus, Evidence

DEFAULT_DECISION_VALIDITY_MONTHS = 12


class ProgrammeQuerySet(models.QuerySet):
    def active(self, on=None):
        day = on or timezone.localdate()
        return self.filter(is_active=True, starts_on__lte=day).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day)
        )

    def for_department(self, department: str, on=None):
        return self.active(on).filter(departments__contains=[department])


class Programme(models.Model):
    """The rules of a territory: who is eligible, on what evidence, caps, prices, hold time, waitlist priority."""

    name = models.CharField(_("nom"), max_length=150)
    departments = models.JSONField(_("départements"), default=list, help_text=_('Codes, ex. ["93", "95"]'))
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    criteria = models.JSONField(_("critères acceptés"), default=list)
    quotient_familial_max_eur = models.PositiveIntegerField(
        _("plafond de quotient familial (€)"), null=True, blank=True
    )
    accepted_evidence = models.JSONField(_("justificatifs acceptés"), default=list)
    decision_validity_months = models.PositiveSmallIntegerField(
        _("durée de validité d’une décision (mois)"), default=DEFAULT_DECISION_VALIDITY_MONTHS
    )
    household_cap_devices = models.PositiveSmallIntegerField(_("foyer : appareils d’un même type"), default=1)
    household_cap_months = models.PositiveSmallIntegerField(_("foyer : sur combien de mois"), default=24)
    association_cap_per_year = models.PositiveSmallIntegerField(
        _("association : appareils par an"), default=10
    )
    hold_hours = models.PositiveSmallIntegerField(_("durée de réservation (heures)"), default=48)
    vouchers_accepted = models.BooleanField(_("chèques numériques acceptés"), default=True)
    weight_waiting_days = models.PositiveSmallIntegerField(_("poids : jours d’attente"), default=1)
    weight_qpv_zrr = models.PositiveSmallIntegerField(_("poids : habite en QPV ou ZRR"), default=30)
    weight_no_computer = models.PositiveSmallIntegerField(_("poids : aucun ordinateur au foyer"), default=30)
    weight_children_at_school = models.PositiveSmallIntegerField(_("poids : enfants scolarisés"), default=20)
    api_particulier_recipient_siret = models.CharField(
        _("SIRET du partenaire public (API Particulier)"), max_length=14, blank=True
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProgrammePrice(models.Model):
    """Price bounds of a device type and grade within a programme, in cents."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="prices")
    device_type = models.CharField(_("type d’appareil"), max_length=20)
    grade = models.CharField(_("grade"), max_length=1)
    min_cents = models.PositiveIntegerField(_("prix minimum (centimes)"), default=0)
    max_cents = models.PositiveIntegerField(_("prix maximum (centimes)"))

    class Meta:
        verbose_name = _("fourchette de prix")
        verbose_name_plural = _("fourchettes de prix")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "device_type", "grade"], name="programme_price_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(min_cents__lte=models.F("max_cents")), name="price_bounds_order"
            ),
        ]

    def __str__(self):
        return f"{self.programme}: {self.device_type} {self.grade}"


class DecisionQuerySet(models.QuerySet):
    def valid(self, at=None):
        return self.filter(status=DecisionStatus.ELIGIBLE, expires_at__gt=at or timezone.now())

    def expired(self, at=None):
        return self.filter(status=DecisionStatus.ELIGIBLE, expires_at__lte=at or timezone.now())


class EligibilityDecision(models.Model):
    """A diagnosis of eligibility: who decided, for whom, on what evidence, until when.

    A new decision replaces the previous one (`replaced_by`), like a prescriber's diagnosis.
    """

    beneficiary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="eligibility_decisions",
    )
    beneficiary_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="eligibility_decisions"
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="decisions")
    status = models.CharField(_("statut"), max_length=12, choices=DecisionStatus.choices)
    criteria = models.JSONField(_("critères"), default=list)
    evidence = models.CharField(_("justificatif"), max_length=20, choices=Evidence.choices)
    quotient_familial_eur = models.PositiveIntegerField(null=True, blank=True)
    reasons = models.JSONField(_("motifs"), default=list)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("valable jusqu’au"), null=True, blank=True)
    replaced_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("décision d’éligibilité")
        verbose_name_plural = _("décisions d’éligibilité")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(beneficiary__isnull=False)
                | models.Q(beneficiary_organisation__isnull=False),
                name="decision_has_beneficiary",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="eligible") | models.Q(expires_at__isnull=False),
                name="eligible_decision_expires",
            ),
        ]

    def __str__(self):
        return f"{self.beneficiary or self.beneficiary_organisation}: {self.get_status_display()}"

    @property
    def criteria_labels(self):
        return [str(Criterion(code).label) for code in self.criteria if code in Criterion.values]

    @property
    def is_valid(self):
        return self.status == DecisionStatus.ELIGIBLE and self.expires_at and self.expires_at > timezone.now()


class MandateQuerySet(models.QuerySet):
    def active(self, at=None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=at or timezone.now())

    def covering(self, scope: str):
        return self.filter(scopes__contains=[scope])


class Mandate(models.Model):
    """A household's consent for a referrer's organisation to act on its behalf, within a scope and a duration."""

    household = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mandates")
    referrer_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="mandates")
    referrer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scopes = models.JSONField(_("périmètre"), default=list)
    consent_method = models.CharField(_("recueil du consentement"), max_length=20)
    starts_at = models.DateTimeField(_("début"), default=timezone.now)
    expires_at = models.DateTimeField(_("fin"))
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandat")
        verbose_name_plural = _("mandats")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.household} → {self.referrer_organisation}"
