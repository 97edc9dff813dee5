"""What the platform writes in a device's journal beside a move: codes with parameters (reuse.errors.Text),
written out in the reader's language (the workshop's technicians, staff, a donor reading its report)."""

from django.utils.translation import gettext_lazy as _

from donations.models import LotItem
from reuse.errors import Text
from reuse.money import format_euros


def _checklist(names: list[str]) -> str:
    """The release checklist's fields by their label (their code is kept)."""
    return ", ".join(str(LotItem._meta.get_field(name).verbose_name) for name in names)


def _list(names: list[str]) -> str:
    return ", ".join(names)


# Entry into the stock.
FROM_LOT = Text("journal_device_from_lot", _("Entrée en stock depuis le lot « %(lot)s »."))
DIRECT = Text("journal_device_direct", _("Don direct."))
TO_RELEASE = Text("journal_device_to_release", _("À lever avant réemploi : %(w)s."), w=_checklist)
STOCK_IMPORT = Text("journal_device_stock_import", _("Import CSV du stock."))
BENCH = Text("journal_device_bench", _("Mode établi"))
# Out of the catalogue.
NO_PRICE = Text(
    "journal_device_no_price",
    _("Retiré du catalogue : le programme ne prévoit plus de prix pour ce type et ce grade."),
)
OUT_OF_RANGE = Text(
    "journal_device_out_of_range",
    _("Retiré du catalogue : le prix sort de la fourchette du programme (%(low)s à %(high)s)."),
    low=format_euros,
    high=format_euros,
)
# The media by their serial numbers (a drive's, not a person's).
UNFIT_FAILING = Text(
    "journal_device_unfit_failing",
    _("Retiré du catalogue : le disque %(media)s annonce lui-même une panne (SMART)."),
    media=_list,
)
UNFIT_UNERASED = Text(
    "journal_device_unfit_unerased",
    _("Retiré du catalogue : le support %(media)s a été relevé sans effacement vérifié."),
    media=_list,
)
UNFIT_BOTH = Text(
    "journal_device_unfit_both",
    _(
        "Retiré du catalogue : le disque %(failing)s annonce lui-même une panne (SMART) ; le support %(unerased)s"
        " a été relevé sans effacement vérifié."
    ),
    failing=_list,
    unerased=_list,
)
