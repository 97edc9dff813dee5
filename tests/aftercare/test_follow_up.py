"""The 3-month follow-up (issue 19): offered by email, by the code on the receipt, or with the referrer; a problem
opens a ticket, a wish for help orients to the workshop; rates only as totals."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from reuse.accounts.models import Notification
from reuse.aftercare import impact
from reuse.aftercare.enums import FollowUpChannel, TicketChannel, Usage
from reuse.aftercare.models import AftercareRules, FollowUp, Ticket
from reuse.aftercare.services import follow_ups, tickets
from reuse.errors import Conflict
from tests.aftercare.helpers import answer_by_code, handed_over, three_months_later
from tests.factories.eligibility import eligible, referrer_with_household

pytestmark = pytest.mark.django_db

ANSWERS = {"usage": "daily", "purposes": ["school", "paperwork"], "has_problem": "no", "wants_help": "no"}


def test_the_follow_up_is_due_after_the_programmes_delay(programme):
    AftercareRules.objects.create(programme=programme, follow_up_days=60)
    claim, _tech = handed_over()
    follow_up = FollowUp.objects.get(claim=claim)
    assert follow_up.due_on == timezone.localdate(claim.handed_over_at) + timedelta(days=60)
    assert len(follow_up.code) == 8


def test_the_printed_code_opens_the_questionnaire_and_it_is_answered_once(client, programme):
    claim, _tech = handed_over()
    with three_months_later(claim.follow_up):
        follow_up = claim.follow_up
        response = client.post(reverse("aftercare:follow_up"), {"code": follow_up.code_display.lower()})
        assert response.status_code == 302
        response = client.post(reverse("aftercare:follow_up_answer"), ANSWERS)
        assert response.status_code == 200 and "data-follow-up-done" in response.content.decode()
        follow_up.refresh_from_db()
        assert follow_up.usage == Usage.DAILY and follow_up.channel == FollowUpChannel.CODE
        assert follow_up.purposes == ["school", "paperwork"] and follow_up.answered_by is None
        with pytest.raises(Conflict):
            answer_by_code(follow_up, "not_used")
        assert FollowUp.objects.get().usage == Usage.DAILY


def test_a_wrong_code_is_refused_in_plain_words(client, programme):
    response = client.post(reverse("aftercare:follow_up"), {"code": "ZZZZ-ZZZZ"})
    assert response.status_code == 422 and "imprimé sur votre reçu" in response.content.decode()


def test_a_problem_opens_a_ticket_and_help_shows_the_workshop(client, programme):
    claim, _tech = handed_over()
    with three_months_later(claim.follow_up):
        client.post(reverse("aftercare:follow_up"), {"code": claim.follow_up.code})
        response = client.post(
            reverse("aftercare:follow_up_answer"),
            {**ANSWERS, "has_problem": "yes", "problem": "Le wifi décroche", "wants_help": "yes"},
        )
        page = response.content.decode()
        ticket = Ticket.objects.get()
        assert ticket.channel == TicketChannel.FOLLOW_UP and ticket.description == "Le wifi décroche"
        assert "data-help" in page and claim.device.workshop.name in page
        # The person follows the ticket it opened from the same browser.
        assert client.get(reverse("aftercare:ticket", args=[ticket.pk])).status_code == 200


def test_a_problem_without_words_is_asked_again(client, programme):
    claim, _tech = handed_over()
    with three_months_later(claim.follow_up):
        client.post(reverse("aftercare:follow_up"), {"code": claim.follow_up.code})
        response = client.post(reverse("aftercare:follow_up_answer"), {**ANSWERS, "has_problem": "yes"})
        assert response.status_code == 422 and not Ticket.objects.exists()
        assert FollowUp.objects.get().answered_at is None


def test_a_referrer_fills_it_in_with_a_household_without_email(client, programme):
    referrer, household = referrer_with_household()
    assert household.email is None
    claim, _tech = handed_over(household=household)
    with three_months_later(claim.follow_up):
        client.force_login(referrer)
        listing = client.get(reverse("aftercare:referrer_follow_ups")).content.decode()
        url = reverse("aftercare:referrer_follow_up", args=[claim.follow_up.pk])
        assert url in listing
        response = client.post(url, {**ANSWERS, "usage": "sometimes"})
        assert response.status_code == 200
        follow_up = FollowUp.objects.get()
        assert follow_up.channel == FollowUpChannel.REFERRER and follow_up.answered_by == referrer
        # Another referrer (no mandate for this household) gets a 404.
        other, _hh = referrer_with_household()
        client.force_login(other)
        assert client.get(url).status_code == 404


def test_the_email_goes_once_when_due_and_only_to_households_with_one(programme):
    claim, _tech = handed_over()
    _referrer, silent = referrer_with_household()
    handed_over(household=silent)
    assert follow_ups.send_due_follow_ups() == 0
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        assert follow_ups.send_due_follow_ups() == 1
        assert follow_ups.send_due_follow_ups() == 0
    mail = Notification.objects.get(template="aftercare_follow_up")
    assert mail.to_email == claim.beneficiary.email and claim.follow_up.code in mail.body_text


def test_rates_per_type_and_grade_hide_usage_under_three_answers(programme):
    claims = [handed_over()[0] for _ in range(4)]
    tickets.open_ticket(actor=claims[0].beneficiary, claim_id=claims[0].pk, description="x")
    for claim, usage in zip(claims[:2], ["daily", "not_used"], strict=True):
        answer_by_code(claim.follow_up, usage)
    (row,) = impact.rates()
    assert (row["type"], row["grade"], row["handed"], row["tickets"], row["ticket_rate"]) == (
        "laptop",
        "B",
        4,
        1,
        25,
    )
    assert row["answered"] == 2 and row["usage_rate"] is None
    answer_by_code(claims[2].follow_up, "sometimes")
    (row,) = impact.rates()
    assert row["usage_rate"] == 67


def test_the_workshop_rates_page_shows_only_its_devices(client, programme):
    claim, technician = handed_over()
    handed_over(household=eligible())
    client.force_login(technician)
    page = client.get(reverse("aftercare:rates")).content.decode()
    assert "data-rates" in page
    assert impact.rates()[0]["handed"] == 2
    assert '<td data-label="Remis">1</td>' in page


def test_the_questionnaire_opens_at_three_months_not_at_the_counter(client, programme):
    """The receipt printed at the counter carries the code: answered there on the day, « used every day » would
    be the workshop's guess, not the household's use at three months, and would feed the donors' reports."""
    claim, _tech = handed_over()
    follow_up = claim.follow_up
    response = client.post(reverse("aftercare:follow_up"), {"code": follow_up.code})
    assert response.status_code == 409 and "à partir du" in response.content.decode()
    with pytest.raises(Conflict) as refused:
        answer_by_code(follow_up, "daily", on=follow_up.due_on - timedelta(days=1))
    assert refused.value.code == "not_due"
    referrer, household = referrer_with_household()
    early = handed_over(household=household)[0].follow_up
    client.force_login(referrer)
    response = client.post(reverse("aftercare:referrer_follow_up", args=[early.pk]), ANSWERS)
    assert response.status_code == 409
    assert not FollowUp.objects.answered().exists() and impact.rates()[0]["answered"] == 0
    answer_by_code(follow_up, "daily")
    assert FollowUp.objects.get(pk=follow_up.pk).usage == Usage.DAILY


def test_the_email_says_how_to_stop_and_the_stop_holds_for_the_households_next_devices(client, programme):
    """A link in the email stops the questionnaires by email for that person; opening the link (a mail scanner
    does) changes nothing until the person confirms."""
    household = eligible()
    first, _tech = handed_over(household=household)
    with three_months_later(first.follow_up):
        assert follow_ups.send_due_follow_ups() == 1
    mail = Notification.objects.get(template="aftercare_follow_up")
    stop = reverse("aftercare:follow_up_stop") + f"?code={first.follow_up.code}"
    assert stop in mail.body_text and stop.replace("&", "&amp;") in mail.body_html
    page = client.get(stop)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert not FollowUp.objects.filter(stopped_at__isnull=False).exists()
    response = client.post(reverse("aftercare:follow_up_stop"), {"code": first.follow_up.code})
    assert response.status_code == 200 and "data-follow-up-stopped" in response.content.decode()
    second, _tech = handed_over(household=household, type="tablet")
    with three_months_later(second.follow_up):
        assert follow_ups.send_due_follow_ups() == 0
        # The questionnaire itself stays open with the printed code.
        assert client.post(reverse("aftercare:follow_up"), {"code": second.follow_up.code}).status_code == 302
    assert Notification.objects.filter(template="aftercare_follow_up").count() == 1


def test_a_wrong_stop_code_is_refused_and_counted(client, programme):
    response = client.post(reverse("aftercare:follow_up_stop"), {"code": "ZZZZ-ZZZZ"})
    assert response.status_code == 422 and not FollowUp.objects.filter(stopped_at__isnull=False).exists()


def test_a_ticket_opened_at_the_same_moment_keeps_the_answers_and_one_ticket(programme, monkeypatch):
    """The household's form opened a ticket while the questionnaire was being answered (the check before it saw
    none): the constraint refuses the second ticket, and the answers are kept, not a server error."""
    claim, _tech = handed_over()
    tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description="L’écran clignote")
    monkeypatch.setattr(Ticket.objects, "open", lambda: Ticket.objects.none())  # the race: nothing seen open
    with three_months_later(claim.follow_up):
        follow_up = follow_ups.answer_follow_up(
            follow_up_id=claim.follow_up.pk,
            actor=claim.beneficiary,
            channel=FollowUpChannel.CODE,
            usage=Usage.DAILY,
            purposes=[],
            has_problem=True,
            problem="Le wifi décroche",
            wants_help=False,
        )
    follow_up.refresh_from_db()
    assert follow_up.answered_at is not None and follow_up.ticket is None
    assert Ticket.objects.get().description == "L’écran clignote"
