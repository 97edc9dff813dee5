"""The two other legs of the tripod: connection (offers, data allowances) and skills (mediation places,
first-use sessions, the handover checklist), plus the Pass numérique cheques handed over with a device."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin

from inventory.opening_hours import readable
from reuse.accounts.models import Organisation
from reuse.claims.models import Claim, VoucherFunder
from reuse.eligibility.enums import Criterion
from reuse.eligibility.models import EligibilityDecision, Mandate
from reuse.money import CentsField
from reuse.tripod.enums import (
    ACTIVE_BOOKING_STATUSES,
    BookingStatus,
    ChecklistItem,
    ImportSource,
    OfferKind,
    Subscribed,
)


def _codes(value) -> list[str]:
    return [code.strip().upper() for code in (value or "").replace(";", ",").split(",") if code.strip()]


class OfferQuerySet(models.QuerySet):
    def published(self):
        return self.filter(live=True)

    def opened_by(self, criteria, department: str):
        """Live offers that one of `criteria` opens, in `department` (or everywhere), cheapest first."""
        matching = [
            offer
            for offer in self.published()
            if set(offer.criteria or []) & set(criteria or [])
            and (not offer.department_codes or department.upper() in offer.department_codes)
        ]
        return sorted(
            matching, key=lambda offer: (offer.first_year_cents, offer.monthly_price_cents, offer.pk)
        )


class ConnectivityOffer(RevisionMixin, models.Model):
    """A social connectivity offer, kept by staff as content: prices change, the code does not."""

    provider = models.CharField(_("opérateur ou association"), max_length=120)
    name = models.CharField(_("nom de l’offre"), max_length=160)
    kind = models.CharField(_("type"), max_length=20, choices=OfferKind.choices)
    summary = models.CharField(_("ce qui est compris"), max_length=300, help_text=_("En mots simples."))
    monthly_price_cents = CentsField(_("prix par mois (€)"))
    commitment_months = models.PositiveSmallIntegerField(_("engagement (mois)"), default=0)
    deposit_cents = CentsField(_("dépôt de garantie (€)"), default=0)
    activation_fee_cents = CentsField(_("frais de mise en service (€)"), default=0)
    criteria = models.JSONField(
        _("critères qui ouvrent l’offre"),
        default=list,
        help_text=_("Codes des critères Rebond : rsa, aah, ass, aspa, css, prime_activite, bourse…"),
    )
    departments = models.CharField(
        _("départements"),
        max_length=300,
        blank=True,
        help_text=_("Codes séparés par des virgules (93, 75, 2A…) ; vide : partout en France."),
    )
    subscribe_phone = models.CharField(_("souscrire par téléphone"), max_length=40, blank=True)
    subscribe_shop = models.CharField(_("souscrire en boutique"), max_length=200, blank=True)
    subscribe_url = models.URLField(_("souscrire en ligne"), blank=True)
    documents = models.TextField(_("documents à apporter"), help_text=_("Un document par ligne."))
    checked_on = models.DateField(_("prix vérifiés le"))
    live = models.BooleanField(_("publiée"), default=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offre de connexion sociale")
        verbose_name_plural = _("offres de connexion sociale")
        ordering = ["monthly_price_cents", "pk"]

    def __str__(self):
        return f"{self.provider} — {self.name}"

    def clean(self):
        unknown = [code for code in self.criteria or [] if code not in Criterion.values]
        if unknown:
            raise ValidationError(
                {"criteria": _("Critères inconnus : %(codes)s") % {"codes": ", ".join(unknown)}}
            )
        if not self.criteria:
            raise ValidationError({"criteria": _("Indiquez au moins un critère qui ouvre l’offre.")})
        if not (self.subscribe_phone or self.subscribe_shop or self.subscribe_url):
            raise ValidationError(_("Dites comment souscrire : par téléphone, en boutique ou en ligne."))

    @property
    def department_codes(self) -> list[str]:
        return _codes(self.departments)

    @property
    def first_year_cents(self) -> int:
        """What the first year costs, fees included: the order in which offers are shown."""
        return self.monthly_price_cents * 12 + self.activation_fee_cents + self.deposit_cents

    @property
    def document_lines(self) -> list[str]:
        return [line.strip() for line in self.documents.splitlines() if line.strip()]

    @property
    def criteria_labels(self) -> list[str]:
        return [str(Criterion(code).label) for code in self.criteria or [] if code in Criterion.values]


class Orientation(models.Model):
    """A household pointed to an offer (the orientation sheet was printed), and what it says it did."""

    household = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="orientations",
        verbose_name=_("foyer"),
    )
    offer = models.ForeignKey(
        ConnectivityOffer, on_delete=models.PROTECT, related_name="orientations", verbose_name=_("offre")
    )
    decision = models.ForeignKey(
        EligibilityDecision, on_delete=models.PROTECT, related_name="+", verbose_name=_("décision")
    )
    oriented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("orienté par")
    )
    subscribed = models.CharField(
        _("abonnement pris"), max_length=10, choices=Subscribed.choices, default=Subscribed.UNKNOWN
    )
    subscribed_declared_at = models.DateTimeField(_("déclaré le"), null=True, blank=True)
    created = models.DateTimeField(_("orienté le"), auto_now_add=True)

    class Meta:
        verbose_name = _("orientation vers une offre")
        verbose_name_plural = _("orientations vers une offre")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["household", "offer"], name="one_orientation_per_offer"),
        ]

    def __str__(self):
        return f"{self.household} → {self.offer}"


class AllowanceStock(models.Model):
    """Data allowances (SIM cards, vouchers) a partner association gives a workshop to hand over with devices."""

    workshop = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="allowance_stocks", verbose_name=_("atelier")
    )
    partner = models.CharField(_("association partenaire"), max_length=160)
    description = models.CharField(
        _("ce que c’est"), max_length=200, help_text=_("Par exemple : carte SIM 20 Go pendant 3 mois.")
    )
    quantity = models.PositiveIntegerField(_("reçus"))
    remaining = models.PositiveIntegerField(_("restants"))
    created = models.DateTimeField(_("reçu le"), auto_now_add=True)

    class Meta:
        verbose_name = _("stock de forfaits de données")
        verbose_name_plural = _("stocks de forfaits de données")
        ordering = ["workshop", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(remaining__lte=models.F("quantity")),
                name="allowance_remaining_within_stock",
            ),
        ]

    def __str__(self):
        return f"{self.description} ({self.partner}) — {self.remaining}/{self.quantity}"

    def clean(self):
        if self.remaining is not None and self.quantity is not None and self.remaining > self.quantity:
            raise ValidationError({"remaining": _("Il ne peut pas en rester plus qu’il n’en a été reçu.")})


class AllowanceHandout(models.Model):
    """One allowance attached to a claim at the counter."""

    claim = models.OneToOneField(
        Claim, on_delete=models.PROTECT, related_name="data_allowance", verbose_name=_("demande")
    )
    stock = models.ForeignKey(
        AllowanceStock, on_delete=models.PROTECT, related_name="handouts", verbose_name=_("stock")
    )
    reference = models.CharField(_("n° de carte SIM ou de bon"), max_length=60, blank=True)
    handed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("remis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("forfait de données remis")
        verbose_name_plural = _("forfaits de données remis")

    def __str__(self):
        return f"#{self.claim_id}: {self.stock.description}"


class MediationPlace(models.Model):
    """A digital mediation place from the national open data (LaMednum schema), updated by its `id`."""

    external_id = models.CharField(_("identifiant (id)"), max_length=200, unique=True)
    pivot = models.CharField(_("SIRET ou RNA"), max_length=20)
    name = models.CharField(_("nom"), max_length=300)
    commune = models.CharField(_("commune"), max_length=200)
    postcode = models.CharField(_("code postal"), max_length=5, db_index=True)
    address = models.CharField(_("adresse"), max_length=300)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    services = models.JSONField(_("services"), default=list)
    opening_hours = models.CharField(_("horaires (OpenStreetMap)"), max_length=500, blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    emails = models.CharField(_("courriels"), max_length=300, blank=True)
    website = models.CharField(_("site web"), max_length=300, blank=True)
    typology = models.CharField(_("typologie"), max_length=200, blank=True)
    fees = models.CharField(_("frais à charge"), max_length=200, blank=True)
    access = models.CharField(_("modalités d’accès"), max_length=300, blank=True)
    accessibility = models.CharField(_("accessibilité"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_on = models.DateField(_("mis à jour le (date_maj)"))
    imported_at = models.DateTimeField(_("importé le"), default=timezone.now)

    class Meta:
        verbose_name = _("lieu de médiation numérique")
        verbose_name_plural = _("lieux de médiation numérique")
        ordering = ["postcode", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="place_coordinates_in_range",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.postcode} {self.commune})"

    @property
    def opening_hours_words(self) -> list[str]:
        return readable(self.opening_hours)


class PlaceImport(models.Model):
    """One run of the mediation-places import: where from, what it did, and the rows it refused (by row)."""

    source = models.CharField(_("origine"), max_length=12, choices=ImportSource.choices)
    filename = models.CharField(_("fichier ou adresse"), max_length=500)
    rows = models.PositiveIntegerField(_("lignes"), default=0)
    created_count = models.PositiveIntegerField(_("créés"), default=0)
    updated_count = models.PositiveIntegerField(_("mis à jour"), default=0)
    errors = models.JSONField(_("erreurs par ligne"), default=list)
    failure = models.CharField(_("échec"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("import de lieux de médiation")
        verbose_name_plural = _("imports de lieux de médiation")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.filename} ({self.created:%d/%m/%Y %H:%M})"


class CommunePoint(models.Model):
    """Where a postcode's commune lies (its town hall), to measure "near home" without a geocoding service."""

    postcode = models.CharField(_("code postal"), max_length=5, db_index=True)
    name = models.CharField(_("commune"), max_length=200)
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [models.UniqueConstraint(fields=["postcode", "name"], name="one_point_per_commune")]

    def __str__(self):
        return f"{self.postcode} {self.name}"


class SlotQuerySet(models.QuerySet):
    def upcoming(self, at=None):
        return self.filter(starts_at__gt=at or timezone.now(), cancelled=False)


class SessionSlot(models.Model):
    """A first-use session ("prise en main") a workshop or a partner mediation place offers."""

    workshop = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="session_slots",
        verbose_name=_("atelier"),
    )
    place = models.ForeignKey(
        MediationPlace,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="session_slots",
        verbose_name=_("lieu partenaire"),
    )
    starts_at = models.DateTimeField(_("début"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=90)
    capacity = models.PositiveSmallIntegerField(_("places"), default=6)
    topic = models.CharField(
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
        return f"{self.host_name} — {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

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
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, null=True, blank=True, related_name="session_bookings"
    )
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(
        _("statut"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
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


class HandoverChecklist(models.Model):
    """What the technician went through with the household at the counter, recorded on the claim."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="handover_checklist")
    items = models.JSONField(_("points vus"), default=list)
    note = models.CharField(_("remarque"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("liste de remise")
        verbose_name_plural = _("listes de remise")

    def __str__(self):
        return f"#{self.claim_id}: {len(self.items)}/{len(ChecklistItem.values)}"

    @property
    def complete(self) -> bool:
        return set(ChecklistItem.values) <= set(self.items or [])

    @property
    def item_labels(self) -> list[tuple[str, bool]]:
        return [(str(label), code in (self.items or [])) for code, label in ChecklistItem.choices]


class PassNumeriqueCheque(models.Model):
    """A Pass numérique cheque handed over with a device, so that its funder sees where its cheques went."""

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="pass_cheques", verbose_name=_("demande")
    )
    funder = models.ForeignKey(
        VoucherFunder, on_delete=models.PROTECT, related_name="pass_cheques", verbose_name=_("financeur")
    )
    booklet_number = models.CharField(_("n° de carnet"), max_length=40)
    cheque_number = models.CharField(_("n° de chèque"), max_length=40)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("remis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("chèque Pass numérique remis")
        verbose_name_plural = _("chèques Pass numérique remis")
        ordering = ["funder", "booklet_number", "cheque_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["funder", "booklet_number", "cheque_number"], name="one_handout_per_pass_cheque"
            )
        ]

    def __str__(self):
        return f"{self.funder} {self.booklet_number}/{self.cheque_number}"
