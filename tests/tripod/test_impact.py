"""The tripod in the impact page and the donor's report: households equipped, oriented, trained, allowances."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from reuse.claims import handover as counter
from reuse.claims.services import reservations
from reuse.eligibility.models import EligibilityDecision
from reuse.tripod import services
from reuse.tripod.impact import tripod_figures
from reuse.tripod.models import SessionSlot
from tests.factories.accounts import member_of
from tests.factories.donations import LotFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.tripod import AllowanceStockFactory, ConnectivityOfferFactory, SessionSlotFactory

pytestmark = pytest.mark.django_db


def handed_over(household, **device):
    claim = reservations.create_claim(
        actor=household, device_id=DeviceFactory(listed=True, free=True, **device).pk
    )
    technician = member_of(claim.device.workshop)
    with transaction.atomic():
        claim = counter.hand_over(actor=technician, claim_id=claim.pk, code=claim.handover_code)
        stock = AllowanceStockFactory(workshop=claim.device.workshop)
        services.record_handover(actor=technician, claim=claim, items=[], stock=stock)
    return claim, technician


def test_equipped_oriented_and_trained_households_are_counted_once_each(client, programme):
    offer = ConnectivityOfferFactory()
    trained, oriented, only_equipped = eligible(), eligible(), eligible()
    # Donated devices: the public page counts those (the impact figures beside the tripod's as well).
    lot = LotFactory(received=True)
    claim, technician = handed_over(trained, lot=lot)
    handed_over(oriented, lot=lot)
    handed_over(only_equipped, lot=lot)
    eligible_not_equipped = eligible()
    for person in (oriented, eligible_not_equipped):
        decision = EligibilityDecision.objects.get(beneficiary=person)
        services.orient(actor=person, decision=decision, offer_id=offer.pk)
    slot = SessionSlotFactory(workshop=claim.device.workshop)
    booking = services.book_session(actor=trained, household=trained, slot_id=slot.pk)
    SessionSlot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    services.mark_attendance(actor=technician, booking_id=booking.pk, attended=True)

    figures = tripod_figures()
    assert (figures.equipped, figures.oriented, figures.trained, figures.allowances) == (3, 1, 1, 3)
    page = client.get(reverse("donations:public_impact")).content.decode()
    assert 'data-figure="equipped">3<' in page and 'data-figure="trained">1<' in page


def test_the_donors_report_counts_the_households_its_lot_equipped(client, programme):
    lot = LotFactory(received=True)
    household = eligible()
    handed_over(household, lot=lot)
    handed_over(eligible())
    client.force_login(member_of(lot.donor))
    page = client.get(reverse("donations:impact", args=[lot.pk])).content.decode()
    assert 'data-figure="equipped">1<' in page and 'data-figure="allowances">1<' in page
