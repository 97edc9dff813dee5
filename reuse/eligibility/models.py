from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reuse.accounts.models import Organisation
from reuse.eligibility.enums import (
    VERIFIED_EVIDENCE,
    ConsentMethod,
    Criterion,
    DecisionStatus,
    DocumentStatus,
    Evidence,
    JournalAction,
    MandateScope,
    PrioritySituation,
)
from reuse.eligibility.reasons import render_all as render_reasons
from reuse.journal import AppendOnlyModel
from reuse.programmes.models import (
    Programme,
    json_list_contains,
)


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
        verbose_name=_("bénéficiaire"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="eligibility_decisions",
    )
    beneficiary_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("association bénéficiaire"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="eligibility_decisions",
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="decisions"
    )
    status = models.CharField(_("statut"), max_length=12, choices=DecisionStatus.choices)
    criteria = models.JSONField(_("critères"), default=list)
    evidence = models.CharField(_("justificatif"), max_length=20, choices=Evidence.choices)
    quotient_familial_eur = models.PositiveIntegerField(_("quotient familial (€)"), null=True, blank=True)
    reasons = models.JSONField(_("motifs"), default=list)
    # Priority situations checked with the evidence (a referrer's attestation, a document reviewed by staff):
    # only these count on the waitlist, never what the household ticks by itself.
    priorities = models.JSONField(_("situations prioritaires vérifiées"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.PROTECT, related_name="+"
    )
    author_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("structure de l’auteur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("valable jusqu’au"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("remplacée par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    mandate = models.ForeignKey(
        "Mandate",
        verbose_name=_("mandat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("examinée par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
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
        """The last day (Europe/Paris) on which the decision still counts."""
        if not self.expires_at:
            return None
        local = timezone.localtime(self.expires_at, ZoneInfo("Europe/Paris"))
        return (local - timedelta(microseconds=1)).date()


MANDATE_REQUEST_DAYS = 30


class MandateQuerySet(models.QuerySet):
    def active(self, at=None):
        """Mandates the household consented to, neither withdrawn nor ended."""
        return self.filter(
            consented_at__isnull=False, revoked_at__isnull=True, expires_at__gt=at or timezone.now()
        )

    def pending(self, at=None):
        """Requests a household with its own access has not answered yet (they lapse after 30 days)."""
        at = at or timezone.now()
        return self.filter(
            consented_at__isnull=True,
            revoked_at__isnull=True,
            created__gt=at - timedelta(days=MANDATE_REQUEST_DAYS),
        )

    def covering(self, scope: str):
        return json_list_contains(self, "scopes", scope)


class Mandate(models.Model):
    """A household's consent for a referrer's organisation to act on its behalf, within a scope and a duration."""

    household = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mandates")
    referrer_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="mandates")
    referrer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scopes = models.JSONField(_("périmètre"), default=list)
    consent_method = models.CharField(
        _("recueil du consentement"), max_length=20, choices=ConsentMethod.choices
    )
    signed_name = models.CharField(_("nom signé à l’écran"), max_length=150, blank=True)
    # The consent itself: when it was given and who recorded it (the referrer who collected it in person, or the
    # household when it accepted in its own space). Empty while a request waits for the household's answer.
    consented_at = models.DateTimeField(_("accord donné le"), null=True, blank=True, default=timezone.now)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accord enregistré par"),
    )
    months = models.PositiveSmallIntegerField(_("durée (mois)"), null=True, blank=True)
    starts_at = models.DateTimeField(_("début"), default=timezone.now)
    expires_at = models.DateTimeField(_("fin"))
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandat")
        verbose_name_plural = _("mandats")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consented_at__isnull=True) | models.Q(consent_recorded_by__isnull=False),
                name="mandate_consent_recorded_by_someone",
            ),
            # Accepted in the household's own space means accepted by the household, nobody else.
            models.CheckConstraint(
                condition=~models.Q(consent_method="household_account", consented_at__isnull=False)
                | models.Q(consent_recorded_by=models.F("household")),
                name="mandate_account_consent_by_household",
            ),
        ]

    def __str__(self):
        return f"{self.household} → {self.referrer_organisation}"

    def save(self, *args, **kwargs):
        # A consent collected in person is recorded by the referrer who records the mandate.
        if self.consented_at is not None and self.consent_recorded_by_id is None:
            self.consent_recorded_by_id = self.referrer_id
        super().save(*args, **kwargs)

    @property
    def is_active(self):
        return self.consented_at is not None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def is_pending(self):
        return (
            self.consented_at is None
            and self.revoked_at is None
            and self.created > timezone.now() - timedelta(days=MANDATE_REQUEST_DAYS)
        )

    @property
    def scope_labels(self):
        return [str(MandateScope(code).label) for code in self.scopes if code in MandateScope.values]


class AssociationProfile(models.Model):
    """What an association declares (purpose, public) and whether staff verified it."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="association_profile"
    )
    purpose = models.TextField(_("objet de l’association"))
    public = models.TextField(_("public accompagné"))
    verified_at = models.DateTimeField(_("vérifiée le"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("profil d’association")
        verbose_name_plural = _("profils d’association")
        ordering = ["-created"]

    def __str__(self):
        return str(self.organisation)

    @property
    def is_verified(self):
        return self.verified_at is not None


class AccreditationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, organisation__status="approved")


class ReferrerAccreditation(models.Model):
    """Staff's accreditation of a referrer organisation: only then may its members attest eligibility."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="accreditation")
    accredited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accredited_at = models.DateTimeField(_("accrédité le"), default=timezone.now)
    revoked_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = AccreditationQuerySet.as_manager()

    class Meta:
        verbose_name = _("accréditation de prescripteur")
        verbose_name_plural = _("accréditations de prescripteur")
        ordering = ["-accredited_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True)
                | models.Q(revoked_at__gte=models.F("accredited_at")),
                name="accreditation_revoked_after",
            )
        ]

    def __str__(self):
        return str(self.organisation)


def private_storage():
    """Eligibility documents live in the storage without URL (settings.STORAGES["private"])."""
    from django.core.files.storage import storages

    return storages["private"]


def document_path(instance, filename):
    # The original name never reaches the disk: it may carry personal data.
    return f"eligibility/{timezone.now():%Y/%m}/{instance.token}"


class DocumentQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=DocumentStatus.WAITING)

    def due_for_deletion(self, at=None):
        """Files whose decision was taken more than the programme's retention period ago."""
        at = at or timezone.now()
        candidates = self.exclude(status=DocumentStatus.WAITING).filter(deleted_at__isnull=True)
        candidates = candidates.select_related("decision__programme")
        return [
            doc
            for doc in candidates
            if doc.reviewed_at
            and doc.reviewed_at + timedelta(days=doc.decision.programme.document_retention_days) <= at
        ]


class EligibilityDocument(models.Model):
    """A proof uploaded by a household (or its referrer), kept in private storage until its retention ends."""

    decision = models.ForeignKey(EligibilityDecision, on_delete=models.PROTECT, related_name="documents")
    token = models.CharField(max_length=64, unique=True, editable=False)
    file = models.FileField(
        _("fichier"), upload_to=document_path, storage=private_storage, blank=True, max_length=200
    )
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("statut"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.WAITING
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("examiné le"), null=True, blank=True)
    review_note = models.CharField(_("motif"), max_length=255, blank=True)
    deleted_at = models.DateTimeField(_("fichier supprimé le"), null=True, blank=True)
    created = models.DateTimeField(_("déposé le"), auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("justificatif")
        verbose_name_plural = _("justificatifs")
        ordering = ["created"]
        permissions = [("review_eligibilitydocument", "Peut examiner les justificatifs d’éligibilité")]

    def __str__(self):
        return f"Justificatif n° {self.pk}"


class DocumentAccess(AppendOnlyModel):
    """Every time someone opened an eligibility document."""

    document = models.ForeignKey(
        EligibilityDocument, verbose_name=_("justificatif"), on_delete=models.PROTECT, related_name="accesses"
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("consulté par"), on_delete=models.PROTECT, related_name="+"
    )
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("consultation de justificatif")
        verbose_name_plural = _("consultations de justificatifs")

    def __str__(self):
        return f"{self.viewer} → {self.document}"

    @classmethod
    def log_view(cls, *, document, viewer, ip_address=None):
        return cls.objects.create(document=document, viewer=viewer, ip_address=ip_address)


class MandateJournalEntry(AppendOnlyModel):
    """What a referrer did on a household's behalf. The household reads it on its page."""

    mandate = models.ForeignKey(
        Mandate, verbose_name=_("mandat"), on_delete=models.PROTECT, related_name="journal"
    )
    household = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("foyer"), on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("structure"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=30, choices=JournalAction.choices)
    detail = models.CharField(_("détail"), max_length=255, blank=True)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("action sous mandat")
        verbose_name_plural = _("journal des mandats")

    def __str__(self):
        return f"{self.get_action_display()} ({self.actor})"

    @classmethod
    def log(cls, *, mandate, actor, action, detail=""):
        return cls.objects.create(
            mandate=mandate,
            household=mandate.household,
            actor=actor,
            organisation=mandate.referrer_organisation,
            action=action,
            detail=str(detail)[:255],
        )


class SignInCodeQuerySet(models.QuerySet):
    def usable(self, at=None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=at or timezone.now())


class SignInCode(models.Model):
    """A printed code with which a household without credentials of its own signs in.

    It is issued under one mandate and opens a session limited to that mandate's scope, while it runs. The first
    characters (`selector`) name the code, so that wrong guesses can be counted against it; only a keyed hash of
    the whole code is stored.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_codes")
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="sign_in_codes")
    selector = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = SignInCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("code de connexion")
        verbose_name_plural = _("codes de connexion")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["selector"],
                condition=models.Q(revoked_at__isnull=True),
                name="sign_in_code_selector_live",
            )
        ]

    def __str__(self):
        return f"Code de {self.user}"


class HouseholdFingerprint(models.Model):
    """A keyed hash of normalised name, birth date and postcode: enough to spot a duplicate, nothing more."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, db_index=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("empreinte de foyer")
        verbose_name_plural = _("empreintes de foyer")

    def __str__(self):
        return f"Empreinte de {self.user}"


class DuplicateFlag(models.Model):
    """Two accounts that look like the same household, for staff to check."""

    first = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("premier compte"), on_delete=models.CASCADE, related_name="+"
    )
    second = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("second compte"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("motif"), max_length=255)
    resolved_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traité par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("signalé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("doublon possible")
        verbose_name_plural = _("doublons possibles")
        ordering = ["-created"]
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="duplicate_flag_pair_unique")]

    def __str__(self):
        return f"{self.first} ≈ {self.second}"
