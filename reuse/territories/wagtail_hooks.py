"""Staff keep the territory lists (with their public source) and each programme's territory weights."""

from django.utils.translation import gettext_lazy as _

from reuse.backoffice import NoAddDeletePolicy, listing, register_group, register_policy
from reuse.territories.models import TerritoryArea, TerritoryAttestation, TerritoryList, TerritoryWeights

# A referrer attests a household's territory under a mandate; staff only withdraw an attestation (revoked_at).
register_policy(NoAddDeletePolicy, TerritoryAttestation, exact_class=True)

register_group(
    _("Territoires fragiles"),
    "site",
    listing(
        (TerritoryList, "territories/list", "site", _("Listes de territoires")),
        list_display=["name", "kind", "source_name", "checked_on", "is_active"],
        list_filter=["kind", "is_active"],
        form_fields=["kind", "name", "source_name", "source_url", "checked_on", "is_active"],
    ),
    listing(
        (TerritoryArea, "territories/area", "pick", _("Zones des listes")),
        list_display=["__str__", "commune", "territory_list"],
        list_filter=["territory_list"],
        search_fields=["postcode", "department", "commune"],
        form_fields=["territory_list", "department", "postcode", "commune"],
    ),
    listing(
        (TerritoryWeights, "territories/weights", "order", _("Poids des territoires par programme")),
        list_display=["programme", "weight_qpv", "weight_rural", "weight_overseas"],
        form_fields=["programme", "weight_qpv", "weight_rural", "weight_overseas"],
    ),
    listing(
        (TerritoryAttestation, "territories/attestation", "doc-full", _("Attestations de territoire")),
        list_display=["__str__", "referrer_organisation", "created", "expires_at", "revoked_at"],
        list_filter=["kind"],
        add_view_enabled=False,
        form_fields=["revoked_at"],
    ),
)
