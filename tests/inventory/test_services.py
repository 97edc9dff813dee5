"""Workshop use-cases: registration, check-in, tags, erasures, pricing, parts. Photos are in test_photos.py,
the stock CSV, labels and bench mode in test_stock_files.py."""

import re
from unittest import mock

import pytest

from donations.enums import LotStatus
from donations.models import Lot
from donations.services import cancel_lot, decline_lot
from inventory.enums import DeviceState
from inventory.models import Device, DeviceEvent, WorkshopProfile
from inventory.services.devices import link_part, new_asset_tag, price_and_list, unused_asset_tags
from inventory.services.erasures import record_erasure
from inventory.services.intake import check_in
from inventory.services.workshops import parse_departments, register_workshop
from reuse.accounts.enums import OrganisationStatus
from reuse.accounts.services import OrganisationDetails
from reuse.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.donations import LotFactory, LotItemFactory
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory

pytestmark = pytest.mark.django_db


def test_register_workshop_creates_a_pending_organisation_with_its_profile():
    admin = UserFactory()
    organisation = register_workshop(
        admin=admin,
        details=OrganisationDetails(
            name="Atelier Test", siret="73282932000074", address="1 rue", postcode="95100", city="Argenteuil"
        ),
        service_departments=["93"],
        monthly_capacity=50,
        opening_hours="Mo-Fr 09:00-17:00",
        may_issue_tax_receipts=True,
        weee_partner="Ecologic",
    )
    assert organisation.kind == "workshop" and organisation.status == OrganisationStatus.PENDING
    profile = WorkshopProfile.objects.get(organisation=organisation)
    assert profile.service_departments == ["95", "93"]
    assert profile.weee_partner == "Ecologic" and profile.may_issue_tax_receipts
    assert organisation.memberships.get().user == admin


def test_opening_hours_are_checked_on_every_write_path():
    from django.core.exceptions import ValidationError

    with pytest.raises(InvalidInput, match="Horaires illisibles"):
        register_workshop(
            admin=UserFactory(),
            details=OrganisationDetails(
                name="Atelier Texte Libre",
                siret="73282932000074",
                address="1 rue",
                postcode="95100",
                city="Argenteuil",
            ),
            opening_hours="du lundi au vendredi, le matin",
        )
    assert not WorkshopProfile.objects.exists()
    # The model itself refuses them: the admin's form and any other ModelForm go through this.
    profile = WorkshopProfile(
        organisation=OrganisationFactory(workshop=True), opening_hours="Mo-Fr 18:00-09:00"
    )
    with pytest.raises(ValidationError, match="ferme après avoir ouvert"):
        profile.full_clean()
    profile.opening_hours = "Mo-Fr 09:00-12:00; Fr 14:00-17:00"
    with pytest.raises(ValidationError, match="vendredi apparaît dans deux plages"):
        profile.full_clean()


def test_parse_departments_refuses_nonsense():
    assert parse_departments("93, 95;2A 75") == ["93", "95", "2A", "75"]
    with pytest.raises(InvalidInput):
        parse_departments("93, Paris")


def test_asset_tags_are_short_readable_and_retry_on_collision(workshop, technician):
    tag = new_asset_tag()
    assert re.fullmatch(r"[2-9A-HJKMNP-TV-Z]{6}", tag)
    DeviceFactory(asset_tag="AAAAAA")
    with mock.patch("inventory.services.devices.new_asset_tag", side_effect=["AAAAAA", "AAAAAA", "BBBBBB"]):
        outcome = check_in(workshop=workshop, actor=technician, type="laptop", serial="X1")
    assert outcome.device.asset_tag == "BBBBBB"


def test_tags_for_a_bulk_insert_skip_those_taken_and_those_already_given(workshop):
    # A bulk insert (bench data, the demo's extra devices) cannot retry one row: the tags are drawn unused.
    DeviceFactory(asset_tag="AAAAAA")
    drawn = ["AAAAAA", "BBBBBB", "BBBBBB", "CCCCCC"]
    with mock.patch("inventory.services.devices.new_asset_tag", side_effect=drawn):
        tags = unused_asset_tags()
        assert [next(tags), next(tags)] == ["BBBBBB", "CCCCCC"]


def test_check_in_from_a_lot_prefills_specs_from_the_manifest_and_flags_unreleased_locks(
    workshop, technician
):
    lot = LotFactory(assigned=True, workshop=workshop, status=LotStatus.COLLECTED)
    LotItemFactory(
        described=True,
        lot=lot,
        serial="ABC123",
        brand="Apple",
        model="iPhone 8",
        type="smartphone",
        frp_removed=True,
        activation_lock_off=False,
    )
    outcome = check_in(workshop=workshop, actor=technician, lot=lot, serial="abc123")
    device = outcome.device
    assert outcome.created
    assert (device.type, device.brand, device.model, device.serial, device.lot) == (
        "smartphone",
        "Apple",
        "iPhone 8",
        "ABC123",
        lot,
    )
    assert outcome.warnings == ["Localiser / verrouillage d’activation désactivé"]
    event = DeviceEvent.objects.get(device=device)
    assert event.to_state == "received" and "verrouillage" in event.shown_note
    again = check_in(workshop=workshop, actor=technician, lot=lot, serial="ABC123")
    assert not again.created and again.device == device
    assert Device.objects.count() == 1


def test_check_in_refuses_a_lot_of_another_workshop_or_not_yet_accepted(workshop, technician, other_workshop):
    with pytest.raises(NotFound):
        check_in(
            workshop=workshop,
            actor=technician,
            lot=LotFactory(assigned=True, workshop=other_workshop),
            serial="1",
        )
    with pytest.raises(Conflict, match="« Soumis »"):
        check_in(
            workshop=workshop,
            actor=technician,
            lot=LotFactory(assigned=True, workshop=workshop, status=LotStatus.SUBMITTED),
            serial="1",
        )


def test_check_in_reads_the_lot_again_a_lot_declined_or_cancelled_since_the_page_loaded_is_refused(
    workshop, technician
):
    """The bench page loaded the lot while it was the workshop's; a colleague declines it (or the donor cancels
    it) before the scan: the device must not land in a lot released to another workshop, or closed."""
    lot = LotFactory(assigned=True, workshop=workshop)
    LotItemFactory(described=True, lot=lot, serial="LATE-1", type="laptop")
    loaded = Lot.objects.get(pk=lot.pk)
    decline_lot(lot=lot, workshop=workshop, actor=technician)

    with pytest.raises(NotFound, match="n’est pas ou plus attribué à votre atelier"):
        check_in(workshop=workshop, actor=technician, lot=loaded, serial="LATE-1")

    cancelled = LotFactory(assigned=True, workshop=workshop)
    loaded = Lot.objects.get(pk=cancelled.pk)
    cancel_lot(lot=cancelled, actor=technician)
    with pytest.raises(Conflict, match="« Annulé »"):
        check_in(workshop=workshop, actor=technician, lot=loaded, serial="LATE-2", type="laptop")
    assert not Device.objects.filter(lot__in=[lot, cancelled]).exists()


def test_a_walk_in_needs_a_type(workshop, technician):
    with pytest.raises(InvalidInput, match="type"):
        check_in(workshop=workshop, actor=technician, serial="ZZ")
    outcome = check_in(workshop=workshop, actor=technician, serial="ZZ", type="tablet")
    assert outcome.device.lot is None and outcome.device.state == DeviceState.RECEIVED


def test_erasure_records_are_validated(workshop, technician):
    device = DeviceFactory(workshop=workshop)
    wipe = {"tool": "nwipe", "tool_version": "0.34", "media_serial": "D", "verified": True}
    with pytest.raises(InvalidInput, match="Méthode inconnue"):
        record_erasure(device=device, operator=technician, method="format", **{**wipe, "tool": "dd"})
    record = record_erasure(device=device, operator=technician, method="purge", **wipe)
    assert record.operator == technician and record.performed_at
    device.state = DeviceState.LISTED
    device.grade, device.price_cents = "A", 0
    device.save()
    with pytest.raises(Conflict):
        record_erasure(device=device, operator=technician, method="purge", **wipe)


def test_price_and_list_in_one_step_rolls_back_when_listing_is_refused(workshop, technician):
    device = DeviceFactory(workshop=workshop, state=DeviceState.READY)
    with pytest.raises(IllegalTransition):
        price_and_list(device=device, actor=technician, price_cents=1500, grade="A")
    device.refresh_from_db()
    assert device.price_cents is None and device.grade == ""
    ErasureRecordFactory(device=device)
    price_and_list(device=device, actor=technician, price_cents=0, grade="A")
    device.refresh_from_db()
    assert (device.state, device.price_cents, device.grade) == ("listed", 0, "A")


def test_parts_donor_is_linked_to_the_device_it_repaired(workshop, technician):
    donor = DeviceFactory(workshop=workshop, state=DeviceState.PARTS)
    recipient = DeviceFactory(workshop=workshop, state=DeviceState.IN_REPAIR)
    use = link_part(donor=donor, recipient=recipient, part="écran", actor=technician)
    assert list(recipient.parts_received.all()) == [use]
    with pytest.raises(Conflict):
        link_part(donor=recipient, recipient=donor, part="clavier", actor=technician)
