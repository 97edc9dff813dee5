"""The after-sale page of a claim offers « Envoyer à l’atelier » only while a ticket would be opened: after the
warranty's end, or while a ticket is already open for the device, it says so in place of the form (the words the
refusal says after sending), rather than letting the household describe its problem first."""

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from reuse.aftercare.models import Ticket
from tests.aftercare.helpers import handed_over

pytestmark = pytest.mark.django_db
PROBLEM = "L’écran reste noir quand je l’allume."


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.mark.parametrize("state", ["under warranty", "warranty ended", "ticket already open"])
def test_the_form_is_offered_only_when_sending_it_opens_a_ticket(client, programme, state):
    claim, _technician = handed_over()
    client.force_login(claim.beneficiary)
    url = reverse("aftercare:open_for_claim", args=[claim.pk])
    if state == "ticket already open":
        assert client.post(url, {"description": "La batterie se vide vite."}).status_code == 302
    later = timezone.now() + (timedelta(days=3 * 365) if state == "warranty ended" else timedelta(0))
    with time_machine.travel(later, tick=False):
        client.force_login(claim.beneficiary)  # a session of that day
        page = client.get(url).content.decode()
        before = Ticket.objects.count()
        answer = client.post(url, {"description": PROBLEM})
    offered = "Envoyer à l’atelier</button>" in page
    accepted = answer.status_code == 302 and Ticket.objects.count() == before + 1
    assert offered == accepted == (state == "under warranty"), (offered, accepted, answer.status_code)
    if state == "ticket already open":
        # Sending the form again is taken as the same report (a phone resending): its new words would be lost.
        ticket = Ticket.objects.get()
        assert f"n° {ticket.pk}" in _text(page)
        assert reverse("aftercare:ticket", args=[ticket.pk]) in page
    elif not accepted:
        refusal = re.search(r'<ul class="errorlist">\s*<li>(.*?)</li>', answer.content.decode(), re.S)
        assert refusal and _text(refusal.group(1)) in _text(page), answer.content.decode()[:3000]
