"""Mandates a household gives a referrer organisation, what was done under them, and the printed sign-in codes
they allow."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reuse.accounts.models import Organisation
from reuse.eligibility import journal_facts
from reuse.eligibility.enums import (
    ConsentMethod,
    JournalAction,
    MandateScope,
)
from reuse.fields import NameField, optional_link
from reuse.journal import AppendOnlyModel
from reuse.programmes.models import (
    json_list_contains,
)

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
    signed_name = NameField(_("nom signé à l’écran"), max_length=150, blank=True)
    # The consent itself: when it was given and who recorded it (the referrer who collected it in person, or the
    # household when it accepted in its own space). Empty while a request waits for the household's answer.
    consented_at = models.DateTimeField(_("accord donné le"), null=True, blank=True, default=timezone.now)
    consent_recorded_by = optional_link(_("accord enregistré par"))
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
    # As written, in the writer's language (the admin reads it); pages read `detail_text`, from `facts`.
    detail = models.CharField(_("détail"), max_length=255, blank=True)
    # Nullable: the release before this one writes entries without it (docs/deploy.md, zero downtime).
    facts = models.JSONField(_("faits"), default=dict, blank=True, null=True)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("action sous mandat")
        verbose_name_plural = _("journal des mandats")

    def __str__(self):
        return f"{self.get_action_display()} ({self.actor})"

    @property
    def detail_text(self) -> str:
        """The detail in the reader's language (journal_facts.py)."""
        return journal_facts.read(self.facts, self.detail)

    @classmethod
    def log(cls, *, mandate, actor, action, facts=None):
        facts = facts or {}
        return cls.objects.create(
            mandate=mandate,
            household=mandate.household,
            actor=actor,
            organisation=mandate.referrer_organisation,
            action=action,
            detail=journal_facts.read(facts, "")[:255],
            facts=facts,
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
