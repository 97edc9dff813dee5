"""A published session changes only through the tripod's services, from the workshop's page and the admin alike:
its capacity never goes below the seats taken, cancelling it cancels every booking and tells each household,
and a new date, time or place is told to the households booked."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reuse.accounts.models import Notification
from reuse.errors import Conflict, NotFound
from reuse.tripod import services
from reuse.tripod.models import SessionBooking, SessionSlot
from tests.factories.accounts import OrganisationFactory, UserFactory, member_of
from tests.factories.eligibility import eligible
from tests.factories.tripod import MediationPlaceFactory, SessionSlotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked_slot(programme):
    """A session of three seats, two of them booked by households with an email address."""
    # To the minute, as a form publishes it.
    starts_at = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    slot = SessionSlotFactory(capacity=3, starts_at=starts_at)
    for _ in range(2):
        household = eligible()
        services.book_session(actor=household, household=household, slot_id=slot.pk)
    mail.outbox.clear()
    return slot


def _admin_form(slot, **changes):
    local = timezone.localtime(slot.starts_at)
    data = {
        "workshop": str(slot.workshop_id or ""),
        "place": str(slot.place_id or ""),
        "starts_at": local.strftime("%Y-%m-%d %H:%M"),
        "duration_minutes": str(slot.duration_minutes),
        "capacity": str(slot.capacity),
        "topic": slot.topic,
    }
    return {**data, **changes}


def _row(slot):
    return SessionSlot.objects.filter(pk=slot.pk).values().get()


# --- capacity ----------------------------------------------------------------------------------------------


def test_the_service_refuses_a_capacity_below_the_seats_taken(booked_slot):
    before = _row(booked_slot)
    with pytest.raises(Conflict) as refused:
        services.update_slot(
            actor=UserFactory(is_staff=True, is_superuser=True), slot=booked_slot, capacity=1
        )
    assert refused.value.code == "capacity_below_bookings"
    assert "2 places sont déjà réservées" in refused.value.message
    assert _row(booked_slot) == before
    # Down to exactly the seats taken is fine.
    slot = services.update_slot(
        actor=UserFactory(is_staff=True, is_superuser=True), slot=booked_slot, capacity=2
    )
    assert SessionSlot.objects.get(pk=slot.pk).capacity == 2


def test_the_admin_refuses_a_capacity_below_the_seats_taken(staff, booked_slot):
    before = _row(booked_slot)
    response = staff.post(
        reverse("tripod_slot:edit", args=[booked_slot.pk]), _admin_form(booked_slot, capacity="1")
    )
    assert response.status_code == 200
    assert "2 places sont déjà réservées" in response.content.decode()
    assert _row(booked_slot) == before


def test_the_admin_has_no_cancelled_field(staff, booked_slot):
    """Ticking « annulée » hid the session and left its bookings and households as they were."""
    response = staff.post(
        reverse("tripod_slot:edit", args=[booked_slot.pk]), _admin_form(booked_slot, cancelled="on")
    )
    assert response.status_code == 302
    assert not SessionSlot.objects.get(pk=booked_slot.pk).cancelled
    assert SessionBooking.objects.filter(slot=booked_slot, status="booked").count() == 2


def test_the_admin_still_corrects_a_sessions_topic_without_telling_anyone(staff, booked_slot):
    response = staff.post(
        reverse("tripod_slot:edit", args=[booked_slot.pk]), _admin_form(booked_slot, topic="Smartphone")
    )
    assert response.status_code == 302
    assert SessionSlot.objects.get(pk=booked_slot.pk).topic == "Smartphone"
    assert not Notification.objects.filter(template="session_moved").exists() and not mail.outbox


# --- a new date, time or place -----------------------------------------------------------------------------


def test_a_new_time_in_the_admin_tells_each_booked_household(staff, booked_slot):
    SessionBooking.objects.filter(slot=booked_slot).update(reminder_sent_at=timezone.now())
    later = timezone.localtime(booked_slot.starts_at + timedelta(days=2, hours=1))
    response = staff.post(
        reverse("tripod_slot:edit", args=[booked_slot.pk]),
        _admin_form(booked_slot, starts_at=later.strftime("%Y-%m-%d %H:%M")),
    )
    assert response.status_code == 302
    households = {b.household.email for b in SessionBooking.objects.filter(slot=booked_slot)}
    sent = Notification.objects.filter(template="session_moved")
    assert {n.to_email for n in sent} == households and sent.count() == 2
    assert all(later.strftime("%H:%M") in n.body_text for n in sent)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(households)
    # The reminder goes again for the new date.
    assert not SessionBooking.objects.filter(slot=booked_slot, reminder_sent_at__isnull=False).exists()


def test_a_move_to_a_partner_place_tells_each_booked_household(booked_slot):
    place = MediationPlaceFactory(name="Médiathèque Centre")
    services.update_slot(
        actor=UserFactory(is_staff=True, is_superuser=True), slot=booked_slot, workshop=None, place=place
    )
    sent = Notification.objects.filter(template="session_moved")
    assert sent.count() == 2 and all("Médiathèque Centre" in n.body_text for n in sent)


def test_a_cancelled_households_booking_is_not_told_of_a_move(booked_slot):
    cancelled = SessionBooking.objects.filter(slot=booked_slot).first()
    services.cancel_booking(actor=cancelled.household, booking=cancelled)
    services.update_slot(
        actor=UserFactory(is_staff=True, is_superuser=True),
        slot=booked_slot,
        starts_at=booked_slot.starts_at + timedelta(hours=2),
    )
    assert list(
        Notification.objects.filter(template="session_moved").values_list("recipient", flat=True)
    ) == [SessionBooking.objects.get(slot=booked_slot, status="booked").household_id]


# --- cancelling --------------------------------------------------------------------------------------------


def test_staff_cancel_a_session_with_its_bookings_and_each_household_is_told(staff, booked_slot):
    url = reverse("tripod_slot:cancel", args=[booked_slot.pk])
    page = staff.get(url)
    assert page.status_code == 200
    households = [b.household for b in SessionBooking.objects.filter(slot=booked_slot)]
    assert all(h.get_full_name() in page.content.decode() for h in households)

    assert staff.post(url, {"reason": "Animatrice malade"}).status_code == 302
    assert SessionSlot.objects.get(pk=booked_slot.pk).cancelled
    assert set(SessionBooking.objects.filter(slot=booked_slot).values_list("status", flat=True)) == {
        "cancelled"
    }
    sent = Notification.objects.filter(template="session_cancelled")
    assert sorted(n.recipient_id for n in sent) == sorted(h.pk for h in households)
    assert all("Animatrice malade" in n.body_text for n in sent)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(h.email for h in households)

    # A second cancel is refused with a message, and nobody is told twice.
    response = staff.post(url, follow=True)
    assert response.status_code == 200 and "Cette séance est déjà annulée." in response.content.decode()
    assert Notification.objects.filter(template="session_cancelled").count() == 2


def test_the_workshop_cancels_its_own_session_from_its_page(client, booked_slot):
    member = member_of(booked_slot.workshop)
    client.force_login(member)
    page = client.get(reverse("tripod:workshop_sessions")).content.decode()
    assert f'data-cancel-slot="{booked_slot.pk}"' in page

    response = client.post(reverse("tripod:cancel_slot", args=[booked_slot.pk]), {"reason": ""})
    assert response.status_code == 302
    assert SessionSlot.objects.get(pk=booked_slot.pk).cancelled
    assert not SessionBooking.objects.filter(slot=booked_slot, status="booked").exists()
    assert Notification.objects.filter(template="session_cancelled").count() == 2 == len(mail.outbox)


def test_a_member_of_another_workshop_cannot_cancel_the_session(client, booked_slot):
    stranger = member_of(OrganisationFactory(open_workshop=True))
    client.force_login(stranger)
    assert client.post(reverse("tripod:cancel_slot", args=[booked_slot.pk])).status_code == 404
    with pytest.raises(NotFound):
        services.cancel_slot(actor=stranger, slot=booked_slot)
    with pytest.raises(NotFound):
        services.update_slot(actor=stranger, slot=booked_slot, capacity=6)
    assert not SessionSlot.objects.get(pk=booked_slot.pk).cancelled
    assert SessionBooking.objects.filter(slot=booked_slot, status="booked").count() == 2
    assert not Notification.objects.filter(template="session_cancelled").exists()


def test_a_past_session_is_not_cancelled(booked_slot):
    SessionSlot.objects.filter(pk=booked_slot.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(Conflict):
        services.cancel_slot(actor=member_of(booked_slot.workshop), slot=booked_slot)
    assert SessionBooking.objects.filter(slot=booked_slot, status="booked").count() == 2
