"""Territories demo: the three kinds of lists (excerpts, with their public source) and the demo programme's
weights. The postcodes are examples for the demo, not the official perimeters."""

import datetime

from django.db import transaction

from reuse.eligibility.demo import demo_programme
from reuse.territories.enums import TerritoryKind
from reuse.territories.models import TerritoryArea, TerritoryList, TerritoryWeights

ORDER = 15
CHECKED_ON = datetime.date(2026, 11, 2)
LISTS = [
    (
        TerritoryKind.QPV,
        "Quartiers prioritaires 2024 (extrait de démonstration)",
        "ANCT, quartiers prioritaires de la politique de la ville 2024 (décret n° 2023-1314)",
        "https://www.data.gouv.fr/fr/datasets/quartiers-prioritaires-de-la-politique-de-la-ville-qpv/",
        [
            ("93200", "", "Saint-Denis, Franc-Moisin"),
            ("93300", "", "Aubervilliers, Villette – Quatre-Chemins"),
        ],
    ),
    (
        TerritoryKind.RURAL,
        "France Ruralités Revitalisation (extrait de démonstration)",
        "ANCT, communes classées France Ruralités Revitalisation (FRR) au 1er juillet 2024",
        "https://www.data.gouv.fr/fr/datasets/zonage-france-ruralites-revitalisation-frr/",
        [("95510", "", "Vétheuil"), ("95420", "", "Magny-en-Vexin")],
    ),
    (
        TerritoryKind.OVERSEAS,
        "Départements d’outre-mer",
        "INSEE, code officiel géographique (971 à 976)",
        "https://www.insee.fr/fr/information/2560452",
        [("", "971", ""), ("", "972", ""), ("", "973", ""), ("", "974", ""), ("", "976", "")],
    ),
]


@transaction.atomic
def seed(*, stdout, devices: int = 0) -> None:

    for kind, name, source_name, source_url, areas in LISTS:
        territory_list, created = TerritoryList.objects.get_or_create(
            kind=kind,
            name=name,
            defaults={"source_name": source_name, "source_url": source_url, "checked_on": CHECKED_ON},
        )
        if created:
            for postcode, department, commune in areas:
                TerritoryArea.objects.create(
                    territory_list=territory_list, postcode=postcode, department=department, commune=commune
                )
    TerritoryWeights.objects.get_or_create(
        programme=demo_programme(), defaults={"weight_qpv": 30, "weight_rural": 30, "weight_overseas": 30}
    )
    stdout.write(
        "  territoires fragiles : listes QPV, FRR et outre-mer (extraits) ; poids du programme : 30 points chacun"
    )
