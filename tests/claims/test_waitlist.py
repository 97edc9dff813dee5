"""The waitlist on SQLite: joining it from the page, offers when a reservation expires, when the beat sweeps
and when a workshop lists a device."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation

from reuse.accounts.models import User
from reuse.claims.enums import ClaimStatus, WaitlistStatus
from reuse.claims.models import Claim
from reuse.claims.services import reservations, waitlist
from reuse.claims.tasks import expire_overdue_claims, offer_waitlisted_devices, remind_expiring_claims
from reuse.eligibility.models import EligibilityDecision, Mandate
from reuse.eligibility.services.mandates import revoke_mandate
from reuse.errors import Conflict, NotFound
from tests.claims.helpers import join
from tests.factories.accounts import member_of
from tests.factories.eligibility import eligible, referrer_with_household
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


def test_expiry_returns_the_device_or_offers_it_to_the_waitlist(programme):
    early, waiting, late = eligible(), eligible(), eligible()
    device = DeviceFactory(listed=True)
    claim = reservations.create_claim(actor=early, device_id=device.pk)
    entry = join(waiting, max_price_cents=6000, lives_in_qpv_zrr=True, no_computer=True)
    join(late)
    assert waitlist.waitlist_position(entry) == 1
    with time_machine.travel(timezone.now() + timedelta(hours=40), tick=False):
        assert remind_expiring_claims() == 1
        assert any("se termine bientôt" in m.subject for m in mail.outbox)
    with time_machine.travel(timezone.now() + timedelta(hours=49), tick=False):
        assert expire_overdue_claims() == 1
    claim.refresh_from_db()
    entry.refresh_from_db()
    assert claim.status == ClaimStatus.EXPIRED
    assert entry.status == WaitlistStatus.OFFERED
    offered = entry.offered_claim
    assert offered.device_id == device.pk and offered.beneficiary == waiting
    # the offer lapses too: the next household gets it
    with time_machine.travel(timezone.now() + timedelta(hours=100), tick=False):
        expire_overdue_claims()
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.LAPSED
    assert Claim.objects.get(device=device, status=ClaimStatus.RESERVED).beneficiary == late


def test_beat_offers_listed_devices_to_waiting_households(client, programme):
    household = eligible()
    join(household, device_type="smartphone", children_at_school=True)
    client.force_login(household)
    page = client.get("/demandes/liste-attente/").content.decode()
    assert "Vous êtes en position 1" in page and "points si des enfants vont à l’école" in page
    phone = DeviceFactory(listed=True, phone=True)
    assert offer_waitlisted_devices() == 1
    assert Claim.objects.get(device=phone).beneficiary == household


def test_household_joins_the_waitlist_from_the_page(client, programme):
    household = eligible()
    client.force_login(household)
    response = client.post(
        "/demandes/liste-attente/",
        {"device_type": "laptop", "max_price": "50", "no_computer": "on", "children_at_school": "on"},
    )
    assert response.status_code == 302
    page = client.get("/demandes/liste-attente/").content.decode()
    # Ticked boxes are a declaration: they earn points once verified with the eligibility (test_waitlist_*).
    assert "Vous êtes en position 1." in page and "Vos points : 0." in page
    # Sent again (a double tap, a phone resending the POST): no second place, and the same way to the page of
    # the place as the first answer, instead of a form in error that reads as if joining had failed.
    again = client.post("/demandes/liste-attente/", {"device_type": "laptop"})
    assert again.status_code == 302 and again["Location"] == "/demandes/liste-attente/"
    page = client.get(again["Location"]).content.decode()
    assert "déjà inscrit" in page and "Vous êtes en position 1." in page
    assert household.waitlist_entries.count() == 1


def test_a_referrer_joining_twice_for_a_household_hears_it_is_already_on_the_list(programme):
    referrer, household = referrer_with_household()
    join(referrer, beneficiary=household)
    with pytest.raises(Conflict) as again:
        join(referrer, beneficiary=household)
    assert again.value.code == "already_waiting" and "Ce foyer est déjà inscrit" in again.value.message
    assert household.waitlist_entries.count() == 1


def test_another_households_place_stays_invisible_to_a_referrer_without_mandate(programme):
    referrer, _household = referrer_with_household()
    stranger = eligible()
    join(stranger)
    with pytest.raises(NotFound):
        join(referrer, beneficiary=stranger)


def test_listing_a_device_in_the_workshop_offers_it_to_the_waitlist(
    programme, django_capture_on_commit_callbacks
):
    from inventory.services.devices import price_and_list

    household = eligible()
    join(household, device_type="smartphone", no_computer=True)
    phone = DeviceFactory(listed=True, phone=True, state="ready", price_cents=None, grade="B")
    with django_capture_on_commit_callbacks(execute=True):
        price_and_list(device=phone, actor=member_of(phone.workshop), price_cents=0)
    claim = Claim.objects.get(device=phone)
    # Free device: nothing to pay, the offer is confirmed at once.
    assert claim.beneficiary == household and claim.status == "confirmed"


def first_of_two_with_its_decision_expired(household):
    """`household` joins the waiting list, another eligible household after it; then `household`'s eligibility
    decision expires (the outbox emptied): its place entry."""
    entry = join(household)
    join(eligible())
    EligibilityDecision.objects.filter(beneficiary=household).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    mail.outbox.clear()
    return entry


def test_a_household_whose_place_goes_is_told_why_and_what_to_do(programme):
    """Its decision expired while it waited: the offer goes to the next one, and it hears why instead of waiting
    for an offer that never comes."""
    household = eligible()
    entry = first_of_two_with_its_decision_expired(household)

    DeviceFactory(listed=True)
    assert offer_waitlisted_devices() == 1

    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.CANCELLED
    [email] = [message for message in mail.outbox if message.to == [household.email]]
    assert "liste d’attente" in email.subject
    assert "décision d’éligibilité" in email.body and "/demandes/liste-attente/" in email.body


@pytest.mark.parametrize("with_email", [True, False])
def test_a_place_a_referrer_made_stays_the_households_once_its_mandate_is_withdrawn(programme, with_email):
    """The household withdrew its mandate: the referrer acts for it no more and hears nothing more about it. The
    place on the list is the household's: one that signs in on its own is offered the device in its own name;
    one nobody can reach leaves the list, and the former referrer is not told about it."""
    referrer, household = referrer_with_household(with_email=with_email)
    entry = join(referrer, beneficiary=household)
    revoke_mandate(mandate=Mandate.objects.get(household=household), by=household)
    mail.outbox.clear()

    device = DeviceFactory(listed=True)
    claim = waitlist.offer_device(device.pk)

    entry.refresh_from_db()
    assert not [m for m in mail.outbox if referrer.email in m.to]
    if with_email:
        assert claim.beneficiary == household and claim.claimed_by == household
        assert claim.referrer_organisation is None and entry.status == WaitlistStatus.OFFERED
    else:
        assert claim is None and entry.status == WaitlistStatus.CANCELLED


def test_a_place_that_goes_is_explained_in_the_household_language_whoever_lists_the_device(programme):
    """The reason (its decision expired) is written when the offer is refused, in the listing workshop's request
    or the worker: it reaches the household in its own language all the same."""
    household = eligible()
    User.objects.filter(pk=household.pk).update(language="en")
    first_of_two_with_its_decision_expired(household)
    DeviceFactory(listed=True)
    with translation.override("fr"):
        assert offer_waitlisted_devices() == 1
    [email] = [message for message in mail.outbox if message.to == [household.email]]
    assert email.subject == "You are no longer on the waiting list"
    assert "décision" not in email.body and "eligibility decision" in email.body
