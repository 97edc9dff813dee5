"""One device in the household's hands, one 3-month questionnaire: a swap does not send a second one for the
same claim, and the donor's figures count the household's answer once."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from reuse.accounts.models import Notification
from reuse.aftercare import impact
from reuse.aftercare.models import FollowUp
from reuse.aftercare.services import follow_ups
from reuse.claims.models import Claim
from tests.aftercare.helpers import at_noon, handed_over, swap_for_a_spare

pytestmark = pytest.mark.django_db
ANSWERS = {"usage": "daily", "purposes": ["school"], "has_problem": "no", "wants_help": "no"}


def answer_with_the_code(client, code, day):
    """The household types the code printed on its receipt and answers, on `day`: the answer page."""
    with time_machine.travel(at_noon(day)):
        opened = client.post(reverse("aftercare:follow_up"), {"code": code})
        assert opened.status_code == 302, opened.content.decode()
        return client.post(reverse("aftercare:follow_up_answer"), ANSWERS)


def test_a_swap_before_the_questionnaire_moves_it_to_the_replacement_and_sends_it_once(client, programme):
    with time_machine.travel(at_noon(date(2026, 1, 10))):
        claim, technician = handed_over()
    printed = claim.follow_up.code_display  # on the first receipt
    with time_machine.travel(at_noon(date(2026, 2, 2))):
        replacement = swap_for_a_spare(claim, technician, "Ne démarre plus")

    follow_up = FollowUp.objects.get()  # one questionnaire for the household's device, not two
    assert follow_up.claim_id == replacement.pk
    assert follow_up.code_display == printed  # the code the household holds still opens it
    # It asks about the device in hand: three months after the replacement was handed over.
    assert follow_up.due_on == date(2026, 2, 2) + timedelta(days=90)

    for day in (date(2026, 4, 10), follow_up.due_on, follow_up.due_on + timedelta(days=30)):
        with time_machine.travel(at_noon(day)):
            follow_ups.send_due_follow_ups()
    assert Notification.objects.filter(template="aftercare_follow_up").count() == 1

    done = answer_with_the_code(client, printed, follow_up.due_on)
    assert "data-follow-up-done" in done.content.decode()
    both = Claim.objects.filter(pk__in=[claim.pk, replacement.pk])
    assert impact.in_use_at_three_months(both)["answered"] == 1
    assert sum(row["answered"] for row in impact.rates(both)) == 1


def test_a_questionnaire_answered_before_the_swap_is_not_sent_again(client, programme):
    with time_machine.travel(at_noon(date(2026, 1, 10))):
        claim, technician = handed_over()
    follow_up = claim.follow_up
    answer_with_the_code(client, follow_up.code_display, follow_up.due_on)
    with time_machine.travel(at_noon(date(2026, 4, 20))):
        replacement = swap_for_a_spare(claim, technician, "L’écran clignote")

    assert list(FollowUp.objects.values_list("claim_id", flat=True)) == [claim.pk]
    with time_machine.travel(at_noon(date(2026, 4, 20) + timedelta(days=95))):
        assert follow_ups.send_due_follow_ups() == 0
    # The replacement's receipt shows no questionnaire code: the household already answered.
    client.force_login(claim.beneficiary)
    pdf = client.get(reverse("claims:receipt", args=[replacement.pk])).content
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Garantie" in text and "Questionnaire à 3 mois" not in text
