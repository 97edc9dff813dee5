"""The counter: the device is handed over with the checklist recorded on the claim, a data allowance taken from
the workshop's stock, Pass numérique cheques recorded for their funder, and a session booked; all or nothing."""

import pytest
from django.urls import reverse

from reuse.claims import handover as counter
from reuse.claims.enums import ClaimStatus
from reuse.claims.services import reservations
from reuse.money import format_euros
from reuse.tripod.enums import ChecklistItem
from reuse.tripod.models import AllowanceHandout, AllowanceStock, HandoverChecklist, PassNumeriqueCheque
from tests.factories.accounts import OrganisationFactory, member_of
from tests.factories.claims import VoucherFunderFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.tripod import AllowanceStockFactory, SessionSlotFactory

pytestmark = pytest.mark.django_db

URL = "/connexion-et-prise-en-main/atelier/remise/"
ALL_ITEMS = list(ChecklistItem.values)


def ready_claim():
    household = eligible()
    claim = reservations.create_claim(actor=household, device_id=DeviceFactory(listed=True, free=True).pk)
    assert claim.status == ClaimStatus.CONFIRMED
    return claim, member_of(claim.device.workshop)


def post(client, claim, **extra):
    data = {"claim": claim.pk, "code": claim.handover_code, "items": ALL_ITEMS, **extra}
    return client.post(URL, data)


def test_the_counter_page_carries_the_checklist_and_posts_to_the_tripod(client, programme):
    claim, technician = ready_claim()
    client.force_login(technician)
    page = client.post("/demandes/atelier/remise/", {"claim": claim.pk, "code": claim.handover_code})
    html = page.content.decode()
    assert (
        f'action="{URL}"' in html
        and "data-checklist" in html
        and html.count('name="items"') == len(ALL_ITEMS)
    )


def test_handed_over_with_the_checklist_the_allowance_the_cheques_and_a_session(client, programme):
    claim, technician = ready_claim()
    stock = AllowanceStockFactory(workshop=claim.device.workshop)
    funder = VoucherFunderFactory()
    slot = SessionSlotFactory(workshop=claim.device.workshop)
    client.force_login(technician)

    response = post(
        client,
        claim,
        stock=stock.pk,
        allowance_reference="8933 0000 1234",
        funder=funder.pk,
        booklet_number="C-0042",
        cheque_numbers="001, 002",
        slot=slot.pk,
    )

    assert response.status_code == 200, response.content.decode()[:2000]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.HANDED_OVER
    assert HandoverChecklist.objects.get(claim=claim).complete
    stock.refresh_from_db()
    assert stock.remaining == 1
    assert AllowanceHandout.objects.get(claim=claim).reference == "8933 0000 1234"
    assert list(PassNumeriqueCheque.objects.values_list("booklet_number", "cheque_number")) == [
        ("C-0042", "001"),
        ("C-0042", "002"),
    ]
    assert claim.session_bookings.get().booked_by == technician

    client.force_login(claim.beneficiary)
    page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert "data-handed-with" in page and "C-0042/001" in page


def test_an_unticked_point_needs_a_reason_and_nothing_is_handed_over_without_it(client, programme):
    claim, technician = ready_claim()
    client.force_login(technician)
    response = post(client, claim, items=ALL_ITEMS[:-1])
    assert response.status_code == 422
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED and not HandoverChecklist.objects.exists()
    response = post(client, claim, items=ALL_ITEMS[:-1], note="La personne connaît déjà les lieux d’aide.")
    assert response.status_code == 200
    checklist = HandoverChecklist.objects.get()
    assert not checklist.complete and checklist.note


def test_an_empty_stock_rolls_the_whole_handover_back(client, programme, monkeypatch):
    claim, technician = ready_claim()
    stock = AllowanceStockFactory(workshop=claim.device.workshop, quantity=1, remaining=1)
    client.force_login(technician)
    hand_over = counter.hand_over

    def another_counter_takes_the_last_card(**kwargs):
        handed = hand_over(**kwargs)
        AllowanceStock.objects.filter(pk=stock.pk).update(remaining=0)
        return handed

    monkeypatch.setattr(counter, "hand_over", another_counter_takes_the_last_card)
    response = post(client, claim, stock=stock.pk)
    claim.refresh_from_db()
    claim.device.refresh_from_db()
    assert response.status_code == 409
    assert claim.status == ClaimStatus.CONFIRMED and claim.device.state == "reserved"
    assert not HandoverChecklist.objects.exists()


def test_an_empty_stock_is_not_offered(client, programme):
    claim, technician = ready_claim()
    stock = AllowanceStockFactory(workshop=claim.device.workshop, quantity=1, remaining=0)
    client.force_login(technician)
    assert post(client, claim, stock=stock.pk).status_code == 422
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED


def test_a_cheque_already_handed_out_is_refused_and_nothing_is_written(client, programme):
    funder = VoucherFunderFactory()
    first, technician = ready_claim()
    client.force_login(technician)
    post(client, first, funder=funder.pk, booklet_number="C-1", cheque_numbers="7")
    second, technician2 = ready_claim()
    client.force_login(technician2)
    response = post(client, second, funder=funder.pk, booklet_number="C-1", cheque_numbers="8, 7")
    assert response.status_code == 409
    second.refresh_from_db()
    assert second.status == ClaimStatus.CONFIRMED
    assert PassNumeriqueCheque.objects.count() == 1


def test_a_wrong_code_is_still_counted(client, programme):
    claim, technician = ready_claim()
    client.force_login(technician)
    response = post(client, claim, code="AAAAAA" if claim.handover_code != "AAAAAA" else "CCCCCC")
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.handover_failures == 1 and claim.status == ClaimStatus.CONFIRMED


def test_another_workshops_claim_and_stock_are_not_reachable(client, programme):
    claim, _technician = ready_claim()
    other_claim, other_technician = ready_claim()
    foreign_stock = AllowanceStockFactory(workshop=claim.device.workshop)
    client.force_login(other_technician)
    post(client, claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED
    response = post(client, other_claim, stock=foreign_stock.pk)
    assert response.status_code == 422
    foreign_stock.refresh_from_db()
    assert foreign_stock.remaining == 2


def test_a_funder_sees_where_its_cheques_went_and_nobody_else_does(client, programme):
    claim, technician = ready_claim()
    organisation = OrganisationFactory()
    funder_org_member = member_of(organisation)
    funder = VoucherFunderFactory(organisation=organisation)
    client.force_login(technician)
    post(client, claim, funder=funder.pk, booklet_number="C-9", cheque_numbers="3")
    client.force_login(funder_org_member)
    page = client.get(reverse("tripod:funder_cheques", args=[funder.pk]))
    assert page.status_code == 200 and "C-9" in page.content.decode()
    client.force_login(claim.beneficiary)
    assert client.get(reverse("tripod:funder_cheques", args=[funder.pk])).status_code == 404


# The claims app's own confirmation (the code alone) and the tripod's (with what goes with the device).
BOTH_COUNTERS = pytest.mark.parametrize(
    "url, extra",
    [("/demandes/atelier/remise/confirmer/", {}), (URL, {"items": ALL_ITEMS})],
    ids=["claims", "tripod"],
)


@BOTH_COUNTERS
def test_both_counters_send_a_wrong_code_back_to_the_code_entry(client, programme, url, extra):
    claim, technician = ready_claim()
    client.force_login(technician)
    code = "AAAAAA" if claim.handover_code != "AAAAAA" else "CCCCCC"
    response = client.post(url, {"claim": claim.pk, "code": code, **extra}, follow=True)
    assert response.redirect_chain == [("/demandes/atelier/remise/", 302)]
    assert f"Ce code ne correspond pas à la demande n° {claim.pk}." in response.content.decode()
    claim.refresh_from_db()
    assert claim.handover_failures == 1 and claim.status == ClaimStatus.CONFIRMED


@BOTH_COUNTERS
def test_both_counters_show_the_confirmation_again_when_the_money_is_short(client, programme, url, extra):
    household = eligible()
    claim = reservations.create_claim(
        actor=household, device_id=DeviceFactory(listed=True, price_cents=1500).pk
    )
    claim = reservations.choose_pay_at_workshop(claim_id=claim.pk, actor=household)
    client.force_login(member_of(claim.device.workshop))
    response = client.post(url, {"claim": claim.pk, "code": claim.handover_code, "collected": "10", **extra})
    assert response.status_code == 422
    html = response.content.decode()
    assert f"Encaissez {format_euros(1500)} avant la remise." in html and 'name="collected"' in html
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESERVED and not claim.payments.exists()


@BOTH_COUNTERS
def test_confirming_twice_shows_the_handover_done_not_an_error(client, programme, url, extra):
    # A double tap on « Confirmer la remise », or the « Appareil remis » page refreshed (the browser sends it again).
    claim, technician = ready_claim()
    client.force_login(technician)
    data = {"claim": claim.pk, "code": claim.handover_code, **extra}
    client.post(url, data)
    again = client.post(url, data)
    assert again.status_code == 200
    assert "<h1>Appareil remis</h1>" in again.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.HANDED_OVER
    assert claim.events.filter(to_status=ClaimStatus.HANDED_OVER).count() == 1
