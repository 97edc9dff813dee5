"""After the handover: the warranty a programme gives, warranty tickets with their history, the 3-month follow-up."""

import secrets

from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inventory.models import Device
from reuse.aftercare.enums import (
    OPEN_TICKET_STATUSES,
    FollowUpChannel,
    TicketChannel,
    TicketStatus,
    Usage,
)
from reuse.claims.models import Claim, new_handover_code
from reuse.fields import NoteField, optional_link
from reuse.lifecycle import StatusChange, state_fields
from reuse.programmes.models import Programme

DEFAULT_WARRANTY_MONTHS = 6
DEFAULT_FOLLOW_UP_DAYS = 90
FOLLOW_UP_CODE_LENGTH = 8


def private_storage():
    return storages["private"]


def ticket_photo_path(instance, filename):
    # Never the original name: it may carry personal data.
    return f"aftercare/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.jpg"


class AftercareRules(models.Model):
    """What a programme promises after the handover: how long the warranty runs, when the follow-up comes."""

    programme = models.OneToOneField(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="aftercare_rules"
    )
    warranty_months = models.PositiveSmallIntegerField(
        _("garantie (mois)"),
        default=DEFAULT_WARRANTY_MONTHS,
        help_text=_(
            "Par exemple 6 ou 12 mois, pour un appareil donné sans rien à payer. Un appareil vendu reste garanti "
            "au moins deux ans (garantie légale de conformité) ; chaque réparation ajoute six mois."
        ),
    )
    follow_up_days = models.PositiveSmallIntegerField(
        _("questionnaire de suivi après (jours)"), default=DEFAULT_FOLLOW_UP_DAYS
    )

    class Meta:
        verbose_name = _("règles d’après-remise")
        verbose_name_plural = _("règles d’après-remise")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(warranty_months__gte=1, warranty_months__lte=60),
                name="aftercare_warranty_months_range",
            ),
            models.CheckConstraint(
                condition=models.Q(follow_up_days__gte=7, follow_up_days__lte=365),
                name="aftercare_follow_up_days_range",
            ),
        ]

    def __str__(self):
        return f"{self.programme}: {self.warranty_months} mois"


class TicketQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_TICKET_STATUSES)


class Ticket(models.Model):
    """A problem with a handed-over device, told in plain words, and what the workshop did about it."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("demande"), on_delete=models.PROTECT, related_name="tickets"
    )
    device = models.ForeignKey(
        Device, verbose_name=_("appareil"), on_delete=models.PROTECT, related_name="tickets"
    )
    channel = models.CharField(_("ouvert"), max_length=12, choices=TicketChannel.choices)
    opened_by = optional_link(_("ouvert par"))
    description = NoteField(_("ce qui ne va pas"))
    photo = models.FileField(
        _("photo"), upload_to=ticket_photo_path, storage=private_storage, blank=True, max_length=200
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.OPEN
    )
    warranty_until = models.DateField(_("garantie jusqu’au"))
    replacement_claim = models.OneToOneField(
        Claim,
        verbose_name=_("demande de remplacement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces_ticket",
    )
    created = models.DateTimeField(_("ouvert le"), auto_now_add=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket de garantie")
        verbose_name_plural = _("tickets de garantie")
        ordering = ["-created", "-pk"]
        constraints = [
            # One problem at a time per device: a second report is added to the open ticket's history.
            models.UniqueConstraint(
                fields=["device"],
                condition=models.Q(status__in=[s.value for s in OPEN_TICKET_STATUSES]),
                name="one_open_ticket_per_device",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="swapped") | models.Q(replacement_claim__isnull=False),
                name="swapped_ticket_has_replacement",
            ),
        ]

    def __str__(self):
        return f"Ticket n° {self.pk} ({self.device})"

    @property
    def is_open(self):
        return self.status in OPEN_TICKET_STATUSES


class TicketEvent(StatusChange):
    """The history of a ticket: each step, who took it, and the words said to the household."""

    SUBJECT = "ticket"

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events")
    from_status, to_status = state_fields(TicketStatus, 12)
    note = NoteField(_("message au foyer"), blank=True)

    class Meta(StatusChange.Meta):
        verbose_name = _("étape de ticket")
        verbose_name_plural = _("historique des tickets")


def new_follow_up_code() -> str:
    return new_handover_code(FOLLOW_UP_CODE_LENGTH)


class FollowUpQuerySet(models.QuerySet):
    def answered(self):
        return self.filter(answered_at__isnull=False)

    def due(self, on=None):
        return self.filter(answered_at__isnull=True, due_on__lte=on or timezone.localdate())


class FollowUp(models.Model):
    """The 3-month questionnaire of one handed-over device: offered by email, by the code on the receipt, or
    filled in by the referrer with the household. Answered once."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="follow_up")
    code = models.CharField(_("code du questionnaire"), max_length=12, unique=True)
    due_on = models.DateField(_("à partir du"))
    emailed_at = models.DateTimeField(_("proposé par e-mail le"), null=True, blank=True)
    stopped_at = models.DateTimeField(
        _("plus de questionnaire par e-mail depuis le"),
        null=True,
        blank=True,
        help_text=_(
            "La personne a demandé, depuis le lien de l’e-mail, à ne plus recevoir ce questionnaire."
        ),
    )
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    answered_by = optional_link()
    channel = models.CharField(_("répondu"), max_length=10, choices=FollowUpChannel.choices, blank=True)
    usage = models.CharField(_("l’appareil sert-il ?"), max_length=10, choices=Usage.choices, blank=True)
    purposes = models.JSONField(_("pour quoi faire"), default=list, blank=True)
    has_problem = models.BooleanField(_("un problème"), null=True, blank=True)
    wants_help = models.BooleanField(_("aimerait de l’aide"), null=True, blank=True)
    ticket = models.OneToOneField(
        Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="follow_up"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire à 3 mois")
        verbose_name_plural = _("questionnaires à 3 mois")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True) | ~models.Q(usage=""),
                name="follow_up_answer_has_usage",
            )
        ]

    def __str__(self):
        return f"Suivi de la demande n° {self.claim_id}"

    @property
    def in_use(self) -> bool:
        return self.usage in (Usage.DAILY, Usage.SOMETIMES)

    @property
    def code_display(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"
