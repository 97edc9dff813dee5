"""The data migration that leaves one 3-month questionnaire per device in the household's hands: replacements
handed over before follow_up_for moved the questionnaire kept two (the replaced device's and their own)."""

from datetime import date

import pytest
import time_machine
from django.utils import timezone

from reuse.aftercare.models import FollowUp, new_follow_up_code
from tests.aftercare.helpers import at_noon, handed_over, swap_for_a_spare
from tests.migrations import migrate_to, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("aftercare", "0003_warranty_help_says_the_law")
AFTER = ("aftercare", "0004_one_follow_up_per_device_in_hand")


def _swapped():
    """A device swapped for a replacement, written by today's services at the latest schema (they write columns
    later migrations add, such as the journals' note codes). Returns (claim, replacement)."""
    with time_machine.travel(at_noon(date(2026, 1, 10))):
        claim, technician = handed_over()
    with time_machine.travel(at_noon(date(2026, 2, 2))):
        replacement = swap_for_a_spare(claim, technician, "Ne démarre plus")
    return claim, replacement


def _as_before(swap, **answered):
    """The swap with a questionnaire for each device, as before the change; `answered` says which of "first" and
    "replacement" the household answered. Returns (first's, replacement's)."""
    claim, replacement = swap
    moved = FollowUp.objects.get(claim__in=[claim, replacement])
    left_behind = FollowUp.objects.create(claim=claim, code=new_follow_up_code(), due_on=date(2026, 4, 10))
    for follow_up, name in ((left_behind, "first"), (moved, "replacement")):
        if answered.get(name):
            FollowUp.objects.filter(pk=follow_up.pk).update(answered_at=timezone.now(), usage="daily")
    return left_behind, moved


@pytest.fixture
def back_to_latest():
    """Whatever the test does, the schema ends at every app's latest migration for the tests that follow."""
    yield
    migrate_to_latest()


def test_one_questionnaire_is_left_per_device_in_hand_and_no_answer_is_lost(programme, back_to_latest):
    swaps = [_swapped() for _ in range(4)]
    alone, _technician = handed_over()  # never swapped: its questionnaire stays
    migrate_to(BEFORE)
    neither = _as_before(swaps[0])
    first_answered = _as_before(swaps[1], first=True)
    replacement_answered = _as_before(swaps[2], replacement=True)
    both = _as_before(swaps[3], first=True, replacement=True)

    migrate_to(AFTER)

    kept = set(FollowUp.objects.values_list("pk", flat=True))
    # Nothing answered: the replacement's (the device in hand) stays.
    assert neither[0].pk not in kept and neither[1].pk in kept
    # One answered: it stays, the unanswered one goes (a swap never asks twice).
    assert first_answered[0].pk in kept and first_answered[1].pk not in kept
    assert replacement_answered[0].pk not in kept and replacement_answered[1].pk in kept
    # Two answers: both stay.
    assert both[0].pk in kept and both[1].pk in kept
    assert FollowUp.objects.filter(claim=alone).exists()
