"""Staff back-office for after-care: each programme's warranty and follow-up delay, tickets and follow-ups."""

from django.utils.translation import gettext_lazy as _

from reuse.aftercare.models import AftercareRules, FollowUp, Ticket
from reuse.backoffice import NoAddDeletePolicy, listing, register_group, register_policy

# A ticket and a follow-up are opened by the services with the claim they follow, and hold what the household said:
# staff correct them, never add nor delete one.
register_policy(NoAddDeletePolicy, Ticket, FollowUp, exact_class=True)

register_group(
    _("Après la remise"),
    "help",
    listing(
        (AftercareRules, "aftercare/rules", "date", _("Garantie par programme")),
        list_display=["programme", "warranty_months", "follow_up_days"],
        form_fields=["programme", "warranty_months", "follow_up_days"],
    ),
    listing(
        (Ticket, "aftercare/ticket", "warning", _("Tickets de garantie")),
        list_display=["__str__", "claim", "status", "channel", "warranty_until", "created", "closed_at"],
        list_filter=["status", "channel"],
        inspect_view_enabled=True,
        # Steps are taken by the workshop through the services (device lifecycle, claims, refunds), never here.
        add_view_enabled=False,
        form_fields=["description"],
    ),
    listing(
        (FollowUp, "aftercare/follow-up", "list-ul", _("Questionnaires à 3 mois")),
        list_display=["__str__", "due_on", "answered_at", "usage", "channel"],
        list_filter=["usage", "channel"],
        inspect_view_enabled=True,
        # The code printed on the household's receipt opens its questionnaire: staff do not read it.
        inspect_view_fields_exclude=["code"],
        add_view_enabled=False,
        form_fields=["due_on"],
    ),
)
