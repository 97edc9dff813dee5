"""A waitlist entry moves through its declared lifecycle (WAITLIST in reuse/claims/transitions.py): offered when
a device is proposed to it, then withdrawn or lapsed with its claim, on a locked row; a move the table does not
declare is refused and writes nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from reuse.claims.enums import ClaimStatus, WaitlistStatus
from reuse.claims.services import reservations, waitlist
from reuse.claims.transitions import WAITLIST, close_offer
from reuse.errors import IllegalTransition
from tests.claims.helpers import join
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(programme):
    """A household on the list, offered a laptop just listed: (entry, claim)."""
    household = eligible()
    entry = join(household)
    claim = waitlist.offer_device(DeviceFactory(listed=True, price_cents=2500).pk)
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED and entry.offered_claim == claim
    return entry, claim


def test_cancelling_the_offered_claim_withdraws_the_entry(offer):
    entry, claim = offer
    reservations.cancel_claim(claim_id=claim.pk, actor=claim.beneficiary)
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.CANCELLED


def test_an_offer_not_taken_in_time_lapses(offer):
    entry, claim = offer
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):
        assert reservations.expire_claim(claim_id=claim.pk)
    entry.refresh_from_db()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.EXPIRED and entry.status == WaitlistStatus.LAPSED


def test_an_undeclared_waitlist_move_is_refused_and_writes_nothing(offer):
    entry, claim = offer
    reservations.cancel_claim(claim_id=claim.pk, actor=claim.beneficiary)
    # A withdrawn entry is never served afterwards.
    with pytest.raises(IllegalTransition), transaction.atomic():
        close_offer(claim, to=WaitlistStatus.FULFILLED)
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.CANCELLED
    # Nor is a waiting one served without an offer first.
    waiting = join(eligible())
    with pytest.raises(IllegalTransition), transaction.atomic():
        WAITLIST.move(WAITLIST.lock(waiting.pk), WaitlistStatus.FULFILLED)
    waiting.refresh_from_db()
    assert waiting.status == WaitlistStatus.WAITING and waiting.offered_claim is None
