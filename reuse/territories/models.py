"""Fragile territories: the public lists staff keep (with their source), the points a programme gives each kind of
territory on its waitlist, and referrers' attestations. A household's territory comes from its address (matched
against the lists) or from a referrer's attestation, never from a box it ticks itself."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reuse import bounds
from reuse.accounts.models import Organisation
from reuse.accounts.validators import validate_department, validate_postcode
from reuse.claims.models import Claim
from reuse.eligibility.models import Mandate
from reuse.fields import NameField
from reuse.programmes.models import Programme
from reuse.territories.enums import TerritoryKind

ATTESTATION_VALIDITY_DAYS = 365


class TerritoryList(models.Model):
    """A public list of areas of one kind (QPV, FRR communes, overseas departments), with where it comes from."""

    kind = models.CharField(_("type de territoire"), max_length=10, choices=TerritoryKind.choices)
    name = NameField(_("nom"), max_length=200)
    source_name = NameField(
        _("source publique"),
        max_length=255,
        help_text=_("Par exemple : ANCT, décret n° 2023-1314 (QPV 2024)."),
    )
    # A CharField with the URL validator: the form field stays a text input (no scheme guessed for the reader).
    source_url = models.CharField(
        _("adresse de la source"), max_length=300, validators=[URLValidator(schemes=["https", "http"])]
    )
    checked_on = models.DateField(_("vérifiée le"))
    is_active = models.BooleanField(_("en vigueur"), default=True)

    class Meta:
        verbose_name = _("liste de territoires")
        verbose_name_plural = _("listes de territoires")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class TerritoryArea(models.Model):
    """One entry of a list: a whole department, or a postcode (with the commune's name for the reader)."""

    territory_list = models.ForeignKey(TerritoryList, on_delete=models.CASCADE, related_name="areas")
    department = models.CharField(
        _("département"), max_length=3, blank=True, validators=[validate_department]
    )
    postcode = models.CharField(_("code postal"), max_length=5, blank=True, validators=[validate_postcode])
    commune = NameField(_("commune ou quartier"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        indexes = [models.Index(fields=["postcode"]), models.Index(fields=["department"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(department="") & ~models.Q(postcode=""))
                | (~models.Q(department="") & models.Q(postcode="")),
                name="territory_area_department_or_postcode",
            )
        ]

    def __str__(self):
        return self.postcode or self.department


class TerritoryWeights(bounds.BoundedModel):
    """The points a programme's waitlist gives a household living in each kind of fragile territory: priority
    points like the programme's own weights, with their bounds."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="territory_weights")
    weight_qpv = models.PositiveSmallIntegerField(
        _("poids : quartier prioritaire (QPV)"), default=0, validators=bounds.PRIORITY_WEIGHT.validators
    )
    weight_rural = models.PositiveSmallIntegerField(
        _("poids : zone rurale à revitaliser (FRR/ZRR)"),
        default=0,
        validators=bounds.PRIORITY_WEIGHT.validators,
    )
    weight_overseas = models.PositiveSmallIntegerField(
        _("poids : outre-mer"), default=0, validators=bounds.PRIORITY_WEIGHT.validators
    )

    class Meta:
        verbose_name = _("poids des territoires")
        verbose_name_plural = _("poids des territoires")
        constraints = bounds.constraints(
            "territoryweights",
            {name: bounds.PRIORITY_WEIGHT for name in ("weight_qpv", "weight_rural", "weight_overseas")},
        )

    def __str__(self):
        return str(self.programme)

    def points(self, kinds) -> int:
        return (
            self.weight_qpv * (TerritoryKind.QPV in kinds)
            + self.weight_rural * (TerritoryKind.RURAL in kinds)
            + self.weight_overseas * (TerritoryKind.OVERSEAS in kinds)
        )


class AttestationQuerySet(models.QuerySet):
    def valid(self, at=None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=at or timezone.now())


def _attestation_expiry():
    return timezone.now() + timedelta(days=ATTESTATION_VALIDITY_DAYS)


class TerritoryAttestation(models.Model):
    """A referrer, under a mandate, attests that the household lives in a fragile territory (a QPV street that a
    postcode cannot tell, for instance)."""

    household = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type de territoire"), max_length=10, choices=TerritoryKind.choices)
    attested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referrer_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("valable jusqu’au"), default=_attestation_expiry)
    revoked_at = models.DateTimeField(_("retirée le"), null=True, blank=True)

    objects = AttestationQuerySet.as_manager()

    class Meta:
        verbose_name = _("attestation de territoire")
        verbose_name_plural = _("attestations de territoire")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.household} : {self.get_kind_display()}"


class ClaimTerritory(models.Model):
    """The territories of the household when its device was handed over: what the impact page counts."""

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="territory")
    kinds = models.JSONField(default=list)

    class Meta:
        verbose_name = _("territoire d’une remise")
        verbose_name_plural = _("territoires des remises")

    def __str__(self):
        return f"{self.claim_id}: {', '.join(self.kinds) or '-'}"
