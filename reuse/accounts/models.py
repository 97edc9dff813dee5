from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from reuse import bounds
from reuse.accounts.enums import (
    MembershipRole,
    NotificationState,
    OrganisationKind,
    OrganisationStatus,
)
from reuse.accounts.validators import (
    clean_phone_attribute,
    department_from_postcode,
    normalise_postcode,
    validate_department,
    validate_postcode,
)
from reuse.fields import NameField, optional_link, weak_link
from reuse.journal import kept_fields_changed
from reuse.names import search_name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        email = self.normalize_email(email).lower() if email else None
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Keyed by email; a household created by a referrer may have none and signs in with a code."""

    email = models.EmailField(_("adresse e-mail"), unique=True, null=True, blank=True)
    # An address asked for but not yet confirmed by the link sent to it (reuse.accounts.identifiers): nothing is
    # sent to it but that link, and `email` stays the one used until it is followed.
    pending_email = models.EmailField(_("adresse e-mail à confirmer"), blank=True, default="")
    # When a confirmation link last gave the account its address: part of every such link's signature, so that a
    # link once used is dead for good, even when the account later asks again for the same change.
    email_confirmed_at = models.DateTimeField(
        _("adresse confirmée le"), null=True, blank=True, editable=False
    )
    first_name = NameField(_("prénom"), max_length=150, blank=True)
    last_name = NameField(_("nom"), max_length=150, blank=True)
    # The names folded as every people search compares them (reuse.names): kept by save(), whichever
    # path writes the names (forms, API, admin, closing an account), so that a search is one indexed column.
    search_name = models.CharField(max_length=310, editable=False, default="", db_index=True)
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("équipe Rebond"), default=False)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)
    # The language every message to the person is written in (reuse/accounts/emails.py): the one of the page
    # they signed up on, then the one they last chose with the site's switcher or on their account page.
    language = models.CharField(
        _("langue"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self):
        return self.get_full_name() or self.email or f"#{self.pk}"

    def save(self, *args, **kwargs):
        if self.email:
            self.email = self.email.strip().lower()
        else:
            self.email = None
        self.search_name = search_name(self.first_name, self.last_name)
        fields = kwargs.get("update_fields")
        if fields is not None and {"first_name", "last_name"} & set(fields):
            kwargs["update_fields"] = {*fields, "search_name"}
        super().save(*args, **kwargs)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email or ""


class HouseholdProfile(bounds.BoundedModel):
    """What a household tells about itself; the minimum the programmes' rules need."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="household")
    postcode = models.CharField(_("code postal"), max_length=5, validators=[validate_postcode])
    department = models.CharField(_("département"), max_length=3, editable=False)
    household_size = models.PositiveSmallIntegerField(
        _("personnes dans le foyer"), default=1, validators=bounds.HOUSEHOLD_SIZE.validators
    )
    birth_date = models.DateField(
        _("date de naissance"), null=True, blank=True, validators=bounds.BIRTH_DATE_VALIDATORS
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("profil de foyer")
        verbose_name_plural = _("profils de foyer")
        constraints = [
            models.CheckConstraint(
                condition=bounds.HOUSEHOLD_SIZE.condition("household_size"), name="household_size_range"
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.postcode})"

    def save(self, *args, **kwargs):
        self.postcode = normalise_postcode(self.postcode)
        self.department = department_from_postcode(self.postcode)
        super().save(*args, **kwargs)


class OrganisationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=OrganisationStatus.APPROVED)

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def for_user(self, user):
        return self.filter(memberships__user=user).distinct()


class Organisation(models.Model):
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    name = NameField(_("nom"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, db_index=True)
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True)
    address = NameField(_("adresse"), max_length=255)
    postcode = models.CharField(_("code postal"), max_length=5, validators=[validate_postcode])
    city = NameField(_("commune"), max_length=120)
    department = models.CharField(_("département"), max_length=3, validators=[validate_department])
    email = models.EmailField(_("e-mail de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=OrganisationStatus.choices, default=OrganisationStatus.PENDING
    )
    approved_at = models.DateTimeField(_("vérifiée le"), null=True, blank=True)
    approved_by = optional_link(_("vérifiée par"), User)
    created = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(siret="", rna="") | models.Q(kind="hub"),
                name="organisation_has_identifier",
            ),
            models.UniqueConstraint(
                fields=["siret", "kind"], condition=~models.Q(siret=""), name="organisation_siret_kind_unique"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        """The admin's form: a pending sign-up's kind may be corrected, an organisation let in keeps it (its kind
        gave its members their roles, its profile, its stock or lots, its claims). Its phone number is kept in
        the one form of the sign-up forms (validators.normalise_phone)."""
        super().clean()
        clean_phone_attribute(self)
        let_in = Organisation.objects.exclude(status=OrganisationStatus.PENDING)
        if kept_fields_changed(self, ["kind"], let_in):
            raise ValidationError(
                {"kind": _("Cette organisation a déjà été approuvée : son type ne change plus.")}
            )

    @property
    def is_approved(self):
        return self.status == OrganisationStatus.APPROVED


class Membership(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("rôle"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"


class Notification(models.Model):
    """An email we owe someone; written in the same transaction as the event, sent by a task after commit."""

    recipient = weak_link(_("destinataire"), User)
    # The household an email to someone else names (its referrer, its association): the row goes when that
    # household closes its account (reuse.accounts.privacy), as the household's own emails do.
    about = weak_link(_("foyer"), User)
    to_email = models.EmailField(_("adresse e-mail"))
    language = models.CharField(
        _("langue"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    template = models.CharField(_("modèle"), max_length=100)
    subject = models.CharField(_("objet"), max_length=255)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML"), blank=True)
    state = models.CharField(
        _("état"), max_length=10, choices=NotificationState.choices, default=NotificationState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("essais"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    # After a failure: when the next attempt is due (backoff); empty once sent or given up.
    next_attempt_at = models.DateTimeField(_("prochain essai"), null=True, blank=True)
    created = models.DateTimeField(_("créée le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["state", "created"]),
            models.Index(fields=["state", "next_attempt_at"]),
        ]

    def __str__(self):
        return f"{self.template} → {self.to_email}"


class UnsentTask(models.Model):
    """A task the broker could not take when it was queued (Redis down or out of reach): the work it stands for is
    committed, so it is kept here and queued again by the beat's sweep (reuse.accounts.tasks.publish_unsent_tasks)
    once the broker answers. One row per task, arguments and due time: queued twice while the broker is down, it
    runs once (every task takes primary keys and does its work once). How it was to be delivered is kept with it
    (reuse.celery.DELIVERY): when it is due (a countdown becomes an absolute `eta`), until when it may run, its
    queue, priority, headers and retry count."""

    key = models.CharField(_("clé"), max_length=64, unique=True)
    task = models.CharField(_("tâche"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    kwargs = models.JSONField(_("arguments nommés"), default=dict)
    eta = models.DateTimeField(_("à lancer à partir du"), null=True, blank=True)
    expires = models.DateTimeField(_("expire le"), null=True, blank=True)
    options = models.JSONField(_("options d’envoi"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("essais"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("tâche en attente du courtier")
        verbose_name_plural = _("tâches en attente du courtier")
        ordering = ["pk"]
        # Staff who may read the waiting tasks are not thereby allowed to queue them again.
        permissions = [("resend_unsenttask", _("Peut renvoyer une tâche en attente du courtier"))]

    def __str__(self):
        return self.task

    def waiting_since(self) -> str:
        """How long it has waited, in the reader's language (« 2 heures, 5 minutes »)."""
        return timesince(self.created)

    waiting_since.short_description = _("en attente depuis")


class InvitationQuerySet(models.QuerySet):
    def open(self, at=None):
        return self.filter(accepted_at__isnull=True, expires_at__gt=at or timezone.now())


class Invitation(models.Model):
    """An emailed link to join an organisation; accepted once, before it expires."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(
        _("rôle"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = optional_link(to=User)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"


class VerifiedProfileQuerySet(models.QuerySet):
    def verify(self, by) -> int:
        """Mark those staff had not verified yet as verified now by `by`, in one conditional UPDATE."""
        return self.filter(verified_at__isnull=True).update(verified_at=timezone.now(), verified_by=by)


class VerifiedProfile(models.Model):
    """What an organisation of a kind declares beyond the organisation's own fields (an association's purpose, a
    small structure's headcount), and whether staff verified it. The subclass adds its `organisation` link."""

    verified_at = models.DateTimeField(_("vérifiée le"), null=True, blank=True)
    verified_by = optional_link()
    created = models.DateTimeField(auto_now_add=True)

    objects = VerifiedProfileQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created"]

    def __str__(self):
        return str(self.organisation)

    @property
    def is_verified(self):
        return self.verified_at is not None


class IdempotentRequest(models.Model):
    """A write an API client may send again after a timeout, under its `Idempotency-Key` header: the first answer,
    replayed to the retries (reuse/api_retries.py). `status_code` is empty while the first request runs."""

    # How long a retry is answered from the first request; rows older than this are deleted (nightly, and before a
    # new key of the same person): a kept answer may name a household.
    LIFETIME = timedelta(hours=24)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    etag = models.CharField(max_length=100, blank=True)
    body = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_per_user")]
        indexes = [models.Index(fields=["user", "created"], name="idempotent_request_age")]

    def __str__(self):
        return f"{self.user_id} {self.key}"
