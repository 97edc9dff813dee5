"""Staff keep the territory lists (with their public source) and each programme's territory weights."""

from django.utils.translation import gettext_lazy as _

from reuse.admin_actions import ConfirmObjectActionView
from reuse.backoffice import NoAddDeletePolicy, ObjectAction, listing, register_group, register_policy
from reuse.territories import services
from reuse.territories.models import TerritoryArea, TerritoryAttestation, TerritoryList, TerritoryWeights

# A referrer attests a household's territory under a mandate; staff only withdraw an attestation, with its action
# (a date typed in a field could also bring a withdrawn attestation back, or date a withdrawal at will).
register_policy(NoAddDeletePolicy, TerritoryAttestation, exact_class=True)


class RevokeAttestationView(ConfirmObjectActionView):
    template_name = "territories/admin/revoke_attestation.html"
    page_title = _("Retirer une attestation de territoire")
    object_context_name = "attestation"

    def act(self, request):
        services.revoke_attestation(attestation=self.object)
        return _("L’attestation « %(attestation)s » est retirée.") % {"attestation": self.object}


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
        edit_view_enabled=False,
        inspect_view_enabled=True,
        form_fields=[],
        object_actions=(
            ObjectAction(
                "revoke",
                _("Retirer l’attestation"),
                "cross",
                RevokeAttestationView,
                shown=lambda attestation: attestation.revoked_at is None,
                page_label=_("Retirer"),
            ),
        ),
    ),
)
