"""Stripe events in the admin: staff find those Rebond could not apply (with how often it failed and why), above
all those Stripe no longer sends again, and apply one again once the cause is gone (Stripe back within reach, a fix
deployed). Applying is the webhook's own (`payments.apply_event`): once, whoever asks and however often."""

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet

from reuse.admin_actions import ConfirmObjectActionView
from reuse.backoffice import ObjectAction, ReadOnlyPolicy, listing, register_policy
from reuse.claims import payments
from reuse.claims.models import StripeEvent

# Written by the webhook: read, never added, changed nor deleted in the admin (applied again by the action below).
register_policy(ReadOnlyPolicy, StripeEvent, exact_class=True)

STATES = {
    "not_applied": lambda events: events.not_applied(),
    "given_up": lambda events: events.given_up(),
    "applied": lambda events: events.filter(processed_at__isnull=False),
}


class StripeEventFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("État"),
        method="filter_state",
        choices=[
            ("not_applied", gettext_lazy("Non appliqués")),
            ("given_up", gettext_lazy("Non appliqués, plus renvoyés par Stripe")),
            ("applied", gettext_lazy("Appliqués")),
        ],
    )

    def filter_state(self, queryset, name, value):
        return STATES[value](queryset) if value in STATES else queryset

    class Meta:
        model = StripeEvent
        fields = ["type"]


class ReprocessStripeEventView(ConfirmObjectActionView):
    """GET says what the event is and why it failed; POST applies it once (nothing when it already is)."""

    # Reading the events is the right to apply one again: applying is idempotent, and only a signed event is stored.
    permission_required = "view"
    template_name = "claims/admin/reprocess_stripe_event.html"
    page_title = gettext_lazy("Appliquer de nouveau un événement Stripe")
    object_context_name = "event"

    def act(self, request):
        already = self.object.processed_at is not None
        event = payments.apply_event(event_id=self.object.pk)
        if already:
            return _("L’événement %(event)s était déjà appliqué : rien n’a changé.") % {
                "event": event.event_id
            }
        return _("L’événement %(event)s est appliqué : %(outcome)s.") % {
            "event": event.event_id,
            "outcome": event.outcome,
        }


STRIPE_EVENTS = listing(
    (StripeEvent, "claims/stripeevent", "warning", gettext_lazy("Événements Stripe")),
    filterset_class=StripeEventFilterSet,
    list_display=["event_id", "type", "received_at", "processed_at", "attempts", "last_error", "outcome"],
    search_fields=["event_id"],
    form_fields=[],
    inspect_view_enabled=True,
    # What Stripe sent is kept for applying it again; staff read its type, its outcome and its error.
    inspect_view_fields=[
        "event_id",
        "type",
        "received_at",
        "processed_at",
        "outcome",
        "attempts",
        "last_error",
    ],
    object_actions=(
        ObjectAction(
            "reprocess",
            gettext_lazy("Appliquer de nouveau"),
            "rotate",
            ReprocessStripeEventView,
            shown=lambda event: event.processed_at is None,
            priority=5,
        ),
    ),
)
