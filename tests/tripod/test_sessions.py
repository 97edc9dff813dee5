"""First-use sessions: published by the workshop, booked by the household at claim time (no JavaScript, no
email needed), by its referrer under a mandate covering claims, or at the counter; seats are counted under a
lock; reminders by email or on the printed code sheet; attendance marked by the host workshop only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reuse.accounts.models import Notification
from reuse.claims.models import Claim
from reuse.claims.services import reservations
from reuse.eligibility.models import Mandate
from reuse.errors import Conflict, InvalidInput, NotFound
from reuse.tripod import services
from reuse.tripod.models import SessionBooking, SessionSlot
from tests.claims.helpers import confirmed_claim
from tests.factories.accounts import HouseholdProfileFactory, OrganisationFactory, UserFactory, member_of
from tests.factories.eligibility import eligible, referrer_with_household
from tests.factories.inventory import DeviceFactory
from tests.factories.tripod import MediationPlaceFactory, SessionSlotFactory

pytestmark = pytest.mark.django_db


def test_the_household_books_a_session_of_its_workshop_from_the_claim_page(client, programme):
    household = eligible()
    claim = confirmed_claim(household=household)
    slot = SessionSlotFactory(workshop=claim.device.workshop)
    SessionSlotFactory()  # another workshop's, far away: not offered
    client.force_login(household)

    page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert f'value="{slot.pk}"' in page and page.count('name="slot"') == 1

    response = client.post(reverse("tripod:book", args=[claim.pk]), {"slot": slot.pk})
    assert response.status_code == 302
    booking = SessionBooking.objects.get()
    assert (booking.household, booking.booked_by, booking.claim, booking.mandate) == (
        household,
        household,
        claim,
        None,
    )
    page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert 'data-booking="booked"' in page


def test_a_partner_places_session_in_the_department_is_offered_too(programme):
    household = eligible(postcode="93200")
    claim = confirmed_claim(household=household)
    near = SessionSlotFactory(workshop=None, place=MediationPlaceFactory(postcode="93300"))
    SessionSlotFactory(workshop=None, place=MediationPlaceFactory(postcode="13001"))
    assert near in list(services.bookable_slots(claim))
    assert len(list(services.bookable_slots(claim))) == 1


def test_the_referrer_books_under_a_mandate_covering_claims_and_not_without(client, programme):
    referrer, household = referrer_with_household()
    claim = confirmed_claim(household=household)
    slot = SessionSlotFactory(workshop=claim.device.workshop)
    booking = services.book_session(actor=referrer, household=household, slot_id=slot.pk, claim=claim)
    assert booking.mandate == Mandate.objects.get(household=household)

    Mandate.objects.filter(household=household).update(scopes=["eligibility"])
    other_slot = SessionSlotFactory(workshop=claim.device.workshop)
    with pytest.raises(NotFound):
        services.book_session(actor=referrer, household=household, slot_id=other_slot.pk, claim=claim)
    client.force_login(referrer)
    assert client.post(reverse("tripod:book", args=[claim.pk]), {"slot": other_slot.pk}).status_code == 404


def test_a_stranger_cannot_book_for_someone_else(client, programme):
    household = eligible()
    claim = confirmed_claim(household=household)
    slot = SessionSlotFactory(workshop=claim.device.workshop)
    stranger = eligible()
    with pytest.raises(NotFound):
        services.book_session(actor=stranger, household=household, slot_id=slot.pk, claim=claim)
    client.force_login(stranger)
    assert client.post(reverse("tripod:book", args=[claim.pk]), {"slot": slot.pk}).status_code == 404
    # Nor can a technician of another workshop book "at the counter".
    other_technician = member_of(OrganisationFactory(open_workshop=True))
    with pytest.raises(NotFound):
        services.book_session(actor=other_technician, household=household, slot_id=slot.pk, claim=claim)
    assert not SessionBooking.objects.exists()


def test_a_full_session_a_session_about_to_start_and_a_second_seat_are_refused(programme):
    slot = SessionSlotFactory(capacity=1)
    first, second = eligible(), eligible()
    services.book_session(actor=first, household=first, slot_id=slot.pk)
    with pytest.raises(Conflict) as error:
        services.book_session(actor=first, household=first, slot_id=slot.pk)
    assert error.value.code in ("already_booked", "slot_full")
    with pytest.raises(Conflict) as error:
        services.book_session(actor=second, household=second, slot_id=slot.pk)
    assert error.value.code == "slot_full"
    soon = SessionSlotFactory(starts_at=timezone.now() + timedelta(minutes=30))
    with pytest.raises(Conflict) as error:
        services.book_session(actor=second, household=second, slot_id=soon.pk)
    assert error.value.code == "slot_closed"


def test_a_cancelled_seat_frees_the_place(programme):
    slot = SessionSlotFactory(capacity=1)
    first, second = eligible(), eligible()
    booking = services.book_session(actor=first, household=first, slot_id=slot.pk)
    services.cancel_booking(actor=first, booking=booking)
    services.book_session(actor=second, household=second, slot_id=slot.pk)
    assert slot.seats_taken() == 1


@pytest.mark.parametrize("ending", ["cancelled", "expired"])
def test_a_claim_that_ends_without_its_device_gives_its_seat_back(programme, ending):
    slot = SessionSlotFactory(capacity=1)
    household, other = eligible(), eligible()
    device = DeviceFactory(listed=True, workshop=slot.workshop)  # a price to pay: the claim stays reserved
    claim = reservations.create_claim(actor=household, device_id=device.pk)
    unrelated = services.book_session(actor=household, household=household, slot_id=SessionSlotFactory().pk)
    booking = services.book_session(actor=household, household=household, slot_id=slot.pk, claim=claim)

    if ending == "cancelled":
        reservations.cancel_claim(claim_id=claim.pk, actor=household)
    else:
        Claim.objects.filter(pk=claim.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        assert reservations.expire_claim(claim_id=claim.pk)

    booking.refresh_from_db()
    unrelated.refresh_from_db()
    assert booking.status == "cancelled" and unrelated.status == "booked"
    services.book_session(actor=other, household=other, slot_id=slot.pk)
    assert slot.seats_taken() == 1


def test_the_workshop_publishes_sessions_in_the_future_only(client):
    workshop = OrganisationFactory(open_workshop=True)
    technician = member_of(workshop)
    client.force_login(technician)
    response = client.post(
        reverse("tripod:workshop_sessions"),
        {"starts_at": "2099-01-15T14:00", "duration_minutes": 90, "capacity": 6, "topic": "Ordinateur"},
    )
    assert response.status_code == 302
    assert SessionSlot.objects.get().workshop == workshop
    response = client.post(
        reverse("tripod:workshop_sessions"),
        {"starts_at": "2020-01-15T14:00", "duration_minutes": 90, "capacity": 6},
    )
    assert response.status_code == 422 and SessionSlot.objects.count() == 1
    with pytest.raises(InvalidInput):
        services.publish_slot(
            actor=technician, workshop=workshop, starts_at=timezone.now(), duration_minutes=60, capacity=3
        )
    client.force_login(HouseholdProfileFactory().user)
    assert client.get(reverse("tripod:workshop_sessions")).status_code == 404


def test_the_host_workshop_marks_attendance_once_the_session_started(client, programme):
    household = eligible()
    slot = SessionSlotFactory()
    booking = services.book_session(actor=household, household=household, slot_id=slot.pk)
    technician = member_of(slot.workshop)
    with pytest.raises(Conflict):
        services.mark_attendance(actor=technician, booking_id=booking.pk, attended=True)
    SessionSlot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(hours=1))

    client.force_login(member_of(OrganisationFactory(open_workshop=True)))
    assert client.post(reverse("tripod:mark", args=[booking.pk]), {"attended": "1"}).status_code == 404
    client.force_login(technician)
    assert client.post(reverse("tripod:mark", args=[booking.pk]), {"attended": "1"}).status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.marked_by) == ("attended", technician)


def test_reminders_go_by_email_once_and_on_the_code_sheet_for_people_without_email(client, programme):
    with_email = eligible()
    referrer, without_email = referrer_with_household()
    slot = SessionSlotFactory(starts_at=timezone.now() + timedelta(hours=30))
    later = SessionSlotFactory(starts_at=timezone.now() + timedelta(days=10))
    services.book_session(actor=with_email, household=with_email, slot_id=slot.pk)
    services.book_session(actor=with_email, household=with_email, slot_id=later.pk)
    claim = confirmed_claim(slot.workshop, without_email)
    services.book_session(actor=referrer, household=without_email, slot_id=slot.pk, claim=claim)

    assert services.send_session_reminders() == 1
    assert services.send_session_reminders() == 0
    reminder = Notification.objects.get(template="session_reminder")
    assert reminder.to_email == with_email.email and slot.workshop.name in reminder.body_text

    client.force_login(referrer)
    sheet = client.get(reverse("claims:claim_code", args=[claim.pk])).content.decode()
    assert "data-session-reminder" in sheet and slot.workshop.name in sheet


def test_a_household_without_a_mandate_covering_claims_cannot_cancel_through_someone_else(programme):
    household = eligible()
    slot = SessionSlotFactory()
    booking = services.book_session(actor=household, household=household, slot_id=slot.pk)
    with pytest.raises(NotFound):
        services.cancel_booking(actor=UserFactory(), booking=booking)


@pytest.mark.parametrize("closed", ["cancelled", "expired"])
def test_a_closed_claim_offers_neither_sessions_nor_connection_offers(client, programme, closed):
    from tests.factories.tripod import ConnectivityOfferFactory

    household = eligible()
    claim = confirmed_claim(household=household)
    slot = SessionSlotFactory(workshop=claim.device.workshop)
    ConnectivityOfferFactory(name="Box solidaire")
    client.force_login(household)
    page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert "data-sessions" in page and f'value="{slot.pk}"' in page
    assert "data-offers" in page and "Box solidaire" in page

    if closed == "cancelled":
        reservations.cancel_claim(claim_id=claim.pk, actor=household)
    else:
        Claim.objects.filter(pk=claim.pk).update(status=closed)
    page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert "data-sessions" not in page and 'name="slot"' not in page
    assert "demandez à l’atelier lors de la remise" not in page
    assert "data-offers" not in page and "Box solidaire" not in page
    # A form kept open in another tab cannot book with it either.
    client.post(reverse("tripod:book", args=[claim.pk]), {"slot": slot.pk})
    assert not SessionBooking.objects.exists()
    claim.refresh_from_db()
    with pytest.raises(Conflict):
        services.book_session(actor=household, household=household, slot_id=slot.pk, claim=claim)


@pytest.mark.parametrize(
    ("department", "own_postcode", "elsewhere"),
    [
        # Overseas départements share their first two digits: Réunion is not Guadeloupe, 7,000 km away.
        ("974", "97411", "97110"),
        # Corsica's postcodes start with 20, its départements are 2A and 2B.
        ("2A", "20000", "20200"),
        ("2B", "20200", "20000"),
    ],
)
def test_partner_sessions_are_those_of_the_households_own_department(
    programme, department, own_postcode, elsewhere
):
    claim = confirmed_claim()
    Claim.objects.filter(pk=claim.pk).update(department=department)
    claim.refresh_from_db()
    own = SessionSlotFactory(workshop=None, place=MediationPlaceFactory(postcode=own_postcode))
    SessionSlotFactory(workshop=None, place=MediationPlaceFactory(postcode=elsewhere))
    assert list(services.bookable_slots(claim)) == [own]


def test_a_claim_books_only_the_sessions_it_is_offered_on_every_path(programme):
    """The claim page and the counter list the sessions of the claim's workshop and of partner places in its
    département: a slot id of another workshop's session, posted or passed to the service, is not one of them."""
    household = eligible(postcode="93200")
    claim = confirmed_claim(household=household)
    elsewhere = SessionSlotFactory()  # another workshop's
    far_place = SessionSlotFactory(workshop=None, place=MediationPlaceFactory(postcode="13001"))
    counter = member_of(claim.device.workshop)
    for actor in (household, counter):
        for slot in (elsewhere, far_place):
            with pytest.raises(NotFound):
                services.book_session(actor=actor, household=household, slot_id=slot.pk, claim=claim)
    assert not SessionBooking.objects.exists()
