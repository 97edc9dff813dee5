"""What a manifest import stores for the donor to read later: why a file or a row was refused, the unusual values,
why the columns need the donor's eye. Kept as codes with parameters (reuse.errors.Text), written out in the
reader's language; the columns by their code, labelled by FIELD_LABELS."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from donations.enums import ManifestColumn
from reuse import places
from reuse.errors import Text
from reuse.money import format_euros
from reuse.texts import grouped

# The columns a row's problem names (the manifest's, plus the purchase date a year may come from).
FIELD_LABELS = {
    "type": _("type d’appareil"),
    "brand": _("marque"),
    "model": _("modèle"),
    "serial": _("numéro de série"),
    "asset_tag": _("numéro d’inventaire"),
    "year": _("année"),
    "purchase_date": _("date d’achat"),
    "cpu": _("processeur"),
    "os": _("système"),
    "ram_gb": _("mémoire"),
    "storage_gb": _("stockage"),
    "condition": _("état"),
    "quantity": _("quantité"),
    "net_book_value": _("valeur nette comptable"),
}
CAPITALISED = {
    "ram_gb": _("Mémoire"),
    "storage_gb": _("Stockage"),
}


def _pairs(pairs) -> str:
    """« header » → column, for the columns recognised without certainty."""
    labels = dict(ManifestColumn.choices)
    return ", ".join(f"« {header} » → {labels.get(field, field)}" for header, field in pairs)


# Rows.
TYPE_REQUIRED = Text("row_type_required", _("Le type d’appareil est obligatoire."))
TYPE_UNKNOWN = Text(
    "row_type_unknown",
    _(
        "Type « %(value)s » inconnu : indiquez ordinateur portable, ordinateur fixe, tablette, "
        "smartphone, écran ou autre."
    ),
)
PLACEHOLDER_SERIAL = Text(
    "row_placeholder_serial",
    _(
        "« %(value)s » n’est pas un numéro de série (le BIOS l’écrit quand le fabricant "
        "n’en a pas mis) : l’appareil est déclaré sans numéro de série."
    ),
)
TOO_LONG = Text("row_too_long", _("Trop long : %(limit)s caractères au plus."))
YEAR_UNREADABLE = Text("row_year_unreadable", _("Année « %(value)s » invalide (ex. 2019)."))
PURCHASE_DATE_UNREADABLE = Text(
    "row_purchase_date_unreadable", _("Date d’achat « %(value)s » illisible (ex. 01/03/2021).")
)
NOT_A_SIZE = Text("row_not_a_size", _("« %(value)s » n’est pas une taille en Go (ex. 8 ou 8 Go)."))
BAD_QUANTITY = Text("row_bad_quantity", _("La quantité doit être un nombre entier d’au moins 1."))
SERIAL_QUANTITY = Text(
    "row_serial_quantity", _("Une ligne avec un numéro de série ne décrit qu’un appareil (quantité 1).")
)
BAD_BOOK_VALUE = Text(
    "row_bad_book_value", _("La valeur nette comptable doit être un montant en euros (ex. 12,50).")
)
BOOK_VALUE_ABOVE = Text(
    "row_book_value_above",
    _("La valeur nette comptable d’une ligne ne peut pas dépasser %(max)s."),
    max=format_euros,
)
DUPLICATE_SERIAL = Text(
    "row_duplicate_serial", _("Numéro de série « %(serial)s » en double (déjà ligne %(first)s).")
)
EXTRA_VALUES = Text("row_extra_values", _("Cette ligne a plus de valeurs que d’en-têtes."))
# Unusual values (warnings).
UNUSUAL_SIZE = Text(
    "row_unusual_size",
    _("%(label)s de %(value)s Go inhabituel(le) pour ce type d’appareil (attendu : %(low)s à %(high)s Go)."),
    label=CAPITALISED,
    value=grouped,
    low=grouped,
    high=grouped,
)
UNUSUAL_BOOK_VALUE = Text(
    "row_unusual_book_value",
    _("Valeur nette comptable de %(value)s inhabituelle pour un appareil d’occasion."),
    value=format_euros,
)
UNUSUAL_YEAR = Text("row_unusual_year", _("Année %(year)s inhabituelle pour un appareil donné aujourd’hui."))
# Columns the donor confirms.
COLUMNS_GUESSED = Text("columns_guessed", _("Colonnes reconnues sans certitude : %(list)s."), list=_pairs)
COLUMNS_TIED = Text(
    "columns_tied",
    _("Plusieurs colonnes peuvent contenir « %(field)s » : choisissez-en une."),
    field=dict(ManifestColumn.choices),
)
NO_COLUMN = Text("columns_none", _("Aucune colonne n’a été reconnue."))
NO_TYPE_COLUMN = Text(
    "columns_no_type",
    _(
        "Rien n’indique le type des appareils : choisissez la colonne du type ou un type pour toutes les lignes."
    ),
)
# The whole file or the import.
TOO_MANY_ROWS = Text(
    "manifest_too_many_rows",
    _("Le fichier dépasse %(max)s lignes : découpez-le en plusieurs manifestes."),
    max=grouped,
)
HEADERS_ONLY = Text(
    "manifest_headers_only", _("Le fichier ne contient que des en-têtes : aucune ligne d’appareil.")
)
STALE = Text("import_stale", _("Cet import ne s’est pas terminé : envoyez le fichier à nouveau."))
BUSY = Text(
    "import_busy",
    _(
        "Le site était très occupé et l’import n’a pas pu aller au bout : envoyez le fichier à "
        "nouveau dans un instant."
    ),
)
INTERRUPTED = Text(
    "import_interrupted",
    _("L’import s’est interrompu sur une erreur inattendue : envoyez le fichier à nouveau."),
)
FILE_GONE = Text("import_file_gone", _("Le fichier envoyé est introuvable : envoyez-le à nouveau."))
NO_VALID_ROW = Text("import_no_valid_row", _("Aucune ligne valide à importer."))
LOT_LOCKED = Text("import_lot_locked", _("Ce lot ne peut plus être modifié."))


# What the platform writes in a lot's journal beside a move (and tells the donor): the workshop by its name (an
# organisation's, as it was then), the pickup's time as ISO 8601 with the postcode of its place, written out in
# that place's time (reuse.places); a time stored alone, before the places, in Paris time.
def _pickup_time(value) -> str:
    if isinstance(value, str):
        return timezone.localtime(datetime.fromisoformat(value)).strftime("%d/%m/%Y %H:%M")
    moment, postcode = value
    return places.when_at(datetime.fromisoformat(moment), postcode, "d/m/Y H:i")


JOURNAL_OFFERED = Text("journal_lot_offered", _("Proposé à l’atelier %(name)s."))
JOURNAL_AUTO_ASSIGNED = Text(
    "journal_lot_auto_assigned",
    _("Attribué automatiquement à l’atelier %(name)s (zone desservie et capacité du mois)."),
)
JOURNAL_ACCEPTED = Text("journal_lot_accepted", _("Accepté par %(name)s."))
JOURNAL_DECLINED = Text("journal_lot_declined", _("Décliné par l’atelier %(name)s."))
JOURNAL_PICKUP = Text("journal_lot_pickup", _("Enlèvement prévu le %(when)s."), when=_pickup_time)
JOURNAL_COLLECTED = Text("journal_lot_collected", _("Appareils enlevés."))
JOURNAL_RECEIVED = Text(
    "journal_lot_received",
    _("Réception : %(missing)s manquant(s), %(extra)s en plus, %(mismatched)s différent(s)."),
)
