from datetime import timedelta

from django.utils import timezone

from reuse.structures import services
from reuse.structures.models import ChequeProgramme
from tests.claims.factories import FunderFactory
from tests.factories import UserFactory

LA_POSTE = "35600000000048"


def register(siret="73282932000074", **overrides):
    data = {
        "email": f"tpe{siret[-4:]}@example.test",
        "password": "un-long-mot-de-passe-2026",
        "first_name": "Nadia",
        "last_name": "Benali",
        "name": "Boulangerie du Coin",
        "siret": siret,
        "address": "3 rue du Four",
        "postcode": "93200",
        "city": "Saint-Denis",
        "category": "tpe",
        "headcount": 3,
        "activity": "Boulangerie",
    }
    data.update(overrides)
    return services.register_structure(**data)


def verified_structure(**overrides):
    organisation = register(**overrides)
    services.verify_structure(organisation=organisation, by=UserFactory(is_staff=True))
    return organisation, organisation.memberships.get().user


def cheque_programme(**overrides):
    values = {
        "funder": FunderFactory(name="Région Démo"),
        "name": "Chèque équipement TPE",
        "face_value_cents": 10000,
        "valid_from": timezone.localdate() - timedelta(days=10),
        "valid_until": timezone.localdate() + timedelta(days=200),
        "departments": ["93"],
        "categories": ["tpe", "self_employed"],
        "devices_per_structure": 1,
    }
    values.update(overrides)
    return ChequeProgramme.objects.create(**values)
