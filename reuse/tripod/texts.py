"""What a mediation-places import stores for staff to read later: why the file or a row was refused, what was left
out of a row kept. Codes with parameters (reuse.errors.Text), written out in the reader's language."""

from django.utils.translation import gettext_lazy as _

from reuse.errors import Text

# Rows (the schema's columns name the field, as the file writes them).
REQUIRED = Text("place_required", _("champ obligatoire vide"))
PIVOT = Text(
    "place_pivot", _("« %(value)s » n’est ni un SIRET (14 chiffres) ni un RNA (W suivi de 9 chiffres)")
)
POSTCODE = Text("place_postcode", _("« %(value)s » n’est pas un code postal à 5 chiffres"))
POSTCODE_ZERO = Text(
    "place_postcode_zero",
    _(
        "« %(value)s » n’a que 4 chiffres : si le fichier est passé par Excel, il a retiré le zéro en tête "
        "(0%(value)s) ; importez le fichier d’origine sans l’ouvrir dans Excel, ou mettez la colonne "
        "code_postal au format Texte"
    ),
)
DATE = Text("place_date", _("« %(value)s » n’est pas une date AAAA-MM-JJ"))
COORDINATE = Text("place_coordinate", _("« %(value)s » n’est pas une coordonnée valable"))
DUPLICATE = Text("place_duplicate", _("identifiant déjà présent à la ligne %(first)s du fichier"))
TOO_LONG = Text("place_too_long", _("trop long (%(max)s caractères au plus)"))
NOT_OBJECT = Text("place_not_object", _("la ligne n’est pas un objet"))
PHONE = Text(
    "place_phone", _("« %(value)s » n’est pas un numéro de téléphone : le lieu est importé sans téléphone")
)
# The whole file.
TOO_LARGE = Text("places_too_large", _("Le fichier dépasse 64 Mo."))
EMPTY = Text("places_empty", _("Le fichier est vide."))
BAD_JSON = Text("places_bad_json", _("Le fichier JSON est illisible (ligne %(line)s)."))
NO_LIST = Text("places_no_list", _("Le fichier JSON ne contient pas de liste de lieux."))
TOO_MANY = Text("places_too_many", _("Le fichier compte plus de %(max)s lieux."))
MISSING_COLUMNS = Text("places_missing_columns", _("Colonnes obligatoires absentes : %(names)s."))
BAD_URL = Text("places_bad_url", _("Adresse de téléchargement invalide."))
# Python's own words for a failed download (« HTTP Error 404: Not Found »): for the operator, as they came.
DOWNLOAD_FAILED = Text("places_download_failed", _("Téléchargement impossible : %(error)s"))
