"""Programmes: the rules of a territory (who is eligible, on what evidence, caps, prices, hold times, waitlist
priority). Below every domain app: donations, inventory, eligibility and claims read them, none of them owns them.

The tables keep the names they had when the models lived in eligibility (`eligibility_programme`,
`eligibility_programmeprice`): the move changed the code's layering, not the data.
"""

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from inventory.enums import DeviceType, Grade
from reuse import bounds
from reuse.eligibility.enums import Criterion
from reuse.fields import NameField
from reuse.money import CentsField

DEFAULT_DECISION_VALIDITY_MONTHS = 12
DEFAULT_DOCUMENT_RETENTION_DAYS = 30


def json_list_contains(queryset, field: str, value: str):
    """`field__contains=[value]` where the database can (PostgreSQL); a filter in Python elsewhere (SQLite).

    Programmes and a household's mandates are few, so the fallback stays cheap.
    """
    if connection.features.supports_json_field_contains:
        return queryset.filter(**{f"{field}__contains": [value]})
    ids = [pk for pk, values in queryset.values_list("pk", field) if value in (values or [])]
    return queryset.filter(pk__in=ids)


class ProgrammeQuerySet(models.QuerySet):
    def active(self, on=None):
        day = on or timezone.localdate()
        return self.filter(is_active=True, starts_on__lte=day).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day)
        )

    def for_department(self, department: str, on=None):
        return json_list_contains(self.active(on), "departments", department)


# The numbers staff type for a programme's rules, each with its bounds (reuse/bounds.py).
RULE_BOUNDS = {
    "quotient_familial_max_eur": bounds.QUOTIENT_FAMILIAL_EUR,
    "decision_validity_months": bounds.DECISION_VALIDITY_MONTHS,
    "household_cap_devices": bounds.HOUSEHOLD_CAP_DEVICES,
    "household_cap_months": bounds.CAP_WINDOW_MONTHS,
    "association_cap_per_year": bounds.ASSOCIATION_CAP_PER_YEAR,
    "hold_hours": bounds.HOLD_HOURS,
    "claim_cooldown_hours": bounds.COOLDOWN_HOURS,
    "weight_waiting_days": bounds.PRIORITY_WEIGHT,
    "weight_qpv_zrr": bounds.PRIORITY_WEIGHT,
    "weight_no_computer": bounds.PRIORITY_WEIGHT,
    "weight_children_at_school": bounds.PRIORITY_WEIGHT,
    "document_retention_days": bounds.RETENTION_DAYS,
}


class Programme(bounds.BoundedModel, ClusterableModel):
    """The rules of a territory: who is eligible, on what evidence, caps, prices, hold time, waitlist priority."""

    name = NameField(_("nom"), max_length=150)
    departments = models.JSONField(_("départements"), default=list, help_text=_('Codes, ex. ["93", "95"]'))
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    criteria = models.JSONField(_("critères acceptés"), default=list)
    quotient_familial_max_eur = models.PositiveIntegerField(
        _("plafond de quotient familial (€)"),
        null=True,
        blank=True,
        validators=bounds.QUOTIENT_FAMILIAL_EUR.validators,
    )
    accepted_evidence = models.JSONField(_("justificatifs acceptés"), default=list)
    decision_validity_months = models.PositiveSmallIntegerField(
        _("durée de validité d’une décision (mois)"),
        default=DEFAULT_DECISION_VALIDITY_MONTHS,
        validators=bounds.DECISION_VALIDITY_MONTHS.validators,
    )
    household_cap_devices = models.PositiveSmallIntegerField(
        _("foyer : appareils d’un même type"), default=1, validators=bounds.HOUSEHOLD_CAP_DEVICES.validators
    )
    household_cap_months = models.PositiveSmallIntegerField(
        _("foyer : sur combien de mois"), default=24, validators=bounds.CAP_WINDOW_MONTHS.validators
    )
    association_cap_per_year = models.PositiveSmallIntegerField(
        _("association : appareils par an"), default=10, validators=bounds.ASSOCIATION_CAP_PER_YEAR.validators
    )
    hold_hours = models.PositiveSmallIntegerField(
        _("durée de réservation (heures)"), default=48, validators=bounds.HOLD_HOURS.validators
    )
    claim_cooldown_hours = models.PositiveSmallIntegerField(
        _("délai avant de redemander un même appareil (heures)"),
        default=24,
        validators=bounds.COOLDOWN_HOURS.validators,
        help_text=_(
            "Après une réservation annulée ou expirée, le même foyer (ou la même association) ne peut pas "
            "réserver de nouveau cet appareil pendant ce délai : il reste aux autres."
        ),
    )
    vouchers_accepted = models.BooleanField(_("chèques numériques acceptés"), default=True)
    weight_waiting_days = models.PositiveSmallIntegerField(
        _("poids : jours d’attente"), default=1, validators=bounds.PRIORITY_WEIGHT.validators
    )
    weight_qpv_zrr = models.PositiveSmallIntegerField(
        _("poids : habite en QPV ou ZRR"), default=30, validators=bounds.PRIORITY_WEIGHT.validators
    )
    weight_no_computer = models.PositiveSmallIntegerField(
        _("poids : aucun ordinateur au foyer"), default=30, validators=bounds.PRIORITY_WEIGHT.validators
    )
    weight_children_at_school = models.PositiveSmallIntegerField(
        _("poids : enfants scolarisés"), default=20, validators=bounds.PRIORITY_WEIGHT.validators
    )
    api_particulier_recipient_siret = models.CharField(
        _("SIRET du partenaire public (API Particulier)"),
        max_length=14,
        blank=True,
        help_text=_("Le jeton d’accès n’est jamais saisi ici : il vient de la configuration du serveur."),
    )
    associations_eligible = models.BooleanField(
        _("associations éligibles"),
        default=True,
        help_text=_("Une association vérifiée par l’équipe de ce territoire peut demander des appareils."),
    )
    document_retention_days = models.PositiveSmallIntegerField(
        _("conservation des justificatifs après décision (jours)"),
        default=DEFAULT_DOCUMENT_RETENTION_DAYS,
        validators=bounds.RETENTION_DAYS.validators,
    )
    created = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        db_table = "eligibility_programme"
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_start",
            ),
            *bounds.constraints("programme", RULE_BOUNDS),
        ]

    def __str__(self):
        return self.name

    def accepts(self, evidence: str) -> bool:
        return evidence in (self.accepted_evidence or [])

    def overlapping(self):
        """Other active programmes sharing a department over an overlapping period."""
        if not self.is_active or not self.starts_on:
            return []
        others = Programme.objects.filter(is_active=True).exclude(pk=self.pk)
        others = others.filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=self.starts_on))
        if self.ends_on:
            others = others.filter(starts_on__lte=self.ends_on)
        mine = set(self.departments or [])
        return [other for other in others if mine & set(other.departments or [])]

    def clean(self):
        super().clean()
        errors = {}
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("La fin doit suivre le début.")
        unknown = [code for code in self.criteria or [] if code not in Criterion.values]
        if unknown:
            errors["criteria"] = _("Critères inconnus : %(codes)s") % {"codes": ", ".join(unknown)}
        if Criterion.QUOTIENT_FAMILIAL in (self.criteria or []) and self.quotient_familial_max_eur is None:
            errors["quotient_familial_max_eur"] = _("Indiquez le plafond de quotient familial.")
        clashes = self.overlapping()
        if clashes:
            shared = sorted(set(self.departments or []) & {d for c in clashes for d in c.departments})
            errors["departments"] = _(
                "Un autre programme actif couvre déjà %(departments)s sur la même période : %(names)s."
            ) % {"departments": ", ".join(shared), "names": ", ".join(c.name for c in clashes)}
        if errors:
            raise ValidationError(errors)


class ProgrammePrice(bounds.BoundedModel):
    """Price bounds of a device type and grade within a programme, in cents."""

    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="prices")
    device_type = models.CharField(_("type d’appareil"), max_length=20, choices=DeviceType.choices)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    min_cents = CentsField(_("prix minimum (€)"), default=0, validators=bounds.PRICE_CENTS.validators)
    max_cents = CentsField(_("prix maximum (€)"), validators=bounds.PRICE_CENTS.validators)

    class Meta:
        db_table = "eligibility_programmeprice"
        verbose_name = _("fourchette de prix")
        verbose_name_plural = _("fourchettes de prix")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "device_type", "grade"], name="programme_price_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(min_cents__lte=models.F("max_cents")), name="price_bounds_order"
            ),
            *bounds.constraints(
                "programmeprice", {"min_cents": bounds.PRICE_CENTS, "max_cents": bounds.PRICE_CENTS}
            ),
        ]

    def __str__(self):
        return f"{self.programme}: {self.device_type} {self.grade}"
