"""The tripod: connectivity offers, mediation places, commune points, session slots, allowance stocks."""

from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from reuse.tripod.models import AllowanceStock, CommunePoint, ConnectivityOffer, MediationPlace, SessionSlot
from tests.factories.accounts import OrganisationFactory, UserFactory


class ConnectivityOfferFactory(DjangoModelFactory):
    class Meta:
        model = ConnectivityOffer

    provider = "Opérateur"
    name = factory.Sequence(lambda n: f"Offre {n}")
    kind = "mobile_plan"
    summary = "Appels illimités"
    monthly_price_cents = 1000
    criteria = ["rsa"]
    subscribe_phone = "3900"
    documents = "Attestation RSA\nPièce d’identité"
    checked_on = date(2026, 11, 1)


class MediationPlaceFactory(DjangoModelFactory):
    class Meta:
        model = MediationPlace

    external_id = factory.Sequence(lambda n: f"place-{n}")
    pivot = "21930066200015"
    name = factory.Sequence(lambda n: f"Lieu {n}")
    commune = "Saint-Denis"
    postcode = "93200"
    address = "1 rue de la Gare"
    latitude = 48.9362
    longitude = 2.3574
    services = ["Maîtrise des outils numériques du quotidien"]
    updated_on = date(2026, 10, 1)


class CommunePointFactory(DjangoModelFactory):
    class Meta:
        model = CommunePoint

    postcode = "93200"
    name = "Saint-Denis"
    latitude = 48.9362
    longitude = 2.3574


class SessionSlotFactory(DjangoModelFactory):
    class Meta:
        model = SessionSlot

    workshop = factory.SubFactory(OrganisationFactory, open_workshop=True)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    capacity = 2
    topic = "Prendre en main son ordinateur"
    created_by = factory.SubFactory(UserFactory)


class AllowanceStockFactory(DjangoModelFactory):
    class Meta:
        model = AllowanceStock

    workshop = factory.SubFactory(OrganisationFactory, open_workshop=True)
    partner = "Association Connexion"
    description = "Carte SIM 20 Go"
    quantity = 2
    remaining = 2
