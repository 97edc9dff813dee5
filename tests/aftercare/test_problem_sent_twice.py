"""A problem report sent twice (a double tap, a phone resending after a timeout): one ticket, and the second
answer leads to it as the first did, instead of "a ticket is already open" on a form to fill again."""

import pytest
from django.urls import reverse

from reuse.aftercare.models import Ticket
from tests.aftercare.helpers import handed_over, report_from_the_receipt

pytestmark = pytest.mark.django_db
PROBLEM = "L’écran reste noir quand je l’allume."


def test_a_problem_sent_twice_opens_one_ticket_and_leads_to_it(client, programme):
    claim, _tech = handed_over()
    client.force_login(claim.beneficiary)
    url = reverse("aftercare:open_for_claim", args=[claim.pk])
    first = client.post(url, {"description": PROBLEM})
    again = client.post(url, {"description": PROBLEM})
    assert Ticket.objects.count() == 1
    assert again.status_code == 302 and again.url == first.url


def test_someone_else_still_reads_that_a_ticket_is_open(client, programme):
    claim, technician = handed_over()
    client.force_login(claim.beneficiary)
    client.post(reverse("aftercare:open_for_claim", args=[claim.pk]), {"description": PROBLEM})
    client.logout()
    refused = report_from_the_receipt(client, claim, PROBLEM)
    assert refused.status_code == 409 and "déjà ouvert" in refused.content.decode()
