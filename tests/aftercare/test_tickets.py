"""Warranty tickets (issue 19): who may open one, within the programme's warranty, and the workshop's triage
through the device lifecycle, the claims lifecycle and the refund path."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from inventory.enums import DeviceState
from inventory.models import Device, DeviceEvent
from inventory.transitions import apply_transition
from reuse import uploads
from reuse.accounts.models import Notification
from reuse.aftercare.enums import ReturnedTo, TicketChannel, TicketStatus
from reuse.aftercare.models import AftercareRules, Ticket
from reuse.aftercare.services import tickets, triage, warranty
from reuse.claims.enums import ClaimStatus, LedgerKind
from reuse.claims.models import Claim, ClaimEvent, LedgerEntry
from reuse.claims.services import reservations
from reuse.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound, TooLarge
from tests.aftercare.helpers import handed_over
from tests.factories.accounts import member_of
from tests.factories.eligibility import eligible, referrer_with_household
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory

pytestmark = pytest.mark.django_db


def jpeg(size=(40, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make: metadata the stored copy must not keep
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("IMG_家族_0001.jpg", out.getvalue(), content_type="image/jpeg")


def test_the_warranty_is_the_programmes_and_printed_on_the_receipt(client, programme):
    AftercareRules.objects.create(programme=programme, warranty_months=12)
    with time_machine.travel("2026-03-31 10:00 +0200", tick=False):
        claim, _tech = handed_over(free=True)  # a sold device has the law's two years at least
        assert warranty.warranty_until(claim).isoformat() == "2027-03-31"
    client.force_login(claim.beneficiary)
    pdf = client.get(reverse("claims:receipt", args=[claim.pk])).content
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "12 mois, jusqu’au 31 mars 2027" in text  # in the household's language, dates in words
    follow_up = claim.follow_up
    assert follow_up.code_display in text and "/garantie/" in text


def test_the_household_opens_a_ticket_from_its_space_and_is_told(client, programme):
    claim, _tech = handed_over()
    client.force_login(claim.beneficiary)
    response = client.post(
        reverse("aftercare:open_for_claim", args=[claim.pk]),
        {"description": "L’écran reste noir.", "photo": jpeg()},
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "aftercare:ticket", args=[ticket.pk]
    )
    assert ticket.channel == TicketChannel.HOUSEHOLD and ticket.status == TicketStatus.OPEN
    # The photo is re-encoded into private storage, without its name nor its metadata.
    assert ticket.photo.name.startswith("aftercare/") and "家族" not in ticket.photo.name
    stored = Image.open(ticket.photo.open("rb"))
    assert "PhoneMaker" not in str(stored.getexif().values())
    assert Notification.objects.filter(template="aftercare_step", to_email=claim.beneficiary.email).exists()
    assert ClaimEvent.objects.filter(
        claim=claim, note_text__code="journal_ticket_opened", note_text__params__ticket=ticket.pk
    ).exists()


def test_another_household_gets_a_404_for_the_ticket_its_photo_and_the_form(client, programme):
    claim, _tech = handed_over()
    ticket = tickets.open_ticket(
        actor=claim.beneficiary, claim_id=claim.pk, description="Batterie", photo=jpeg()
    )
    stranger = eligible()
    client.force_login(stranger)
    assert client.get(reverse("aftercare:ticket", args=[ticket.pk])).status_code == 404
    assert client.get(reverse("aftercare:ticket_photo", args=[ticket.pk])).status_code == 404
    assert client.get(reverse("aftercare:open_for_claim", args=[claim.pk])).status_code == 404
    other_workshop = member_of(DeviceFactory(listed=True).workshop)
    client.force_login(other_workshop)
    assert client.get(reverse("aftercare:ticket", args=[ticket.pk])).status_code == 404
    response = client.post(reverse("aftercare:triage", args=[ticket.pk, "advice"]), {"advice-note": "x"})
    assert response.status_code == 404
    client.force_login(claim.beneficiary)
    assert client.get(reverse("aftercare:ticket_photo", args=[ticket.pk])).status_code == 200


def test_a_referrer_opens_a_ticket_under_mandate_and_loses_it_with_the_mandate(client, programme):
    referrer, household = referrer_with_household()
    claim, _tech = handed_over(household=household)
    ticket = tickets.open_ticket(actor=referrer, claim_id=claim.pk, description="Ne s’allume plus")
    assert ticket.channel == TicketChannel.REFERRER
    household.mandates.update(revoked_at=timezone.now())
    client.force_login(referrer)
    assert client.get(reverse("aftercare:ticket", args=[ticket.pk])).status_code == 404
    with pytest.raises(NotFound):
        tickets.open_ticket(actor=referrer, claim_id=claim.pk, description="encore")


def test_the_public_page_needs_the_receipt_number_and_its_code_and_counts_wrong_tries(client, programme):
    claim, _tech = handed_over()
    page = reverse("aftercare:open")
    for _ in range(tickets.CODE_MAX_FAILURES):
        response = client.post(page, {"claim_number": claim.pk, "code": "AAAAAA", "description": "x"})
        assert response.status_code == 422
    response = client.post(page, {"claim_number": claim.pk, "code": claim.handover_code, "description": "x"})
    assert response.status_code == 403 and not Ticket.objects.exists()


def test_behind_the_reverse_proxy_wrong_codes_lock_their_sender_only(client, programme, settings):
    """Counted under the proxy's address, one person's wrong codes would close the page to every household."""
    settings.TRUSTED_PROXY_HOPS = 1
    claim, _tech = handed_over()
    page = reverse("aftercare:open")
    through_proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(tickets.CODE_MAX_FAILURES_PER_ADDRESS):
        wrong = {"claim_number": 90000 + n, "code": "AAAAAA", "description": "x"}
        client.post(page, wrong, HTTP_X_FORWARDED_FOR="203.0.113.7", **through_proxy)
    right = {"claim_number": claim.pk, "code": claim.handover_code, "description": "Le clavier"}
    assert client.post(page, right, HTTP_X_FORWARDED_FOR="203.0.113.7", **through_proxy).status_code == 403
    assert client.post(page, right, HTTP_X_FORWARDED_FOR="198.51.100.4", **through_proxy).status_code == 302


def test_someone_with_the_receipt_opens_a_ticket_and_follows_it_in_the_same_browser(client, programme):
    claim, _tech = handed_over()
    response = client.post(
        reverse("aftercare:open"),
        {"claim_number": claim.pk, "code": claim.handover_code_display.lower(), "description": "Le clavier"},
    )
    ticket = Ticket.objects.get()
    assert ticket.channel == TicketChannel.CODE and ticket.opened_by is None
    assert client.get(response["Location"]).status_code == 200
    other = client.__class__()
    assert other.get(response["Location"]).status_code == 404


def test_the_workshop_opens_a_ticket_for_the_household_with_its_code(client, programme):
    claim, technician = handed_over()
    client.force_login(technician)
    response = client.post(
        reverse("aftercare:workshop"),
        {
            "claim_number": claim.pk,
            "code": "AAA-AAA" if claim.handover_code != "AAAAAA" else "CCC-CCC",
            "description": "x",
        },
    )
    assert response.status_code == 422
    claim.refresh_from_db()
    assert claim.handover_failures == 1  # counted as at the counter
    response = client.post(
        reverse("aftercare:workshop"),
        {"claim_number": claim.pk, "code": claim.handover_code, "description": "x"},
    )
    assert response.status_code == 302 and Ticket.objects.get().channel == TicketChannel.WORKSHOP


def test_no_ticket_before_the_handover_nor_after_the_warranty_nor_two_at_once(programme):
    household = eligible()
    device = DeviceFactory(listed=True, free=True)
    claim = reservations.create_claim(actor=household, device_id=device.pk)
    with pytest.raises(IllegalTransition):
        tickets.open_ticket(actor=household, claim_id=claim.pk, description="x")
    claim, _tech = handed_over()
    tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description="x")
    with pytest.raises(Conflict):
        tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description="encore")
    late, _tech = handed_over(
        free=True
    )  # given: the programme's six months, not the law's two years of a sale
    with time_machine.travel(timezone.now() + timedelta(days=200)), pytest.raises(Forbidden) as refused:
        tickets.open_ticket(actor=late.beneficiary, claim_id=late.pk, description="x")
    assert refused.value.code == "warranty_ended"
    with pytest.raises(InvalidInput):
        tickets.open_ticket(actor=late.beneficiary, claim_id=late.pk, description="   ")


def test_a_photo_that_is_not_an_image_or_too_big_is_refused_and_nothing_is_written(programme):
    claim, _tech = handed_over()
    with pytest.raises(InvalidInput):
        tickets.open_ticket(
            actor=claim.beneficiary,
            claim_id=claim.pk,
            description="x",
            photo=SimpleUploadedFile("a.jpg", b"%PDF-1.4 not an image"),
        )
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (uploads.TICKET_PHOTO.max_bytes + 1))
    with pytest.raises(TooLarge):
        tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description="x", photo=big)
    assert not Ticket.objects.exists()


def test_a_handed_over_device_comes_back_to_the_workshop_only_through_a_ticket(programme):
    claim, technician = handed_over()
    for target in (DeviceState.IN_REPAIR, DeviceState.PARTS):
        with pytest.raises(IllegalTransition):
            apply_transition(device_id=claim.device_id, to=target, actor=technician)
    ready = DeviceFactory(listed=True, state=DeviceState.IN_REPAIR, workshop=claim.device.workshop)
    with pytest.raises(IllegalTransition):
        apply_transition(device_id=ready.pk, to=DeviceState.HANDED_OVER, actor=technician)


def test_repair_takes_the_device_through_in_repair_and_back_in_both_histories(programme):
    claim, technician = handed_over()
    ticket = tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description="Charnière cassée")
    triage.start_repair(actor=technician, ticket_id=ticket.pk, note="")
    assert Device.objects.get(pk=claim.device_id).state == DeviceState.IN_REPAIR
    triage.finish_repair(actor=technician, ticket_id=ticket.pk, note="Charnière changée.")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.REPAIRED and ticket.closed_at
    moves = list(DeviceEvent.objects.filter(device_id=claim.device_id).values_list("from_state", "to_state"))
    assert moves[-2:] == [("handed_over", "in_repair"), ("in_repair", "handed_over")]
    assert list(ticket.events.values_list("to_status", flat=True)) == ["open", "in_repair", "repaired"]
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.HANDED_OVER
    assert Notification.objects.filter(template="aftercare_step").count() == 3


def test_swap_reserves_another_device_outside_the_cap_and_returns_the_faulty_one(programme):
    claim, technician = handed_over()
    household = claim.beneficiary
    # The household's cap (1 laptop) is used: a new claim of its own is refused...
    other = DeviceFactory(listed=True, workshop=claim.device.workshop)
    with pytest.raises(Forbidden):
        reservations.create_claim(actor=household, device_id=other.pk)
    ticket = tickets.open_ticket(actor=household, claim_id=claim.pk, description="Ne démarre plus")
    # A device ready but not yet online is listed and reserved in one go (the listing rules apply: free here).
    spare = DeviceFactory(listed=True, workshop=claim.device.workshop, state=DeviceState.READY, free=True)
    triage.swap(actor=technician, ticket_id=ticket.pk, replacement_id=spare.pk, returned_to=ReturnedTo.STOCK)
    ticket.refresh_from_db()
    replacement = ticket.replacement_claim
    # ...but the swap goes through, free, confirmed, for the same household.
    assert ticket.status == TicketStatus.SWAPPED
    assert replacement.beneficiary == household and replacement.status == ClaimStatus.CONFIRMED
    assert replacement.price_cents == 0 and replacement.handover_code != claim.handover_code
    assert Device.objects.get(pk=spare.pk).state == DeviceState.RESERVED
    assert Device.objects.get(pk=claim.device_id).state == DeviceState.IN_REPAIR
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.RETURNED
    from reuse.claims import handover as counter

    counter.hand_over(actor=technician, claim_id=replacement.pk, code=replacement.handover_code)
    assert Device.objects.get(pk=spare.pk).state == DeviceState.HANDED_OVER


def test_a_device_that_came_back_is_wiped_again_before_it_is_listed(programme):
    claim, technician = handed_over(free=True)
    ticket = tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description="x")
    spare = DeviceFactory(listed=True, workshop=claim.device.workshop)
    triage.swap(actor=technician, ticket_id=ticket.pk, replacement_id=spare.pk, returned_to=ReturnedTo.STOCK)
    with pytest.raises(IllegalTransition, match="effacez de nouveau"):
        apply_transition(device_id=claim.device_id, to=DeviceState.LISTED, actor=technician)

    # Wiped again once back: a record after the return (the factory's record is a verified purge).
    ErasureRecordFactory(
        device=claim.device,
        media_serial=f"MEDIA-{claim.device.serial}",
        operator=technician,
        performed_at=timezone.now() + timedelta(seconds=1),
    )
    apply_transition(device_id=claim.device_id, to=DeviceState.LISTED, actor=technician)


def test_swap_to_recycling_needs_its_channel(programme):
    claim, technician = handed_over()
    ticket = tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description="x")
    spare = DeviceFactory(listed=True, workshop=claim.device.workshop)
    with pytest.raises(IllegalTransition):
        triage.swap(
            actor=technician, ticket_id=ticket.pk, replacement_id=spare.pk, returned_to=ReturnedTo.RECYCLED
        )
    assert (
        Ticket.objects.get().status == TicketStatus.OPEN
        and Claim.objects.get(pk=claim.pk).status == "handed_over"
    )
    triage.swap(
        actor=technician,
        ticket_id=ticket.pk,
        replacement_id=spare.pk,
        returned_to=ReturnedTo.RECYCLED,
        recycle_channel="Ecosystem",
        recycle_reference="BSD-1",
    )
    assert Device.objects.get(pk=claim.device_id).state == DeviceState.RECYCLED


def test_refund_pays_back_what_was_paid_at_the_counter_through_the_ledger(programme):
    claim, technician = handed_over()  # 50 € paid at the workshop
    ticket = tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description="x")
    triage.refund(actor=technician, ticket_id=ticket.pk, returned_to=ReturnedTo.PARTS)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.REFUNDED
    entries = list(LedgerEntry.objects.filter(claim=claim).values_list("kind", "amount_cents"))
    assert (LedgerKind.REFUNDED, -5000) in entries
    assert claim.payments.get().status == "refunded"
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.RETURNED
    assert Device.objects.get(pk=claim.device_id).state == DeviceState.PARTS
    # The household may claim again: the returned device no longer counts against its cap.
    again = DeviceFactory(listed=True, free=True)
    assert (
        reservations.create_claim(actor=claim.beneficiary, device_id=again.pk).status == ClaimStatus.CONFIRMED
    )


def test_the_workshop_never_reads_the_replacement_code(client, programme):
    claim, technician = handed_over()
    ticket = tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description="x")
    spare = DeviceFactory(listed=True, workshop=claim.device.workshop)
    triage.swap(actor=technician, ticket_id=ticket.pk, replacement_id=spare.pk, returned_to=ReturnedTo.STOCK)
    code = Ticket.objects.get().replacement_claim.handover_code_display
    client.force_login(technician)
    assert code not in client.get(reverse("aftercare:ticket", args=[ticket.pk])).content.decode()
    client.force_login(claim.beneficiary)
    assert code in client.get(reverse("aftercare:ticket", args=[ticket.pk])).content.decode()


def test_triage_pages_work_without_javascript(client, programme):
    claim, technician = handed_over()
    ticket = tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description="x")
    client.force_login(technician)
    page = client.get(reverse("aftercare:ticket", args=[ticket.pk])).content.decode()
    assert (
        'name="csrfmiddlewaretoken"' in page
        and 'name="advice-note"' in page
        and 'name="refund-returned_to"' in page
    )
    response = client.post(
        reverse("aftercare:triage", args=[ticket.pk, "advice"]), {"advice-note": "Rechargez-le 2 h."}
    )
    assert response.status_code == 302
    assert Ticket.objects.get().status == TicketStatus.ADVISED


@pytest.mark.parametrize(
    ("steps", "status"),
    [
        (["repair", "repaired"], TicketStatus.REPAIRED),
        (["swap"], TicketStatus.SWAPPED),
        (["refund"], TicketStatus.REFUNDED),
    ],
)
def test_each_triage_form_reaches_its_step(client, programme, steps, status):
    claim, technician = handed_over()
    ticket = tickets.open_ticket(actor=claim.beneficiary, claim_id=claim.pk, description="x")
    spare = DeviceFactory(listed=True, workshop=claim.device.workshop)
    client.force_login(technician)
    for step in steps:
        prefix = "repair" if step == "repaired" else step
        data = {f"{prefix}-note": "", f"{prefix}-returned_to": ReturnedTo.STOCK, "swap-replacement": spare.pk}
        response = client.post(reverse("aftercare:triage", args=[ticket.pk, step]), data)
        assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == status


def test_the_referrer_hears_of_each_step_only_while_its_mandate_runs(programme):
    referrer, household = referrer_with_household()
    claim, technician = handed_over(household=household)
    ticket = tickets.open_ticket(actor=referrer, claim_id=claim.pk, description="Écran fissuré")
    assert Notification.objects.filter(template="aftercare_step", to_email=referrer.email).count() == 1
    household.mandates.update(revoked_at=timezone.now())
    triage.give_advice(actor=technician, ticket_id=ticket.pk, note="Passez à l’atelier.")
    assert Notification.objects.filter(template="aftercare_step", to_email=referrer.email).count() == 1


def test_the_ticket_says_once_that_it_is_recorded(client, programme):
    claim, _tech = handed_over()
    client.force_login(claim.beneficiary)
    response = client.post(
        reverse("aftercare:open_for_claim", args=[claim.pk]),
        {"description": "L’écran reste noir."},
        follow=True,
    )
    assert response.content.decode().count("Votre demande est enregistrée") == 1


def test_the_public_page_takes_a_code_typed_with_accents_as_a_wrong_one(client, programme):
    claim, _tech = handed_over()

    response = client.post(
        reverse("aftercare:open"), {"claim_number": claim.pk, "code": "ÉTÉ-123", "description": "x"}
    )

    assert response.status_code == 422 and not Ticket.objects.exists()
