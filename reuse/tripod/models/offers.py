"""Connection: the social connectivity offers staff keep, and the orientations made to them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin

from reuse.eligibility.enums import Criterion
from reuse.eligibility.models import EligibilityDecision
from reuse.fields import NameField, NoteField
from reuse.money import CentsField
from reuse.tripod.enums import OfferKind, Subscribed


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

    provider = NameField(_("opérateur ou association"), max_length=120)
    name = NameField(_("nom de l’offre"), max_length=160)
    kind = models.CharField(_("type"), max_length=20, choices=OfferKind.choices)
    summary = NameField(_("ce qui est compris"), max_length=300, help_text=_("En mots simples."))
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
    subscribe_shop = NameField(_("souscrire en boutique"), max_length=200, blank=True)
    subscribe_url = models.URLField(_("souscrire en ligne"), blank=True)
    documents = NoteField(_("documents à apporter"), help_text=_("Un document par ligne."))
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
