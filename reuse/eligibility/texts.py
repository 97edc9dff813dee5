"""What eligibility stores for staff to read later, beside the decisions' reasons (reuse.eligibility.reasons):
codes with parameters (reuse.errors.Text), written out in the reader's language."""

from django.utils.translation import gettext_lazy as _

from reuse.errors import Text

SAME_HOUSEHOLD = Text("duplicate_same_identity", _("Même nom, même date de naissance et même code postal."))
