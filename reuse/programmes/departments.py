"""French départements: codes, names, postcode → département, and the distance between département centres.

The one place where Rebond knows its territory. A leaf module: it imports nothing from the project, so the
lowest layer (accounts, validating an organisation's département) may use it as well as the programmes.

Sources (public):
- codes and names: INSEE, Code officiel géographique (COG), the 96 metropolitan départements (Corsica as 2A
  Corse-du-Sud and 2B Haute-Corse), the five overseas départements 971–974 and 976, and Saint-Pierre-et-Miquelon
  (975, a collectivité whose postcodes are 975xx);
- centres: the geographic centre of each département's outline in IGN's ADMIN EXPRESS (Licence Ouverte),
  rounded to two decimals of a degree. These are approximate centres (within about 10 km), not prefectures:
  enough for "within N km" at the département level, which is all the catalogue's distance filter does. It needs
  no geocoding service and works offline.
"""

import math
import re
from typing import NamedTuple


class Department(NamedTuple):
    code: str
    name: str
    lat: float
    lon: float


_ROWS = [
    ("01", "Ain", 46.10, 5.35),
    ("02", "Aisne", 49.56, 3.56),
    ("03", "Allier", 46.39, 3.19),
    ("04", "Alpes-de-Haute-Provence", 44.10, 6.24),
    ("05", "Hautes-Alpes", 44.66, 6.26),
    ("06", "Alpes-Maritimes", 43.94, 7.12),
    ("07", "Ardèche", 44.75, 4.42),
    ("08", "Ardennes", 49.62, 4.64),
    ("09", "Ariège", 42.92, 1.50),
    ("10", "Aube", 48.32, 4.16),
    ("11", "Aude", 43.10, 2.41),
    ("12", "Aveyron", 44.28, 2.68),
    ("13", "Bouches-du-Rhône", 43.54, 5.09),
    ("14", "Calvados", 49.10, -0.36),
    ("15", "Cantal", 45.05, 2.67),
    ("16", "Charente", 45.72, 0.20),
    ("17", "Charente-Maritime", 45.78, -0.67),
    ("18", "Cher", 47.06, 2.49),
    ("19", "Corrèze", 45.36, 1.88),
    ("2A", "Corse-du-Sud", 41.86, 8.99),
    ("2B", "Haute-Corse", 42.39, 9.21),
    ("21", "Côte-d’Or", 47.42, 4.77),
    ("22", "Côtes-d’Armor", 48.44, -2.86),
    ("23", "Creuse", 46.09, 2.02),
    ("24", "Dordogne", 45.10, 0.74),
    ("25", "Doubs", 47.17, 6.36),
    ("26", "Drôme", 44.68, 5.17),
    ("27", "Eure", 49.11, 1.00),
    ("28", "Eure-et-Loir", 48.30, 1.37),
    ("29", "Finistère", 48.26, -4.06),
    ("30", "Gard", 43.99, 4.18),
    ("31", "Haute-Garonne", 43.36, 1.17),
    ("32", "Gers", 43.69, 0.45),
    ("33", "Gironde", 44.83, -0.58),
    ("34", "Hérault", 43.58, 3.37),
    ("35", "Ille-et-Vilaine", 48.15, -1.64),
    ("36", "Indre", 46.78, 1.58),
    ("37", "Indre-et-Loire", 47.26, 0.69),
    ("38", "Isère", 45.26, 5.58),
    ("39", "Jura", 46.73, 5.70),
    ("40", "Landes", 43.97, -0.78),
    ("41", "Loir-et-Cher", 47.62, 1.43),
    ("42", "Loire", 45.73, 4.17),
    ("43", "Haute-Loire", 45.13, 3.81),
    ("44", "Loire-Atlantique", 47.36, -1.68),
    ("45", "Loiret", 47.91, 2.34),
    ("46", "Lot", 44.62, 1.61),
    ("47", "Lot-et-Garonne", 44.37, 0.46),
    ("48", "Lozère", 44.52, 3.50),
    ("49", "Maine-et-Loire", 47.39, -0.56),
    ("50", "Manche", 49.08, -1.33),
    ("51", "Marne", 48.96, 4.24),
    ("52", "Haute-Marne", 48.11, 5.23),
    ("53", "Mayenne", 48.15, -0.66),
    ("54", "Meurthe-et-Moselle", 48.79, 6.17),
    ("55", "Meuse", 48.99, 5.38),
    ("56", "Morbihan", 47.85, -2.81),
    ("57", "Moselle", 49.04, 6.66),
    ("58", "Nièvre", 47.12, 3.50),
    ("59", "Nord", 50.45, 3.22),
    ("60", "Oise", 49.41, 2.43),
    ("61", "Orne", 48.62, 0.13),
    ("62", "Pas-de-Calais", 50.49, 2.29),
    ("63", "Puy-de-Dôme", 45.73, 3.14),
    ("64", "Pyrénées-Atlantiques", 43.26, -0.76),
    ("65", "Hautes-Pyrénées", 43.05, 0.16),
    ("66", "Pyrénées-Orientales", 42.60, 2.52),
    ("67", "Bas-Rhin", 48.67, 7.55),
    ("68", "Haut-Rhin", 47.86, 7.27),
    ("69", "Rhône", 45.87, 4.64),
    ("70", "Haute-Saône", 47.64, 6.09),
    ("71", "Saône-et-Loire", 46.64, 4.54),
    ("72", "Sarthe", 47.99, 0.22),
    ("73", "Savoie", 45.48, 6.44),
    ("74", "Haute-Savoie", 46.03, 6.43),
    ("75", "Paris", 48.86, 2.35),
    ("76", "Seine-Maritime", 49.66, 1.03),
    ("77", "Seine-et-Marne", 48.62, 3.00),
    ("78", "Yvelines", 48.82, 1.85),
    ("79", "Deux-Sèvres", 46.56, -0.32),
    ("80", "Somme", 49.96, 2.28),
    ("81", "Tarn", 43.79, 2.17),
    ("82", "Tarn-et-Garonne", 44.08, 1.28),
    ("83", "Var", 43.46, 6.22),
    ("84", "Vaucluse", 44.01, 5.18),
    ("85", "Vendée", 46.67, -1.30),
    ("86", "Vienne", 46.56, 0.46),
    ("87", "Haute-Vienne", 45.89, 1.24),
    ("88", "Vosges", 48.20, 6.38),
    ("89", "Yonne", 47.84, 3.57),
    ("90", "Territoire de Belfort", 47.63, 6.93),
    ("91", "Essonne", 48.52, 2.24),
    ("92", "Hauts-de-Seine", 48.84, 2.25),
    ("93", "Seine-Saint-Denis", 48.92, 2.48),
    ("94", "Val-de-Marne", 48.78, 2.47),
    ("95", "Val-d’Oise", 49.08, 2.13),
    ("971", "Guadeloupe", 16.20, -61.50),
    ("972", "Martinique", 14.65, -61.02),
    ("973", "Guyane", 3.92, -53.24),
    ("974", "La Réunion", -21.13, 55.53),
    ("975", "Saint-Pierre-et-Miquelon", 46.89, -56.32),
    ("976", "Mayotte", -12.82, 45.15),
]

DEPARTMENTS: dict[str, Department] = {row[0]: Department(*row) for row in _ROWS}
POSTCODE_RE = re.compile(r"^\d{5}$")
EARTH_RADIUS_KM = 6371


def is_department(code: str) -> bool:
    return code in DEPARTMENTS


def department_of_postcode(postcode: str) -> str:
    """The département of a French postcode ("" when it is not one).

    Corsica: 200xx–201xx are Corse-du-Sud (2A), 202xx–206xx Haute-Corse (2B); overseas: the first three digits.
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
