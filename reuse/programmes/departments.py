"""French départements: codes, names, postcode → département, and the distance between département centres.

The one place where Rebond knows its territory. A leaf module: it imports nothing from the project, so the
lowest layer (accounts, validating an organisation's département) may use it as well as the programmes.

The table is data/departments.csv (code, name, latitude and longitude of the centre), read once at import.
Sources (public):
- codes and names: INSEE, Code officiel géographique (COG), the 96 metropolitan départements (Corsica as 2A
  Corse-du-Sud and 2B Haute-Corse), the five overseas départements 971–974 and 976, and Saint-Pierre-et-Miquelon
  (975, a collectivité whose postcodes are 975xx);
- centres: the geographic centre of each département's outline in IGN's ADMIN EXPRESS (Licence Ouverte),
  rounded to two decimals of a degree. These are approximate centres (within about 10 km), not prefectures:
  enough for "within N km" at the département level, which is all the catalogue's distance filter does. It needs
  no geocoding service and works offline.
"""

import csv
import math
import re
from pathlib import Path
from typing import NamedTuple


class Department(NamedTuple):
    code: str
    name: str
    lat: float
    lon: float


def _read(path: Path) -> dict[str, Department]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: Department(row["code"], row["name"], float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        }


DEPARTMENTS: dict[str, Department] = _read(Path(__file__).resolve().parent / "data" / "departments.csv")
# The legal time of each territory that is not on Paris time (IANA tz database names, read with zoneinfo; décret
# n° 2016-1461 on the legal time of each overseas collectivity). Every other département, Corsica included, is on
# Europe/Paris.
PARIS_TIME_ZONE = "Europe/Paris"
OVERSEAS_TIME_ZONES = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "975": "America/Miquelon",
    "976": "Indian/Mayotte",
}
POSTCODE_RE = re.compile(r"^\d{5}$")
EARTH_RADIUS_KM = 6371


def is_department(code: str) -> bool:
    return code in DEPARTMENTS


def department_of_postcode(postcode: str) -> str:
    """The département of a French postcode ("" when it is not one).

    Corsica: 200xx–201xx are Corse-du-Sud (2A: Ajaccio 20000, Porto-Vecchio 20137, Bonifacio 20169), 202xx–206xx
    Haute-Corse (2B: Bastia 20200 and 20600, Corte 20250, Biguglia 20620), as La Poste's « Base officielle des
    codes postaux » (data.gouv.fr) lists every Corsican commune; overseas: the first three digits (Saint-Denis
    97400, Mamoudzou 97600, Saint-Pierre 97500). A CEDEX code lies in its département's range (Ajaccio CEDEX
    20187, Bastia CEDEX 20297); Monaco (980xx), the Pacific collectivities (986xx–988xx) and the Armed Forces'
    sector (00100) are no département. Saint-Barthélemy (97133) and Saint-Martin (97150), collectivities since
    2007 that keep Guadeloupe's postcodes, are read as Guadeloupe (971), whose programmes and time they share.
    """
    postcode = (postcode or "").strip()
    if not POSTCODE_RE.fullmatch(postcode):
        return ""
    if postcode.startswith("20"):
        code = "2A" if int(postcode[:3]) < 202 else "2B"
    elif postcode.startswith("97"):
        code = postcode[:3]
    else:
        code = postcode[:2]
    return code if code in DEPARTMENTS else ""


def postcode_prefixes(code: str) -> tuple[str, ...]:
    """The beginnings of a département's postcodes, the inverse of department_of_postcode: "93" for 93, "974" for
    Réunion (all overseas postcodes start with "97"), "200" and "201" for Corse-du-Sud (Corsica's start with "20")."""
    if code == "2A":
        return ("200", "201")
    if code == "2B":
        return tuple(f"20{digit}" for digit in range(2, 10))
    return (code,) if code in DEPARTMENTS else ()


def time_zone_name(code: str) -> str:
    """The IANA time zone of a département ("Europe/Paris" for metropolitan France and an unknown code)."""
    return OVERSEAS_TIME_ZONES.get(code, PARIS_TIME_ZONE)


def parse_departments(text: str) -> tuple[list[str], list[str]]:
    """(known codes in the order typed, without repeats; unknown words) from "93, 95; 2a 75"."""
    codes, unknown = [], []
    for part in re.split(r"[\s,;]+", text or ""):
        part = part.strip().upper()
        if not part:
            continue
        target = codes if part in DEPARTMENTS else unknown
        if part not in target:
            target.append(part)
    return codes, unknown


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine) between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def departments_near(postcode: str, radius_km: int) -> list[str]:
    """Départements whose centre lies within `radius_km` of the postcode's département centre (its own always)."""
    own = department_of_postcode(postcode)
    if not own:
        return []
    origin = DEPARTMENTS[own]
    near = {
        code
        for code, other in DEPARTMENTS.items()
        if distance_km((origin.lat, origin.lon), (other.lat, other.lon)) <= radius_km
    }
    return sorted(near | {own})
