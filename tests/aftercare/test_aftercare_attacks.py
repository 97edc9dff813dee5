"""What a hurried or hostile hand tries on after-care pages: a step sent twice, a swap on a refunded ticket, a
ticket on another household's claim, a questionnaire answered twice, a ticket of another workshop."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from inventory.enums import DeviceState
from reuse.aftercare.enums import ReturnedTo, TicketStatus
from reuse.aftercare.models import FollowUp, Ticket
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim
from tests.aftercare.helpers import at_noon, handed_over, report_from_the_receipt, swap_for_a_spare
from tests.factories.inventory import DeviceFactory, workshop_with_member

pytestmark = pytest.mark.django_db
PROBLEM = "Le clavier ne répond plus."


def open_from_space(client, claim):
    client.force_login(claim.beneficiary)
    response = client.post(reverse("aftercare:open_for_claim", args=[claim.pk]), {"description": PROBLEM})
    assert response.status_code == 302
    return Ticket.objects.open().get(claim=claim)


def post_step(client, technician, ticket, step, data=None):
    client.force_login(technician)
    return client.post(reverse("aftercare:triage", args=[ticket.pk, step]), data or {}, follow=True)


def test_repaired_sent_twice_extends_the_warranty_once(client, programme):
    with time_machine.travel(at_noon(date(2026, 1, 10))):
        claim, technician = handed_over(free=True)
    with time_machine.travel(at_noon(date(2026, 2, 1))):
        ticket = open_from_space(client, claim)
        post_step(client, technician, ticket, "repair", {"repair-note": ""})
        post_step(client, technician, ticket, "repaired", {"repair-note": ""})
        again = post_step(client, technician, ticket, "repaired", {"repair-note": ""})
    assert "n’est pas en réparation" in again.content.decode()
    ticket.refresh_from_db()
    assert ticket.warranty_until == date(2027, 1, 10)
    assert ticket.events.filter(to_status=TicketStatus.REPAIRED).count() == 1


def test_a_swap_on_a_refunded_ticket_is_refused_and_reserves_nothing(client, programme):
    claim, technician = handed_over()
    ticket = open_from_space(client, claim)
    spare = DeviceFactory(listed=True, workshop=claim.device.workshop, type=claim.device.type)
    post_step(
        client, technician, ticket, "refund", {"refund-returned_to": ReturnedTo.PARTS, "refund-note": ""}
    )
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.REFUNDED
    data = {"swap-replacement": spare.pk, "swap-returned_to": ReturnedTo.PARTS, "swap-note": ""}
    post_step(client, technician, ticket, "swap", data)
    ticket.refresh_from_db()
    spare.refresh_from_db()
    assert ticket.status == TicketStatus.REFUNDED and ticket.replacement_claim_id is None
    assert spare.state == DeviceState.LISTED
    assert Claim.objects.filter(device=spare).count() == 0
    # Nor a new ticket on the returned claim, from the household's space.
    client.force_login(claim.beneficiary)
    page = client.post(reverse("aftercare:open_for_claim", args=[claim.pk]), {"description": PROBLEM})
    assert page.status_code == 404
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.RETURNED


def test_a_ticket_on_another_households_claim_is_a_404(client, programme):
    mine, _tech = handed_over()
    theirs, _tech = handed_over()
    client.force_login(mine.beneficiary)
    response = client.post(reverse("aftercare:open_for_claim", args=[theirs.pk]), {"description": PROBLEM})
    assert response.status_code == 404
    assert not Ticket.objects.exists()
    ticket = open_from_space(client, theirs)
    client.force_login(mine.beneficiary)
    assert client.get(reverse("aftercare:ticket", args=[ticket.pk])).status_code == 404


def test_a_technician_of_another_workshop_cannot_close_the_ticket(client, programme):
    claim, _tech = handed_over()
    ticket = open_from_space(client, claim)
    _other_workshop, stranger = workshop_with_member()
    client.force_login(stranger)
    for step, data in (
        ("advice", {"advice-note": "Redémarrez."}),
        ("refund", {"refund-returned_to": ReturnedTo.PARTS}),
    ):
        response = client.post(reverse("aftercare:triage", args=[ticket.pk, step]), data)
        assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN and ticket.events.count() == 1


def test_a_questionnaire_answered_twice_keeps_the_first_answer(client, programme):
    claim, _tech = handed_over()
    follow_up = claim.follow_up
    answers = {"usage": "daily", "purposes": ["school"], "has_problem": "no", "wants_help": "no"}
    with time_machine.travel(at_noon(follow_up.due_on)):
        client.post(reverse("aftercare:follow_up"), {"code": follow_up.code})
        first = client.post(reverse("aftercare:follow_up_answer"), answers)
        again = client.post(reverse("aftercare:follow_up_answer"), {**answers, "usage": "not_used"})
    assert "data-follow-up-done" in first.content.decode() and "data-follow-up-done" in again.content.decode()
    follow_up = FollowUp.objects.get()
    assert follow_up.usage == "daily"


def test_the_first_receipt_after_a_swap_leads_to_the_replacement(client, programme):
    claim, technician = handed_over()
    replacement = swap_for_a_spare(claim, technician, "Ne démarre plus")
    response = report_from_the_receipt(client, claim, PROBLEM)
    assert response.status_code == 409
    text = response.content.decode()
    assert f"Cet appareil a été échangé : signalez le problème avec le reçu n° {replacement.pk}" in text
    assert Ticket.objects.open().count() == 0


def test_a_device_given_back_and_refunded_is_no_longer_under_warranty(client, programme):
    claim, technician = handed_over()
    ticket = open_from_space(client, claim)
    post_step(
        client, technician, ticket, "refund", {"refund-returned_to": ReturnedTo.PARTS, "refund-note": ""}
    )
    client.logout()
    response = report_from_the_receipt(client, claim, PROBLEM)
    assert response.status_code == 409
    assert "Cet appareil a été rendu à l’atelier et remboursé" in response.content.decode()
