"""The workshop's device page reads its warranty tickets and their steps in two queries, whatever their number."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reuse.aftercare.enums import TicketStatus
from reuse.aftercare.models import Ticket
from reuse.aftercare.services import tickets
from tests.aftercare.helpers import handed_over

pytestmark = pytest.mark.django_db


def page_queries(client, device):
    url = reverse("inventory:device", args=[device.asset_tag])
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_tickets_cost_the_same_queries_whatever_their_number(client, programme):
    claim, technician = handed_over()
    client.force_login(technician)
    first = tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description="L’écran reste noir.")
    one, html = page_queries(client, claim.device)
    assert f"Ticket de garantie n° {first.pk}" in html
    # An earlier ticket, settled, with its own history (the service opens one at a time: a copy of the rows).
    second = Ticket.objects.get(pk=first.pk)
    second.pk, second.status = None, TicketStatus.ADVISED
    second.save()
    for step in first.events.all():
        step.pk, step.ticket = None, second
        step.save()
    assert second.events.exists()
    two, html = page_queries(client, claim.device)
    assert f"Ticket de garantie n° {second.pk}" in html and f"Ticket de garantie n° {first.pk}" in html
    assert two == one
