"""Tripod demo data: connectivity offers (content, marked as demonstration), mediation places imported through
the real importer, commune points, first-use sessions at the demo workshop and a partner place, SIM cards."""

import csv
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from inventory.demo import demo_workshop
from reuse.accounts.models import User
from reuse.eligibility.enums import Criterion
from reuse.tripod import lamednum
from reuse.tripod.enums import OfferKind
from reuse.tripod.models import (
    AllowanceStock,
    CommunePoint,
    ConnectivityOffer,
    MediationPlace,
    SessionBooking,
    SessionSlot,
)

ORDER = 45
DATA = Path(__file__).resolve().parent / "data"

OFFERS = [
    {
        "provider": "Opérateur mobile exemple",
        "name": "Forfait mobile social (démonstration)",
        "kind": OfferKind.MOBILE_PLAN,
        "summary": "Appels et SMS illimités, 10 Go d’internet, sans engagement, blocage en cas de dépassement.",
        "monthly_price_cents": 999,
        "criteria": [Criterion.RSA, Criterion.AAH, Criterion.ASS],
        "subscribe_phone": "3900 (appel gratuit)",
        "subscribe_shop": "Toute boutique de l’opérateur",
        "documents": "Attestation de droits RSA, AAH ou ASS de moins de 3 mois\nPièce d’identité\nRIB",
    },
    {
        "provider": "Fournisseur d’accès exemple",
        "name": "Box internet sociale (démonstration)",
        "kind": OfferKind.HOME_INTERNET,
        "summary": "Internet illimité et téléphone fixe à la maison, box comprise, sans engagement.",
        "monthly_price_cents": 1999,
        "criteria": [Criterion.RSA],
        "subscribe_phone": "3000 (appel gratuit)",
        "subscribe_url": "https://fai.example.org/offre-sociale",
        "documents": "Attestation de droits RSA de moins de 3 mois\nPièce d’identité\nJustificatif de domicile\nRIB",
    },
    {
        "provider": "Association Connexion 93 (démonstration)",
        "name": "Carte SIM solidaire 20 Go",
        "kind": OfferKind.PREPAID_DATA,
        "summary": "Une carte SIM avec 20 Go par mois pendant 6 mois, offerte, sans abonnement.",
        "monthly_price_cents": 0,
        "criteria": [Criterion.RSA, Criterion.AAH, Criterion.ASS, Criterion.ASPA, Criterion.CSS],
        "departments": "93",
        "subscribe_shop": "Permanence le mercredi, 12 rue du Moutier, Aubervilliers",
        "documents": "La fiche d’orientation Rebond\nPièce d’identité",
    },
    {
        "provider": "Opérateur mobile exemple",
        "name": "Forfait étudiant boursier (démonstration)",
        "kind": OfferKind.MOBILE_PLAN,
        "summary": "Forfait 50 Go pour les étudiants boursiers.",
        "monthly_price_cents": 799,
        "criteria": [Criterion.BOURSE],
        "subscribe_url": "https://mobile.example.org/boursiers",
        "documents": "Notification de bourse\nCarte d’étudiant",
    },
]


def seed(*, stdout, devices=0):
    checked = timezone.localdate()
    for values in OFFERS:
        ConnectivityOffer.objects.get_or_create(
            provider=values["provider"], name=values["name"], defaults={**values, "checked_on": checked}
        )
    with (DATA / "communes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            CommunePoint.objects.get_or_create(
                postcode=row["postcode"],
                name=row["name"],
                defaults={"latitude": float(row["latitude"]), "longitude": float(row["longitude"])},
            )
    lamednum.import_places(
        (DATA / "demo_places.json").read_bytes(), filename="demo_places.json", source="command"
    )

    workshop = demo_workshop()
    technician = User.objects.get(email="atelier@example.org")
    AllowanceStock.objects.get_or_create(
        workshop=workshop,
        partner="Association Connexion 93 (démonstration)",
        description="Carte SIM 20 Go par mois pendant 6 mois",
        defaults={"quantity": 10, "remaining": 10},
    )
    today = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
    if not SessionSlot.objects.upcoming().filter(workshop=workshop).exists():
        for days in (3, 7, 14):
            SessionSlot.objects.create(
                workshop=workshop,
                starts_at=today + timedelta(days=days),
                topic="Prendre en main son ordinateur",
                created_by=technician,
            )
        place = MediationPlace.objects.get(external_id="demo-mednum-001")
        SessionSlot.objects.create(
            place=place,
            starts_at=today + timedelta(days=5),
            topic="Premiers pas sur internet",
            created_by=technician,
        )
    if not SessionSlot.objects.filter(workshop=workshop, starts_at__lt=timezone.now()).exists():
        past = SessionSlot.objects.create(
            workshop=workshop,
            starts_at=today - timedelta(days=2),
            topic="Prendre en main son ordinateur",
            created_by=technician,
        )
        household = User.objects.filter(email__isnull=True, household__isnull=False).order_by("pk").first()
        if household is not None:
            # Booked before the session took place (the demo creates it after the fact, directly).
            SessionBooking.objects.create(slot=past, household=household, booked_by=technician)
    stdout.write(
        f"  connexion et prise en main : {ConnectivityOffer.objects.count()} offres, "
        f"{MediationPlace.objects.count()} lieux de médiation, "
        f"{SessionSlot.objects.upcoming().count()} séances à venir (/connexion-et-prise-en-main/atelier/seances/)"
    )
