"""Small structures, registered and verified through the services, and their equipment-cheque programmes."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from reuse.structures import services
from reuse.structures.models import ChequeProgramme
from tests.factories.accounts import UserFactory
from tests.factories.claims import VoucherFunderFactory

LA_POSTE = "35600000000048"
# A self-employed plumber's sign-up, as the form posts it (without the person's name, email and password).
PLUMBER = {
    "name": "Plomberie Martin",
    "siret": LA_POSTE,
    "category": "self_employed",
    "headcount": 1,
    "activity": "Plombier",
    "address": "1 rue",
    "postcode": "93200",
    "city": "Saint-Denis",
}


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


class ChequeProgrammeFactory(DjangoModelFactory):
    """A funder's equipment cheque of 100 € for small structures in 93, valid from ten days ago."""

    class Meta:
        model = ChequeProgramme

    funder = factory.SubFactory(VoucherFunderFactory, name="Région Démo")
    name = "Chèque équipement TPE"
    face_value_cents = 10000
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=200))
    departments = factory.LazyFunction(lambda: ["93"])
    categories = factory.LazyFunction(lambda: ["tpe", "self_employed"])
    devices_per_structure = 1
