"""A time is written in the time zone of the place where it happens: the workshop that holds the device or hosts the
session. A household in La Réunion (UTC+4) told « 07:00 » in Paris time for a hold ending at 10:00 on its island
comes three hours early; one in Guadeloupe (UTC-4) told « mercredi » comes a day late."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from donations import services as lots
from donations.models import Lot
from reuse.claims.models import Claim
from reuse.places import when_at
from reuse.tripod import services
from reuse.tripod.models import SessionBooking, SessionSlot
from tests.claims.helpers import confirmed_claim
from tests.factories.accounts import OrganisationFactory, member_of
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory
from tests.factories.tripod import SessionSlotFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
# Monday 7 December 2026, 06:00 UTC: 10:00 in Saint-Denis (La Réunion), 07:00 in Paris, 02:00 in Pointe-à-Pitre.
NOW = datetime.datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


def workshop_in(postcode: str, department: str, city: str):
    return OrganisationFactory(open_workshop=True, postcode=postcode, department=department, city=city)


def test_a_reunion_hold_is_written_in_reunion_time_on_the_page_and_in_the_email(client):
    programme = ProgrammeFactory(departments=["974"], hold_hours=48)
    saint_denis = workshop_in("97400", "974", "Saint-Denis")
    device = DeviceFactory(listed=True, workshop=saint_denis, price_cents=2000)
    household = eligible(programme=programme, postcode="97400")
    client.force_login(household)
    with time_machine.travel(NOW, tick=False):
        client.post(f"/catalogue/{device.pk}/demander/")
    claim = Claim.objects.get()
    assert claim.expires_at == datetime.datetime(2026, 12, 9, 6, 0, tzinfo=UTC)
    body = mail.outbox[-1].body
    assert "mercredi 9 décembre 2026 à 10:00 (heure de La Réunion)" in body, body
    assert "07:00" not in body and "10:00" in mail.outbox[-1].subject
    page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert "mercredi 9 décembre 2026 à 10:00 (heure de La Réunion)" in page


def test_a_session_in_guadeloupe_is_on_the_evening_before_paris_thinks(client):
    programme = ProgrammeFactory(departments=["971"])
    pointe_a_pitre = workshop_in("97110", "971", "Pointe-à-Pitre")
    household = eligible(programme=programme, postcode="97110")
    with time_machine.travel(NOW, tick=False):
        claim = confirmed_claim(workshop=pointe_a_pitre, household=household)
        # 02:00 UTC on Wednesday is 22:00 on Tuesday in Guadeloupe (03:00 on Wednesday in Paris).
        slot = SessionSlotFactory(
            workshop=pointe_a_pitre, starts_at=datetime.datetime(2026, 12, 9, 2, 0, tzinfo=UTC)
        )
        services.book_session(actor=household, household=household, slot_id=slot.pk, claim=claim)
        client.force_login(household)
        page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
        sheet = client.get(reverse("claims:claim_code", args=[claim.pk])).content.decode()
        assert services.send_session_reminders() == 1
    expected = "mardi 8 décembre 2026 à 22:00 (heure de la Guadeloupe)"
    assert expected in page and expected in mail.outbox[-1].body
    assert SessionBooking.objects.get().reminder_sent_at
    assert expected in sheet


def test_a_session_in_paris_says_no_time_zone():
    slot = SessionSlotFactory(
        workshop=workshop_in("75011", "75", "Paris"),
        starts_at=datetime.datetime(2026, 12, 9, 13, 0, tzinfo=UTC),
    )
    assert when_at(slot.starts_at, slot.workshop) == "mercredi 9 décembre 2026 à 14:00"


def test_a_session_typed_at_a_reunion_workshop_is_read_in_reunion_time(client):
    saint_pierre = workshop_in("97410", "974", "Saint-Pierre")
    client.force_login(member_of(saint_pierre))
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("tripod:workshop_sessions"),
            {"starts_at": "08/12/2026 14:00", "duration_minutes": 90, "capacity": 6, "topic": "Ordinateur"},
        )
    assert response.status_code == 302
    # 14:00 typed in Saint-Pierre is 10:00 UTC (13:00 Paris read as 14:00 would put it at 17:00 on the island).
    assert SessionSlot.objects.get().starts_at == datetime.datetime(2026, 12, 8, 10, 0, tzinfo=UTC)
    assert "14:00 (heure de La Réunion)" in str(SessionSlot.objects.get())


def test_a_pickup_in_mayotte_is_typed_and_told_in_mayotte_time(client):
    mamoudzou = workshop_in("97600", "976", "Mamoudzou")
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user, pickup_postcode="97600")
    LotItemFactory(lot=lot)
    lots.submit_lot(lot=lot, actor=user)
    Lot.objects.filter(pk=lot.pk).update(workshop=mamoudzou)
    client.force_login(member_of(mamoudzou))
    with time_machine.travel(NOW, tick=False):
        client.post(f"/dons/atelier/lots/{lot.pk}/accepter/")
        client.post(f"/dons/atelier/lots/{lot.pk}/enlevement/", {"when": "2026-12-10T09:00", "note": ""})
    lot.refresh_from_db()
    assert lot.pickup_scheduled_for == datetime.datetime(2026, 12, 10, 6, 0, tzinfo=UTC)
    assert "jeudi 10 décembre 2026 à 09:00 (heure de Mayotte)" in mail.outbox[-1].body


TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# A moment of a claim, a session or a pickup written with Django's |date or |time alone is written in the server's zone.
PLACE_MOMENT = re.compile(
    r"\b(claim\.expires_at|slot\.starts_at|previous_starts_at|pickup_scheduled_for|handed_over_at)\|(date|time)\b"
)


def test_every_template_writes_the_moments_of_a_place_through_the_place_rule():
    offending = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.*")
        if path.suffix in (".html", ".txt")
        for match in PLACE_MOMENT.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offending == []


def test_a_gift_received_in_reunion_on_new_years_night_is_dated_and_numbered_in_its_own_year(client):
    from donations.models import ReceiptValueCap, TaxReceipt
    from tests.factories.inventory import workshop_with_member

    workshop, _member = workshop_with_member(departments=["974"], may_issue_tax_receipts=True)
    OrganisationFactory._meta.model.objects.filter(pk=workshop.pk).update(department="974", postcode="97400")
    donor, user = donor_with_member()
    # 21:30 UTC on 31 December is 01:30 on 1 January in Saint-Denis (22:30 on 31 December in Paris).
    with time_machine.travel(datetime.datetime(2026, 12, 31, 21, 30, tzinfo=UTC), tick=False):
        lot = LotFactory(
            donor=donor, created_by=user, workshop=workshop, received=True, pickup_postcode="97400"
        )
        ReceiptValueCap.objects.update_or_create(device_type="laptop", defaults={"cap_cents": 200000})
        item = LotItemFactory(lot=lot, net_book_value_cents=50000)
        DeviceFactory(lot=lot, workshop=workshop, serial=item.serial)
        client.force_login(user)
        client.post(f"/dons/lots/{lot.pk}/recu-fiscal/", {"legal_form": "SAS"})
    receipt = TaxReceipt.objects.get(lot=lot)
    assert receipt.number.startswith("2027-")
    assert receipt.content["date"] == "2027-01-01"


def test_the_place_of_a_time_is_said_in_the_readers_language():
    from django.utils import translation

    moment = datetime.datetime(2026, 12, 9, 6, 0, tzinfo=UTC)
    with translation.override("en"):
        assert when_at(moment, "974") == "Wednesday 9 December 2026 at 10:00 (Réunion time)"
        assert when_at(moment, "97600") == "Wednesday 9 December 2026 at 09:00 (Mayotte time)"
        assert when_at(moment, "2A") == "Wednesday 9 December 2026 at 07:00"
