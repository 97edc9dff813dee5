"""Eligibility decisions: a diagnosis with its author, evidence and end date, replaced by the next one."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reuse import bounds, places
from reuse.accounts.models import Organisation
from reuse.eligibility.enums import (
    VERIFIED_EVIDENCE,
    Criterion,
    DecisionStatus,
    Evidence,
    PrioritySituation,
)
from reuse.eligibility.reasons import render_all as render_reasons
from reuse.fields import optional_link
from reuse.programmes.models import (
    Programme,
)


def decision_place(beneficiary) -> str:
    """The département whose days a decision counts in (reuse.places): its household's, or its organisation's."""
    profile = getattr(beneficiary, "household", None)
    return getattr(profile, "department", "") or getattr(beneficiary, "department", "") or ""


class DecisionQuerySet(models.QuerySet):
    def valid(self, at=None):
        return self.filter(status=DecisionStatus.ELIGIBLE, expires_at__gt=at or timezone.now())

    def expired(self, at=None):
        return self.filter(status=DecisionStatus.ELIGIBLE, expires_at__lte=at or timezone.now())


class EligibilityDecision(models.Model):
    """A diagnosis of eligibility: who decided, for whom, on what evidence, until when.

    A new decision replaces the previous one (`replaced_by`), like a prescriber's diagnosis.
    """

    beneficiary = optional_link(_("bénéficiaire"), related_name="eligibility_decisions")
    beneficiary_organisation = optional_link(
        _("association bénéficiaire"), Organisation, related_name="eligibility_decisions"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="decisions"
    )
    status = models.CharField(_("statut"), max_length=12, choices=DecisionStatus.choices)
    criteria = models.JSONField(_("critères"), default=list)
    evidence = models.CharField(_("justificatif"), max_length=20, choices=Evidence.choices)
    quotient_familial_eur = models.PositiveIntegerField(
        _("quotient familial (€)"), null=True, blank=True, validators=bounds.QUOTIENT_FAMILIAL_EUR.validators
    )
    reasons = models.JSONField(_("motifs"), default=list)
    # Priority situations checked with the evidence (a referrer's attestation, a document reviewed by staff):
    # only these count on the waitlist, never what the household ticks by itself.
    priorities = models.JSONField(_("situations prioritaires vérifiées"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.PROTECT, related_name="+"
    )
    author_organisation = optional_link(_("structure de l’auteur"), Organisation)
    expires_at = models.DateTimeField(_("valable jusqu’au"), null=True, blank=True)
    replaced_by = optional_link(_("remplacée par"), "self")
    mandate = optional_link(_("mandat"), "Mandate", related_name="decisions")
    reviewed_by = optional_link(_("examinée par"))
    reviewed_at = models.DateTimeField(_("examiné le"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    created = models.DateTimeField(_("créée le"), auto_now_add=True)

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
            *bounds.constraints("decision", {"quotient_familial_eur": bounds.QUOTIENT_FAMILIAL_EUR}),
        ]

    def __str__(self):
        return f"{self.beneficiary or self.beneficiary_organisation}: {self.get_status_display()}"

    @property
    def reason_texts(self) -> list[str]:
        """The reasons in the reader's language (they are stored as codes: reasons.py)."""
        return render_reasons(self.reasons)

    @property
    def criteria_labels(self):
        return [str(Criterion(code).label) for code in self.criteria if code in Criterion.values]

    @property
    def subject_name(self) -> str:
        """Whom the decision is about, as a referrer or staff names them: the person, or the association."""
        if self.beneficiary_id:
            return self.beneficiary.get_full_name() or self.beneficiary.email
        return self.beneficiary_organisation.name

    @property
    def verified_priorities(self) -> set[str]:
        """The priority situations this decision backs: recorded with evidence someone else checked."""
        if self.evidence not in VERIFIED_EVIDENCE:
            return set()
        return {code for code in (self.priorities or []) if code in PrioritySituation.values}

    @property
    def evidence_label(self) -> str:
        """The evidence as the page names it: a proof nobody has reviewed yet is not called verified."""
        if self.evidence == Evidence.DOCUMENT and self.beneficiary_id and self.reviewed_at is None:
            if self.status == DecisionStatus.PENDING:
                return str(_("Justificatif envoyé, pas encore vérifié par l’équipe"))
            if self.status == DecisionStatus.INELIGIBLE:
                return str(_("Justificatif non examiné"))
        return self.get_evidence_display()

    @property
    def priority_labels(self):
        return [str(PrioritySituation(code).label) for code in sorted(self.verified_priorities)]

    @property
    def is_valid(self):
        return bool(
            self.status == DecisionStatus.ELIGIBLE
            and self.replaced_by_id is None
            and self.expires_at
            and self.expires_at > timezone.now()
        )

    @property
    def last_valid_day(self):
        """The last day on which the decision still counts, where its beneficiary lives (reuse.places)."""
        if not self.expires_at:
            return None
        return places.day_at(self.expires_at - timedelta(microseconds=1), self.place)

    @property
    def place(self) -> str:
        return decision_place(self.beneficiary if self.beneficiary_id else self.beneficiary_organisation)
