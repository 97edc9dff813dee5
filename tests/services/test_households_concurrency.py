"""PostgreSQL: households, referrers, workshops and staff pressing at the same moment, and a signed-in attacker
scripting parallel requests. Each test starts its requests together (threads with their own connections, a
barrier) and checks the invariant: a waiting place is offered one device, a household joins a list once, an email
opens one account, a claim is cancelled, handed over or paid back by hand once, a lot is submitted once."""

import pytest

from donations.enums import LotStatus
from donations.models import Lot
from donations.services import accept_lot, decline_lot, submit_lot
from inventory.enums import DeviceState
from inventory.models import Device
from reuse.accounts import privacy
from reuse.accounts.models import User
from reuse.accounts.signups import create_account
from reuse.claims import handover as counter
from reuse.claims.enums import ClaimStatus, HandRefundMethod, PaymentMethod, WaitlistStatus
from reuse.claims.models import Claim, ClaimEvent, HandRefund, Payment, WaitlistEntry
from reuse.claims.services import hand_refunds, reservations, waitlist
from reuse.errors import DomainError
from tests.claims.conftest import fake  # noqa: F401 - Stripe's refunds in memory, for the refund that failed
from tests.claims.helpers import PRICE, join, paid_claim
from tests.claims.test_given_back_by_hand import refund_failed
from tests.factories.accounts import OrganisationFactory, UserFactory, member_of
from tests.factories.donations import LotFactory, donor_with_member, manifest_lines
from tests.factories.eligibility import eligible, referrer_with_household
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory
from tests.services.test_claims_concurrency import _race
from tests.services.test_claims_expiry_race import _HoldFirstLock, _run_together

pytestmark = pytest.mark.django_db(transaction=True)


# --- the waiting list -------------------------------------------------------------------------------------


def test_two_devices_released_at_once_offer_one_each_to_two_households_never_two_to_one():
    ProgrammeFactory()
    first, second = eligible(), eligible()
    places = [join(first), join(second)]
    devices = [DeviceFactory(listed=True, price_cents=3000) for _ in range(3)]
    outcomes = _race([lambda d=d: waitlist.offer_device(d.pk) for d in devices])

    assert not any(isinstance(o, str) for o in outcomes), outcomes
    offered = [o for o in outcomes if isinstance(o, Claim)]
    assert sorted(claim.beneficiary_id for claim in offered) == sorted([first.pk, second.pk])
    assert outcomes.count(None) == 1
    for place in places:
        place.refresh_from_db()
        assert (
            place.status == WaitlistStatus.OFFERED
            and place.offered_claim.beneficiary_id == place.beneficiary_id
        )
    assert Device.objects.filter(state=DeviceState.LISTED).count() == 1


class _HoldFirstPlace(_HoldFirstLock):
    """The first offer runs until it holds a waiting place, and keeps it until the other offer waits on it."""

    TABLES = ('"claims_waitlistentry"',)


def test_a_place_held_by_one_offer_is_skipped_by_the_other_and_stays_on_the_list():
    """The second device's offer waits for the place the first one is offering, then sees it offered: the
    household keeps its offer and its place (the cap would otherwise have taken it off the list)."""
    ProgrammeFactory()
    household = eligible()
    place = join(household)
    first, second = (DeviceFactory(listed=True, price_cents=3000) for _ in range(2))
    hold = _HoldFirstPlace()
    results, errors = _run_together(
        {
            "first": hold.first(lambda: waitlist.offer_device(first.pk)),
            "second": hold.then(lambda: waitlist.offer_device(second.pk)),
        }
    )

    assert not errors, errors
    assert hold.peer_waited, "the second offer never waited on the place"
    assert results["second"] is None and results["first"].device_id == first.pk
    place.refresh_from_db()
    assert (place.status, place.offered_claim_id) == (WaitlistStatus.OFFERED, results["first"].pk)
    assert Device.objects.get(pk=second.pk).state == DeviceState.LISTED


def test_an_offer_made_while_the_household_closes_its_account_ends_one_way_without_deadlock():
    """The offer held the household's place and waited for the household, the closing held the household and
    waited for its place: PostgreSQL killed one of them (the offer lost, or staff got a server error)."""
    ProgrammeFactory()
    household = eligible()
    place = join(household)
    device = DeviceFactory(listed=True, price_cents=3000)
    hold = _HoldFirstPlace()
    results, errors = _run_together(
        {
            "offer": hold.first(lambda: waitlist.offer_device(device.pk)),
            "closing": hold.then(lambda: privacy.close_account_on_request(user_id=household.pk)),
        }
    )

    assert hold.peer_waited, "the closing never waited on the offer"
    assert not [e for e in errors.values() if not isinstance(e, DomainError)], errors
    place.refresh_from_db()
    if "closing" in errors:  # the offer came first: the account stays open while its claim runs
        assert errors["closing"].code == "account_busy" and place.status == WaitlistStatus.OFFERED
    else:
        assert results["offer"] is None and place.status == WaitlistStatus.CANCELLED


def test_the_same_household_joining_the_list_twice_at_once_has_one_place():
    ProgrammeFactory()
    household = eligible()
    outcomes = _race([lambda: join(household) for _ in range(4)])

    assert sorted(o if isinstance(o, str) else "joined" for o in outcomes) == [
        waitlist.ALREADY_WAITING
    ] * 3 + ["joined"]
    assert WaitlistEntry.objects.filter(beneficiary=household).count() == 1


def test_an_offer_taken_at_the_counter_while_its_hold_ends_is_either_kept_or_lapsed_never_both():
    ProgrammeFactory()
    household = eligible()
    place = join(household)
    claim = waitlist.offer_device(DeviceFactory(listed=True, price_cents=3000).pk)
    Claim.objects.filter(pk=claim.pk).update(expires_at=claim.created)  # the hold ends now
    outcomes = _race(
        [
            lambda: reservations.choose_pay_at_workshop(claim_id=claim.pk, actor=household),
            lambda: reservations.expire_claim(claim_id=claim.pk),
        ]
    )

    assert not any(str(o).startswith("error") for o in outcomes), outcomes
    claim.refresh_from_db()
    place.refresh_from_db()
    device = Device.objects.get(pk=claim.device_id)
    if claim.status == ClaimStatus.EXPIRED:
        assert (place.status, device.state) == (WaitlistStatus.LAPSED, DeviceState.LISTED)
    else:
        assert (claim.status, place.status, device.state) == (
            ClaimStatus.RESERVED,
            WaitlistStatus.OFFERED,
            DeviceState.RESERVED,
        )
    assert ClaimEvent.objects.filter(claim=claim, to_status=ClaimStatus.EXPIRED).count() <= 1


# --- accounts and claims ----------------------------------------------------------------------------------


def test_one_email_signed_up_twice_at_once_opens_one_account_and_tells_the_other_it_exists():
    outcomes = _race(
        [
            lambda: create_account(email="Meme.Adresse@example.org", password="une-phrase-longue-2026")
            for _ in range(3)
        ]
    )

    assert (
        sorted(o if isinstance(o, str) else "created" for o in outcomes) == ["created"] + ["email_taken"] * 2
    )
    assert User.objects.filter(email="meme.adresse@example.org").count() == 1


def test_a_referrer_and_the_household_claiming_at_once_stay_within_the_households_cap():
    ProgrammeFactory(household_cap_devices=1)
    referrer, household = referrer_with_household()
    devices = [DeviceFactory(listed=True) for _ in range(2)]
    outcomes = _race(
        [
            lambda: reservations.create_claim(actor=referrer, device_id=devices[0].pk, beneficiary=household),
            lambda: reservations.create_claim(actor=household, device_id=devices[1].pk),
        ]
    )

    assert sorted(o if isinstance(o, str) else "reserved" for o in outcomes) == ["cap_reached", "reserved"]
    assert Claim.objects.filter(beneficiary=household).count() == 1
    assert Device.objects.filter(state=DeviceState.LISTED).count() == 1


def test_a_referrer_and_the_household_cancelling_the_same_claim_at_once_free_the_device_once():
    ProgrammeFactory()
    referrer, household = referrer_with_household()
    claim = reservations.create_claim(
        actor=referrer, device_id=DeviceFactory(listed=True).pk, beneficiary=household
    )
    outcomes = _race(
        [
            lambda: reservations.cancel_claim(claim_id=claim.pk, actor=referrer),
            lambda: reservations.cancel_claim(claim_id=claim.pk, actor=household),
        ]
    )

    assert sorted(o if isinstance(o, str) else "cancelled" for o in outcomes) == [
        "cancelled",
        "illegal_transition",
    ]
    device = Device.objects.get(pk=claim.device_id)
    assert device.state == DeviceState.LISTED
    assert device.events.filter(to_state=DeviceState.LISTED, note_text__params__claim=claim.pk).count() == 1


# --- the workshop's counter and staff ---------------------------------------------------------------------


def test_the_handover_code_entered_twice_at_once_collects_the_money_and_hands_over_once():
    ProgrammeFactory()
    household = eligible()
    claim = reservations.create_claim(
        actor=household, device_id=DeviceFactory(listed=True, price_cents=3000).pk
    )
    reservations.choose_pay_at_workshop(claim_id=claim.pk, actor=household)
    technicians = [member_of(claim.device.workshop) for _ in range(2)]
    outcomes = _race(
        [
            lambda t=t: counter.hand_over(
                actor=t, claim_id=claim.pk, code=claim.handover_code, collected_cents=3000
            )
            for t in technicians
        ]
    )

    assert sorted(o if isinstance(o, str) else "handed over" for o in outcomes) == [
        "handed over",
        "illegal_transition",
    ]
    assert Payment.objects.filter(claim=claim, method=PaymentMethod.WORKSHOP).count() == 1
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.HANDED_OVER
    assert Device.objects.get(pk=claim.device_id).state == DeviceState.HANDED_OVER


def test_wrong_codes_sent_in_parallel_lock_the_claim_after_exactly_five():
    ProgrammeFactory()
    claim = reservations.create_claim(actor=eligible(), device_id=DeviceFactory(listed=True, free=True).pk)
    technician = member_of(claim.device.workshop)
    wrong = "AAA-AAA" if claim.handover_code != "AAAAAA" else "CCC-CCC"
    outcomes = _race(
        [lambda: counter.hand_over(actor=technician, claim_id=claim.pk, code=wrong) for _ in range(8)]
    )

    assert sorted(outcomes) == ["bad_code"] * 4 + ["handover_locked"] * 4
    claim.refresh_from_db()
    assert claim.handover_failures == 5 and claim.handover_locked_at is not None


def test_two_staff_recording_the_same_hand_refund_at_once_pay_it_once(fake):  # noqa: F811
    ProgrammeFactory()
    household, claim, payment = paid_claim(fake)
    refund_failed(fake, household, claim, payment)
    staff = [UserFactory(is_staff=True) for _ in range(2)]
    outcomes = _race(
        [
            lambda s=s: hand_refunds.record(
                claim_id=claim.pk,
                by=s,
                amount_cents=PRICE,
                method=HandRefundMethod.TRANSFER,
                reference="VIR-7",
            )
            for s in staff
        ]
    )

    assert sorted(o if isinstance(o, str) else "recorded" for o in outcomes) == ["invalid", "recorded"]
    assert HandRefund.objects.filter(payment=payment).count() == 1
    assert Claim.objects.get(pk=claim.pk).owed_another_way_cents == 0


def test_a_lot_submitted_twice_at_once_is_submitted_once():
    donor, member = donor_with_member()
    lot = LotFactory(donor=donor, created_by=member)
    manifest_lines(lot, 1, 4)
    outcomes = _race([lambda: submit_lot(lot=lot, actor=member) for _ in range(2)])

    assert sorted(o if isinstance(o, str) else "submitted" for o in outcomes) == [
        "illegal_transition",
        "submitted",
    ]
    lot = Lot.objects.get(pk=lot.pk)
    assert lot.status == LotStatus.SUBMITTED
    assert lot.events.filter(to_status=LotStatus.SUBMITTED).count() == 1


class _HoldFirstLot(_HoldFirstLock):
    TABLES = ('"donations_lot"',)


def test_a_lot_declined_and_accepted_at_once_by_two_members_of_its_workshop_is_never_accepted_unassigned():
    """One member declines the lot offered to the workshop while another accepts it: the acceptance checked the
    workshop on the lot it had read before the decline, then accepted a lot offered to nobody."""
    donor, member = donor_with_member()
    workshop = OrganisationFactory(workshop=True)
    lot = LotFactory(donor=donor, created_by=member, submitted=True, workshop=workshop)
    declining, accepting = member_of(workshop), member_of(workshop)
    hold = _HoldFirstLot()
    results, errors = _run_together(
        {
            "decline": hold.first(lambda: decline_lot(lot=lot, workshop=workshop, actor=declining)),
            "accept": hold.then(lambda: accept_lot(lot=lot, workshop=workshop, actor=accepting)),
        }
    )

    assert hold.peer_waited, "the acceptance never waited on the decline"
    assert "decline" in results and isinstance(errors.get("accept"), DomainError), errors
    assert errors["accept"].message == "Ce lot n’est pas attribué à votre atelier."
    lot = Lot.objects.get(pk=lot.pk)
    assert (lot.status, lot.workshop_id) == (LotStatus.SUBMITTED, None)
