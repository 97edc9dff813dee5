"""Public open data: approved workshops as digital mediation places (JSON and CSV, no authentication)."""

from ninja import Router, Schema

from cms import opendata
from reuse.views import served_file

router = Router(tags=["open data"])


class Lieu(Schema):
    id: str
    pivot: str
    nom: str
    commune: str
    code_postal: str
    adresse: str
    latitude: float | None
    longitude: float | None
    services: str
    horaires: str
    telephone: str
    courriels: str
    frais_a_charge: str
    source: str
    date_maj: str
    modalites_accompagnement: str
    seances_prise_en_main: str


@router.get("/open-data/lieux.json", response=list[Lieu], auth=None, url_name="open_data_lieux_json")
def lieux_json(request):
    """Workshops in the LaMednum "standard-mediation-num" schema, with the solidarity-price service."""
    return opendata.lieux()


@router.get("/open-data/lieux.csv", auth=None, url_name="open_data_lieux_csv")
def lieux_csv(request):
    """The same rows as CSV (UTF-8, comma-separated, list values joined with "|")."""
    return served_file(
        opendata.lieux_csv(),
        filename="lieux-mediation-numerique-rebond.csv",
        content_type="text/csv; charset=utf-8",
        inline=True,
    )
