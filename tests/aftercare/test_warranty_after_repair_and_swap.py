"""How long a device stays under warranty, as the household, the workshop and staff read it: the programme's
promise, the law's two years for a device that was sold, six more months after each repair, a replacement with
its own warranty from its own handover (reuse.aftercare.services.warranty says where each rule comes from)."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from reuse.aftercare.enums import ReturnedTo, TicketStatus
from reuse.aftercare.models import Ticket
from reuse.claims import handover as counter
from tests.aftercare.helpers import at_noon, handed_over
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db
PROBLEM = "L’écran reste noir quand je l’allume."


def report(client, claim, day):
    """The household reports a problem from its space on `day`: the response."""
    with time_machine.travel(at_noon(day)):
        client.force_login(claim.beneficiary)
        return client.post(reverse("aftercare:open_for_claim", args=[claim.pk]), {"description": PROBLEM})


def step(client, technician, ticket, name, day, data=None):
    """The workshop takes a triage step on the ticket page on `day`."""
    with time_machine.travel(at_noon(day)):
        client.force_login(technician)
        return client.post(reverse("aftercare:triage", args=[ticket.pk, name]), data or {})


def shown_until(client, user, url_name, pk, day):
    with time_machine.travel(at_noon(day)):
        client.force_login(user)
        return client.get(reverse(url_name, args=[pk])).content.decode()


def test_a_repair_moves_the_end_of_the_warranty_six_months_later(client, programme):
    with time_machine.travel(at_noon(date(2026, 1, 10))):
        claim, technician = handed_over(free=True)  # given: the programme's 6 months, to 10 July 2026
    assert report(client, claim, date(2026, 3, 2)).status_code == 302
    ticket = Ticket.objects.get()
    step(client, technician, ticket, "repair", date(2026, 3, 3), {"repair-note": ""})
    step(client, technician, ticket, "repaired", date(2026, 3, 9), {"repair-note": ""})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.REPAIRED

    # Every page that shows the end shows the new one: the household's, the workshop's ticket page, the admin;
    # the household is told it with the repair, whatever the technician wrote.
    assert ticket.warranty_until == date(2027, 1, 10)
    assert "Il est garanti jusqu’au 10/01/2027." in ticket.events.latest("pk").shown_note
    assert "10 janvier 2027" in shown_until(
        client, claim.beneficiary, "aftercare:ticket", ticket.pk, date(2026, 3, 9)
    )
    assert "10 janvier 2027" in shown_until(
        client, technician, "aftercare:ticket", ticket.pk, date(2026, 3, 9)
    )
    page = shown_until(client, claim.beneficiary, "aftercare:open_for_claim", claim.pk, date(2026, 3, 9))
    assert "10 janvier 2027" in page

    # It breaks again after the first six months: still under warranty.
    assert report(client, claim, date(2026, 9, 1)).status_code == 302
    second = Ticket.objects.open().get()
    assert second.warranty_until == date(2027, 1, 10)
    step(client, technician, second, "repair", date(2026, 9, 2), {"repair-note": ""})
    step(client, technician, second, "repaired", date(2026, 9, 5), {"repair-note": ""})
    # A second repair, six months more; the first ticket's page shows the same end as the second's.
    ticket.refresh_from_db()
    assert ticket.warranty_until == date(2027, 7, 10) == Ticket.objects.get(pk=second.pk).warranty_until


def test_a_device_the_household_paid_for_is_under_warranty_for_the_laws_two_years(client, programme):
    with time_machine.travel(at_noon(date(2026, 1, 10))):
        claim, _tech = handed_over()  # 50 € paid: a sale by the workshop
    assert claim.price_cents > 0
    opened = report(client, claim, date(2027, 1, 5))
    assert opened.status_code == 302 and opened.url.startswith("/garantie/tickets/")
    assert Ticket.objects.get().warranty_until == date(2028, 1, 10)
    Ticket.objects.update(status=TicketStatus.ADVISED)

    late = report(client, claim, date(2028, 1, 11))
    assert late.status_code == 403
    assert "La garantie de cet appareil a pris fin le 10/01/2028" in late.content.decode()


def test_a_device_given_for_nothing_has_the_programmes_warranty_only(client, programme):
    with time_machine.travel(at_noon(date(2026, 1, 10))):
        claim, _tech = handed_over(free=True)
    late = report(client, claim, date(2026, 7, 11))
    assert late.status_code == 403 and "a pris fin le 10/07/2026" in late.content.decode()
    assert not Ticket.objects.exists()


def swap_through_the_page(client, claim, technician, day):
    """The household reports, the workshop swaps for a spare on the ticket page; the replacement's claim."""
    assert report(client, claim, day).status_code == 302
    ticket = Ticket.objects.open().get(claim=claim)
    spare = DeviceFactory(listed=True, workshop=claim.device.workshop, type=claim.device.type)
    data = {"swap-replacement": spare.pk, "swap-returned_to": ReturnedTo.PARTS, "swap-note": ""}
    step(client, technician, ticket, "swap", day, data)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.SWAPPED
    return ticket.replacement_claim


def replaced_on_5_june(client, **device):
    """A device handed over on 10 January 2026, swapped through the pages on 2 June, its replacement handed over on
    5 June: the replacement's claim, and the household's page to report a problem with it that day."""
    with time_machine.travel(at_noon(date(2026, 1, 10))):
        claim, technician = handed_over(**device)
    replacement = swap_through_the_page(client, claim, technician, date(2026, 6, 2))
    with time_machine.travel(at_noon(date(2026, 6, 5))):
        counter.hand_over(actor=technician, claim_id=replacement.pk, code=replacement.handover_code)
    page = shown_until(
        client, claim.beneficiary, "aftercare:open_for_claim", replacement.pk, date(2026, 6, 5)
    )
    return replacement, page


def test_the_replacement_of_a_sold_device_has_its_own_two_years_from_its_handover(client, programme):
    replacement, page = replaced_on_5_june(client)
    assert replacement.price_cents == 0  # free because it replaces the one that was sold
    assert "5 juin 2028" in page
    assert report(client, replacement, date(2027, 12, 1)).status_code == 302
    assert Ticket.objects.open().get().warranty_until == date(2028, 6, 5)


def test_the_replacement_of_a_free_device_has_the_programmes_warranty_from_its_handover(client, programme):
    replacement, page = replaced_on_5_june(client, free=True)
    assert "5 décembre 2026" in page
