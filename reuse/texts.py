"""The texts of the shared file readers (reuse.spreadsheets, reuse.workbooks) that callers store: why a whole
file was refused, kept as a code and written out in the reader's language (reuse.errors.Text)."""

from babel.numbers import format_decimal
from django.conf import settings
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from reuse.errors import Text
from reuse.filekinds import KIND_LABELS


def grouped(number: int) -> str:
    """A count in the reader's language, thousands apart (CLDR, through babel): « 244 198 » in French, with a
    narrow no-break space, "244,198" in English. Written when read, never stored."""
    return format_decimal(number, locale=to_locale(get_language() or settings.LANGUAGE_CODE))


EMPTY = Text("file_empty", _("Le fichier est vide."))
POWERSHELL_DISPLAY = Text(
    "file_powershell_display",
    _(
        "Ce fichier est l’affichage d’une commande PowerShell (Format-List, Format-Table ou « > »), "
        "pas un tableau : terminez la commande par « | Export-Csv -Path parc.csv -NoTypeInformation "
        "-Encoding UTF8 » et envoyez le fichier parc.csv."
    ),
)
NOT_A_SPREADSHEET = Text(
    "file_not_a_spreadsheet",
    _(
        "Type de fichier non pris en charge : ce fichier ressemble à %(what)s, pas à un tableur ; "
        "envoyez un fichier CSV, XLSX, ODS ou XLS."
    ),
    what=KIND_LABELS,
)
UNKNOWN_ENCODING = Text(
    "file_unknown_encoding",
    _("Encodage non reconnu : enregistrez le fichier en « CSV UTF-8 » ou en Windows-1252."),
)
MIXED_ENCODINGS = Text(
    "file_mixed_encodings",
    _(
        "Le fichier mélange plusieurs encodages (UTF-8 et Windows-1252) : "
        "enregistrez-le à nouveau en « CSV UTF-8 »."
    ),
)
CSV_UNREADABLE = Text(
    "file_csv_unreadable",
    _(
        "Fichier CSV illisible à la ligne %(line)s : une cellule de plus de %(max)s caractères ou des "
        "guillemets mal fermés. Enregistrez-le à nouveau depuis le tableur."
    ),
    max=grouped,
)
SYLK_DAMAGED = Text(
    "file_sylk_damaged", _("Ce fichier SYLK est incomplet ou endommagé : enregistrez-le à nouveau.")
)
TOO_MANY_ROWS = Text(
    "file_too_many_rows",
    _("Ce tableau dépasse %(max)s lignes, la limite des tableurs : il est refusé."),
    max=grouped,
)
TOO_MANY_CELLS = Text(
    "file_too_many_cells",
    _(
        "Ce tableau est trop grand : plus de %(max)s millions de cellules (lignes × colonnes). "
        "Supprimez les colonnes inutiles ou découpez-le en plusieurs fichiers."
    ),
)
NUL_CHARACTERS = Text(
    "file_nul_characters",
    _(
        "La ligne %(line)s contient des caractères nuls : le fichier est sans doute endommagé. "
        "Enregistrez-le à nouveau depuis le tableur ou l’outil d’inventaire."
    ),
)
TOO_MANY_COLUMNS = Text(
    "file_too_many_columns",
    _(
        "La ligne %(line)s a plus de %(max)s colonnes remplies : ce n’est pas un export d’inventaire. "
        "Gardez les colonnes utiles et envoyez le fichier à nouveau."
    ),
    max=grouped,
)
DAMAGED = Text(
    "file_damaged",
    _(
        "Ce fichier %(kind)s est incomplet ou endommagé : ouvrez-le dans votre tableur et "
        "enregistrez-le à nouveau."
    ),
)
PASSWORD_PROTECTED = Text(
    "file_password_protected",
    _(
        "Ce classeur est protégé par un mot de passe : enregistrez-le sans mot de passe, "
        "ou en .csv, puis envoyez-le à nouveau."
    ),
)
ZIP_BOMB = Text(
    "file_zip_bomb", _("Ce fichier %(kind)s est anormalement compressé : il est refusé par sécurité.")
)
UNZIPS_TOO_LARGE = Text(
    "file_unzips_too_large", _("Ce fichier %(kind)s est trop volumineux une fois décompressé.")
)
XLS_UNREADABLE = Text(
    "file_xls_unreadable",
    _(
        "Ce fichier Excel ancien format (.xls) est illisible ou n’est pas un classeur : "
        "enregistrez-le à nouveau en .xlsx ou en .csv."
    ),
)

# What Excel did to a serial (reuse.serials.excel_rewrite, short_of_zeros), said the same way by every import.
EXCEL_SCIENTIFIC_SERIAL = Text(
    "serial_excel_scientific",
    _(
        "Excel a transformé ce numéro en notation scientifique (« %(value)s ») : ses derniers chiffres sont "
        "perdus. Reprenez le numéro dans l’export de votre outil, mettez la colonne au format Texte avant de "
        "l’y coller, ou enregistrez le fichier en XLSX."
    ),
)
EXCEL_DATE_SERIAL = Text(
    "serial_excel_date",
    _(
        "Excel a transformé ce numéro en date (« %(value)s ») : le numéro est perdu. Reprenez-le dans "
        "l’export de votre outil et mettez la colonne au format Texte avant de l’y coller."
    ),
)
EXCEL_ZEROS_SERIAL = Text(
    "serial_excel_zeros",
    _(
        "« %(value)s » a %(digits)s chiffres quand les autres numéros du fichier en ont %(usual)s : Excel a "
        "peut-être retiré des zéros en tête. Vérifiez ce numéro sur l’appareil."
    ),
)
EXCEL_REWRITES = {"scientific": EXCEL_SCIENTIFIC_SERIAL, "date": EXCEL_DATE_SERIAL}
