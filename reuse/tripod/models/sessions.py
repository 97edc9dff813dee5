"""Skills: the first-use sessions workshops publish, and who booked and came."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reuse import places
from reuse.accounts.models import Organisation
from reuse.claims.models import Claim
from reuse.eligibility.models import Mandate
from reuse.fields import NameField, optional_link
from reuse.programmes.departments import department_of_postcode
from reuse.tripod.enums import ACTIVE_BOOKING_STATUSES, BookingStatus
from reuse.tripod.models.places import MediationPlace


class SlotQuerySet(models.QuerySet):
    def upcoming(self, at=None):
        return self.filter(starts_at__gt=at or timezone.now(), cancelled=False)


class SessionSlot(models.Model):
    """A first-use session ("prise en main") a workshop or a partner mediation place offers."""

    workshop = optional_link(_("atelier"), Organisation, related_name="session_slots")
    place = optional_link(_("lieu partenaire"), MediationPlace, related_name="session_slots")
    starts_at = models.DateTimeField(_("début"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=90)
    capacity = models.PositiveSmallIntegerField(_("places"), default=6)
    topic = NameField(
        _("contenu"),
        max_length=200,
        default="",
        blank=True,
        help_text=_("Par exemple : prendre en main son ordinateur."),
    )
    cancelled = models.BooleanField(_("annulée"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    objects = SlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("séance de prise en main")
        verbose_name_plural = _("séances de prise en main")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(workshop__isnull=False, place__isnull=True)
                | models.Q(workshop__isnull=True, place__isnull=False),
                name="slot_has_one_host",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1, capacity__lte=50), name="slot_capacity_range"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=15, duration_minutes__lte=480),
                name="slot_duration_range",
            ),
        ]

    def __str__(self):
        return f"{self.host_name} — {places.when_at(self.starts_at, self, 'd/m/Y H:i')}"

    @property
    def department(self) -> str:
        """Where the session happens, whose time its start is written in (reuse.places)."""
        if self.workshop_id:
            return self.workshop.department
        return department_of_postcode(self.place.postcode)

    @property
    def host_name(self) -> str:
        return self.workshop.name if self.workshop_id else self.place.name

    @property
    def host_address(self) -> str:
        if self.workshop_id:
            return f"{self.workshop.address}, {self.workshop.postcode} {self.workshop.city}"
        return f"{self.place.address}, {self.place.postcode} {self.place.commune}"

    def seats_taken(self) -> int:
        return self.bookings.filter(status__in=ACTIVE_BOOKING_STATUSES).count()


class SessionBooking(models.Model):
    """A household's seat at a first-use session, booked by itself, its referrer (under mandate) or the counter."""

    slot = models.ForeignKey(SessionSlot, on_delete=models.PROTECT, related_name="bookings")
    household = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="session_bookings"
    )
    claim = optional_link(to=Claim, related_name="session_bookings")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    mandate = optional_link(to=Mandate)
    status = models.CharField(
        _("statut"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    marked_by = optional_link()
    created = models.DateTimeField(_("réservée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("réservation de séance")
        verbose_name_plural = _("réservations de séances")
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "household"],
                condition=models.Q(status__in=[s.value for s in ACTIVE_BOOKING_STATUSES]),
                name="one_seat_per_household_and_slot",
            )
        ]

    def __str__(self):
        return f"{self.household} @ {self.slot}"
