"""Mediation places from the national open data (LaMednum schema): a file of 5,000 rows with a few bad ones,
errors by row, places updated by `id` and never duplicated, by command, admin upload and scheduled refresh from
a local file server; the nearest places to a postcode, with the approximation said."""

import csv
import io
import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from cms import opendata
from reuse.errors import InvalidInput
from reuse.tripod import lamednum, services, tasks
from reuse.tripod.models import MediationPlace, PlaceImport
from tests.factories.accounts import UserFactory
from tests.factories.tripod import CommunePointFactory, MediationPlaceFactory

pytestmark = pytest.mark.django_db

# The LaMednum columns Rebond publishes, up to the opening hours, and the update date.
HEADER = [*opendata.FIELDS[: opendata.FIELDS.index("horaires") + 1], "date_maj"]


def row(n: int, **changes) -> dict:
    values = {
        "id": f"mednum-{n}",
        "pivot": "21930066200015",
        "nom": f"Lieu n° {n}",
        "commune": "Saint-Denis",
        "code_postal": "93200",
        "adresse": f"{n} rue de Paris",
        "latitude": f"{48.9 + (n % 100) / 1000:.4f}",
        "longitude": f"{2.35 + (n % 50) / 1000:.4f}",
        "services": "Maîtrise des outils numériques du quotidien|Accès internet et matériel informatique",
        "horaires": "Mo-Fr 09:00-17:00",
        "date_maj": "2026-10-01",
    }
    values.update(changes)
    return values


def csv_bytes(rows, delimiter=",", header=HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def five_thousand_with_bad_rows() -> bytes:
    rows = [row(n) for n in range(5000)]
    rows[9] = row(9, code_postal="9320")  # line 11 of the file
    rows[99] = row(99, pivot="123")  # line 101
    rows[2999] = row(2999, date_maj="01/10/2026")  # line 3001
    rows[4499] = row(4499, latitude="491.2")  # line 4501
    rows[4998] = row(5, nom="Doublon")  # line 5000: same id as line 7
    return csv_bytes(rows)


def test_five_thousand_rows_with_a_few_bad_ones_are_imported_and_the_bad_rows_named():
    record = lamednum.import_places(five_thousand_with_bad_rows(), filename="lieux.csv", source="command")

    assert (record.rows, record.created_count, record.updated_count) == (5000, 4995, 0)
    assert [(e["row"], e["field"], e["code"]) for e in record.errors] == [
        (11, "code_postal", "place_postcode_zero"),
        (101, "pivot", "place_pivot"),
        (3001, "date_maj", "place_date"),
        (4501, "latitude", "place_coordinate"),
        (5000, "id", "place_duplicate"),
    ]
    assert record.error_rows[-1]["message"] == "identifiant déjà présent à la ligne 7 du fichier"
    assert MediationPlace.objects.count() == 4995
    assert MediationPlace.objects.get(external_id="mednum-5").name == "Lieu n° 5"


def test_a_second_import_updates_places_by_id_and_never_duplicates_them():
    lamednum.import_places(csv_bytes([row(1), row(2)]), filename="a.csv", source="command")
    record = lamednum.import_places(
        csv_bytes([row(1, nom="Nouveau nom", horaires="Sa 10:00-12:00"), row(3)], delimiter=";"),
        filename="b.csv",
        source="command",
    )
    assert (record.created_count, record.updated_count) == (1, 1)
    assert MediationPlace.objects.count() == 3
    place = MediationPlace.objects.get(external_id="mednum-1")
    assert (place.name, place.opening_hours_words) == ("Nouveau nom", ["samedi : 10:00–12:00"])


def test_json_as_published_with_lists_and_an_object_wrapper():
    payload = {"data": [{**row(1), "services": ["Aide aux démarches administratives"], "latitude": 48.93}]}
    record = lamednum.import_places(json.dumps(payload).encode(), filename="lieux.json", source="command")
    assert record.created_count == 1 and not record.errors
    assert MediationPlace.objects.get().services == ["Aide aux démarches administratives"]


def test_a_file_without_the_required_columns_is_refused_whole_and_recorded():
    with pytest.raises(InvalidInput) as error:
        lamednum.import_places(b"nom;commune\nA;B\n", filename="x.csv", source="command")
    assert "id, pivot" in error.value.message
    assert not MediationPlace.objects.exists()
    assert "id, pivot" in PlaceImport.objects.get().failure_text()


def test_the_management_command_reports_rows_and_errors(tmp_path, capsys):
    path = tmp_path / "lieux.csv"
    path.write_bytes(csv_bytes([row(1), row(2, code_postal="")]))
    call_command("import_mediation_places", str(path))
    out, err = capsys.readouterr()
    assert "1 ajoutés" in out and "ligne 3, code_postal : champ obligatoire vide" in err
    with pytest.raises(CommandError):
        call_command("import_mediation_places", str(tmp_path / "absent.csv"))


def test_staff_upload_the_file_in_the_admin_and_see_the_bad_rows(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    upload = SimpleUploadedFile(
        "lieux.csv", csv_bytes([row(1), row(2, pivot="abc")]), content_type="text/csv"
    )
    response = client.post(reverse("tripod_admin:import_places"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 lieux ajoutés" in page and "n’est ni un SIRET" in page
    assert MediationPlace.objects.count() == 1
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("tripod_admin:import_places")).status_code in (302, 403)


@pytest.fixture
def file_server(tmp_path):
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_scheduled_refresh_fetches_the_configured_address(file_server, settings):
    folder, base = file_server
    (folder / "lieux.csv").write_bytes(csv_bytes([row(1), row(2)]))
    settings.MEDIATION_PLACES_URL = f"{base}/lieux.csv"
    tasks.refresh_mediation_places.apply().get()
    (folder / "lieux.csv").write_bytes(csv_bytes([row(1, nom="Renommé"), row(2), row(3)]))
    tasks.refresh_mediation_places.apply().get()
    assert MediationPlace.objects.count() == 3
    assert MediationPlace.objects.get(external_id="mednum-1").name == "Renommé"
    assert list(PlaceImport.objects.values_list("source", flat=True)) == ["scheduled", "scheduled"]


def test_a_refresh_that_cannot_download_is_recorded_and_raised(file_server, settings):
    _folder, base = file_server
    settings.MEDIATION_PLACES_URL = f"{base}/absent.csv"
    with pytest.raises(OSError):
        tasks.refresh_mediation_places.apply().get()
    assert "404" in PlaceImport.objects.get().failure_text()


def test_the_nearest_places_are_measured_from_the_communes_centre():
    CommunePointFactory(postcode="93300", name="Aubervilliers", latitude=48.9146, longitude=2.3821)
    near = MediationPlaceFactory(name="Proche", latitude=48.9150, longitude=2.3830)
    middle = MediationPlaceFactory(name="Moyen", latitude=48.9362, longitude=2.3574)
    MediationPlaceFactory(name="Loin", latitude=48.8566, longitude=2.3522)
    MediationPlaceFactory(name="Lyon", latitude=45.76, longitude=4.83)
    MediationPlaceFactory(name="Sans coordonnées", latitude=None, longitude=None)

    origin, places = services.nearest_places("93300", limit=2)

    assert origin.precision == "commune" and origin.commune == "Aubervilliers"
    assert [place for place, _km in places] == [near, middle]
    assert places[1][1] == pytest.approx(3.0, abs=0.5)


def test_without_the_commune_the_departments_centre_is_used_and_said(client, programme):
    from reuse.eligibility.models import EligibilityDecision
    from tests.factories.eligibility import eligible

    MediationPlaceFactory(name="Médiathèque", latitude=48.91, longitude=2.47)
    origin, places = services.nearest_places("93130")
    assert origin.precision == "department" and places
    household = eligible(postcode="93130")
    client.force_login(household)
    decision = EligibilityDecision.objects.get(beneficiary=household)
    page = client.get(reverse("eligibility:decision", args=[decision.pk])).content.decode()
    assert "Médiathèque" in page and "depuis le centre du département 93" in page


def test_several_accessibility_values_are_listed_without_the_schemas_separator(client, programme):
    """The schema joins several values with "|": the household and its referrer read them as a list."""
    from reuse.eligibility.models import EligibilityDecision
    from tests.factories.eligibility import referrer_with_household

    data = json.dumps(
        [
            {
                **row(1, latitude="48.9370", longitude="2.3560"),
                "prise_en_charge_specifique": "Accessible en fauteuil roulant|Boucle magnétique",
            }
        ]
    ).encode()
    lamednum.import_places(data, filename="lieux.json", source="command")
    referrer, household = referrer_with_household()
    decision = EligibilityDecision.objects.get(beneficiary=household)
    for reader in (household, referrer):
        client.force_login(reader)
        page = client.get(reverse("eligibility:decision", args=[decision.pk])).content.decode()
        assert "Lieu n° 1" in page
        assert "<li>Accessible en fauteuil roulant</li><li>Boucle magnétique</li>" in page
        assert "roulant|Boucle" not in page


def test_a_place_just_outside_the_first_box_is_nearer_than_one_in_its_corner():
    """The first search box is a rectangle: a place in its corner is farther than one just past its edge."""
    CommunePointFactory(postcode="93300", name="Aubervilliers", latitude=48.9, longitude=2.4)
    corner = MediationPlaceFactory(name="Coin", latitude=48.9 + 0.49, longitude=2.4 + 0.74)  # about 75 km
    edge = MediationPlaceFactory(name="Bord", latitude=48.9 + 0.55, longitude=2.4)  # about 61 km
    _origin, places = services.nearest_places("93300", limit=1)
    assert [place for place, _km in places] == [edge]
    assert services.distance_km((48.9, 2.4), (corner.latitude, corner.longitude)) > places[0][1]


@pytest.mark.parametrize(
    ("postcode", "commune", "home", "place", "km"),
    [
        # Réunion: Saint-Denis to Saint-Pierre, about 51 km as the crow flies.
        ("97400", "Saint-Denis", (-20.8789, 55.4481), (-21.3393, 55.4781), 51),
        # Corsica: Ajaccio to Bastia, about 101 km.
        ("20000", "Ajaccio", (41.9192, 8.7386), (42.6977, 9.4508), 105),
    ],
)
def test_distances_overseas_and_in_corsica_are_right(postcode, commune, home, place, km):
    CommunePointFactory(postcode=postcode, name=commune, latitude=home[0], longitude=home[1])
    far = MediationPlaceFactory(postcode=postcode, latitude=place[0], longitude=place[1])
    _origin, places = services.nearest_places(postcode)
    assert [p for p, _km in places] == [far]
    assert places[0][1] == pytest.approx(km, rel=0.06)


def test_odd_rows_of_the_national_file_import_without_a_500_and_without_markup():
    """What the national files hold: HTML pasted from a website, OSM hours with holidays, no coordinates, the same
    place twice. Nothing written keeps a tag: the text is what a person reads."""
    rows = [
        row(1, nom='<script>alert("x")</script>Espace <b>numérique</b>', adresse="2 rue<br/>de Paris"),
        row(2, horaires="Mo-Fr 09:00-12:00,14:00-17:30<br>", latitude="", longitude=""),
        row(3, telephone='<img src=x onerror="alert(1)">01 02 03 04 05'),
        row(1, nom="Doublon"),
    ]
    data = csv_bytes(rows, delimiter=";", header=[*HEADER, "telephone"])
    record = lamednum.import_places(data, filename="lieux.csv", source="command")
    assert [(e["row"], e["code"]) for e in record.errors] == [(5, "place_duplicate")]
    first = MediationPlace.objects.get(external_id="mednum-1")
    assert (first.name, first.address) == ("Espace numérique", "2 rue de Paris")
    assert MediationPlace.objects.get(external_id="mednum-3").phone == "01 02 03 04 05"
    second = MediationPlace.objects.get(external_id="mednum-2")
    assert second.latitude is None and second.opening_hours_words
    for place in MediationPlace.objects.all():
        for name in lamednum.TEXT_COLUMNS.values():
            assert "<" not in getattr(place, name) and ">" not in getattr(place, name)


def test_a_row_of_markup_only_is_refused_as_empty():
    data = csv_bytes([row(1, nom="<p></p>")])
    record = lamednum.import_places(data, filename="lieux.csv", source="command")
    assert [(e["row"], e["field"], e["code"]) for e in record.errors] == [(2, "nom", "place_required")]


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        # Holidays closed: the most common ending of the national files' hours.
        (
            "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off",
            ["lundi – vendredi : 09:00–12:00, 14:00–17:30", "samedi : 09:00–12:00", "jours fériés : fermé"],
        ),
        # A later rule replaces an earlier one for its days (OpenStreetMap's rule): closed on Wednesday.
        ("Mo-Fr 09:00-17:00; We off", ["lundi, mardi, jeudi, vendredi : 09:00–17:00", "mercredi : fermé"]),
        # One rule a day, and three ranges in a day: more than the workshop form writes, still plain hours.
        (
            "Mo 09:00-12:00; Tu 09:00-12:00; We 09:00-10:00,11:00-12:00,14:00-16:00; Th 09:00-12:00; "
            "Fr 14:00-16:00",
            [
                "lundi, mardi, jeudi : 09:00–12:00",
                "mercredi : 09:00–10:00, 11:00–12:00, 14:00–16:00",
                "vendredi : 14:00–16:00",
            ],
        ),
        # Beyond plain hours (weeks, months, sunrise): shown as nothing rather than half-read.
        ("Mo-Fr 09:00-17:00; week 1-20 Sa 10:00-12:00", []),
        ("sur rendez-vous", []),
    ],
)
def test_opening_hours_as_the_national_files_write_them_are_read(hours, words):
    assert MediationPlaceFactory(opening_hours=hours).opening_hours_words == words


def test_the_national_file_saved_again_by_excel_as_unicode_text_is_read():
    """Staff open the national CSV in Excel and save it as « Texte Unicode (*.txt) », which Excel writes in UTF-16
    little-endian with a byte order mark, columns separated by tabs (Microsoft, « File formats that are supported
    in Excel »: Unicode Text). Before, the importer decoded it as Windows-1252 and refused it for missing columns;
    it is read by the one spreadsheet reader (reuse.spreadsheets), as manifests and stock files are."""
    data = csv_bytes([row(1), row(2, code_postal="9320")], delimiter="\t").decode().replace("\n", "\r\n")

    record = lamednum.import_places(
        "\ufeff".encode("utf-16-le") + data.encode("utf-16-le"), filename="lieux.txt", source="command"
    )

    assert (record.created_count, record.rows) == (1, 2)
    assert [(error["row"], error["field"]) for error in record.errors] == [(3, "code_postal")]
