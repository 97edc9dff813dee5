"""The communes' coordinates, loaded from the national file of postcodes by `manage.py import_communes`."""

import pytest
from django.core.management import call_command

from reuse.tripod.models import CommunePoint

pytestmark = pytest.mark.django_db

# La Poste's « Base officielle des codes postaux » (data.gouv.fr), its columns and a few of its rows.
HEADER = "Code_commune_INSEE;Nom_commune;Code_postal;Ligne_5;Libellé_d_acheminement;coordonnees_gps"
ROWS = [
    "02168;CHATEAU THIERRY;02400;;CHATEAU THIERRY;49.0464470093, 3.40383154386",
    "13201;MARSEILLE 01;13001;;MARSEILLE;43.2999009436, 5.38227869795",
    "97411;ST DENIS;97490;STE CLOTILDE;ST DENIS;-20.9329708192, 55.4474569062",
    "04070;Céreste;04280;;CERESTE;43.8527, 5.5837",
]


def test_the_national_file_saved_by_excel_for_windows_keeps_its_accents(tmp_path):
    """Excel for Windows saves « CSV (séparateur : point-virgule) » in the system's ANSI code page, Windows-1252 on
    a French Windows (Microsoft, « Import or export text (.txt or .csv) files »). Before, the command read it as
    UTF-8 and replaced each accented letter by « � » (« C�reste »); it reads it through the one spreadsheet
    reader (reuse.spreadsheets), which tells the encoding."""
    path = tmp_path / "laposte_hexasmal.csv"
    path.write_bytes("\r\n".join([HEADER, *ROWS, ""]).encode("cp1252"))

    call_command("import_communes", str(path))

    assert CommunePoint.objects.count() == 4
    point = CommunePoint.objects.get(postcode="04280")
    assert (point.name, round(point.latitude, 2)) == ("Céreste", 43.85)
