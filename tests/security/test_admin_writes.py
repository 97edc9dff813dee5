"""What staff change in the Wagtail admin goes through the same rules as every other write path.

A claim's status moves only through its lifecycle (history, device, voucher, refund), never by editing a field;
a device's price stays within its programme's bounds and a listed device keeps one; an amount above a field's
ceiling is a form error, never a server error.
"""

import pytest
from django.urls import reverse

from inventory.enums import DeviceState
from inventory.models import Device
from inventory.wagtail_hooks import DeviceViewSet
from reuse.accounts.wagtail_hooks import ORGANISATION_FORM_FIELDS
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim, ClaimEvent
from reuse.claims.services import reservations
from tests.documents import told
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.donations import LotFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory, WorkshopProfileFactory
from tests.factories.programmes import ProgrammeFactory, ProgrammePriceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(db):
    ProgrammeFactory()
    return reservations.create_claim(actor=eligible(), device_id=DeviceFactory(listed=True).pk)


def test_the_admin_cannot_set_a_claims_status(staff, claim):
    """Editing the status field moved a reserved claim to « handed over » while its device stayed reserved."""
    events = ClaimEvent.objects.filter(claim=claim).count()
    staff.post(
        reverse("claims_claim:edit", args=[claim.pk]), {"status": ClaimStatus.HANDED_OVER, "expires_at": ""}
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESERVED and claim.expires_at is not None
    assert claim.device.state == DeviceState.RESERVED
    assert ClaimEvent.objects.filter(claim=claim).count() == events


def test_the_admin_neither_adds_nor_deletes_claims(staff, claim):
    for name, args in (("claims_claim:add", []), ("claims_claim:delete", [claim.pk])):
        response = staff.post(reverse(name, args=args), {"status": ClaimStatus.RESERVED})
        assert response.status_code in (302, 403, 404) and response.status_code != 500, name
    assert list(Claim.objects.values_list("pk", flat=True)) == [claim.pk]


def test_staff_cancel_a_claim_through_its_lifecycle(staff, claim):
    url = reverse("claims_claim:cancel", args=[claim.pk])
    assert staff.get(url).status_code == 200
    assert staff.post(url).status_code == 302
    claim.refresh_from_db()
    device = Device.objects.get(pk=claim.device_id)
    assert claim.status == ClaimStatus.CANCELLED and device.state == DeviceState.LISTED
    assert ClaimEvent.objects.filter(claim=claim, to_status=ClaimStatus.CANCELLED).exists()
    # A second cancel is refused with a message, not an error page.
    response = staff.post(url, follow=True)
    assert response.status_code == 200 and "ne peut plus être annulée" in response.content.decode()


@pytest.fixture
def priced(db):
    """A listed laptop in a department whose programme prices grade-B laptops between 30 and 90 €."""
    workshop = OrganisationFactory(workshop=True, department="93")
    WorkshopProfileFactory(recycles=True, organisation=workshop)
    ProgrammePriceFactory(programme__departments=["93"])
    return DeviceFactory(workshop=workshop, listed=True, type="laptop", grade="B", price_cents=5000)


def _admin_form(device, **changes):
    data = {}
    for name in DeviceViewSet.form_fields:
        value = getattr(device, name)
        data[name] = "" if value is None else str(value)
    data["price_cents"] = f"{device.price_cents // 100},{device.price_cents % 100:02d}"
    return {**data, **changes}


@pytest.mark.parametrize(
    "changes",
    [
        {"price_cents": "4000,00"},  # far above the programme's 90 €
        {"price_cents": "1,00"},  # below its 30 €
        {"price_cents": ""},  # a listed device without a price
        {"grade": ""},  # a listed device without a grade
        {"price_cents": "999999,00"},  # above the field's own ceiling
    ],
)
def test_the_admin_keeps_a_listed_devices_price_within_the_programme(staff, priced, changes):
    before = Device.objects.filter(pk=priced.pk).values().get()
    response = staff.post(reverse("devices:edit", args=[priced.pk]), _admin_form(priced, **changes))
    assert response.status_code == 200  # the form again, with the reason
    assert Device.objects.filter(pk=priced.pk).values().get() == before


def test_the_admin_still_corrects_a_devices_specs(staff, priced):
    response = staff.post(
        reverse("devices:edit", args=[priced.pk]), _admin_form(priced, brand="Lenovo", price_cents="60,00")
    )
    assert response.status_code == 302
    device = Device.objects.get(pk=priced.pk)
    assert device.brand == "Lenovo" and device.price_cents == 6000


def test_the_admin_does_not_create_devices_outside_check_in(staff, priced):
    response = staff.post(reverse("devices:add"), _admin_form(priced, serial="NEW-1"))
    assert response.status_code in (302, 403, 404)
    assert not Device.objects.filter(serial="NEW-1").exists()


def test_assigning_a_lot_to_no_workshop_is_a_form_error(staff):
    """The lot's assignment view refused an empty workshop with a server error instead of its message."""
    lot = LotFactory(submitted=True)
    response = staff.post(reverse("lots:edit", args=[lot.pk]), {"workshop": ""})
    assert response.status_code == 200
    assert "w-field__errors" in response.content.decode()
    lot.refresh_from_db()
    assert lot.workshop_id is None


# Rows the services write (a payment before Stripe is called, a duplicate found at sign-up, a referrer's
# attestation, a cheque handed at the counter): the admin never adds one from an empty form.
SERVICE_ROWS = [
    "claims_payment:add",
    "household-duplicates:add",
    "territories_attestation:add",
    "tripod_cheque:add",
]


@pytest.mark.parametrize("name", SERVICE_ROWS)
def test_the_admin_does_not_add_rows_the_services_write(staff, name):
    response = staff.post(reverse(name), {})
    assert response.status_code in (302, 403), response.status_code


@pytest.mark.parametrize("used_by", ["claim", "decision"])
def test_deleting_a_programme_still_in_use_is_refused_with_a_message(staff, used_by):
    programme = ProgrammeFactory()
    household = eligible(programme=programme)
    if used_by == "claim":
        reservations.create_claim(actor=household, device_id=DeviceFactory(listed=True).pk)
    response = staff.post(reverse("programmes:delete", args=[programme.pk]))
    assert response.status_code == 302
    messages = told(response)
    assert any("ne peut pas être supprimé" in message for message in messages), messages
    assert type(programme).objects.filter(pk=programme.pk).exists()


def test_a_redeemed_voucher_keeps_its_code_value_and_funder(staff, claim):
    """Moving a redeemed voucher to another funder moved its money to that funder's statement."""
    from reuse.claims.models import Voucher
    from reuse.claims.services import vouchers
    from tests.factories.claims import VoucherFactory, VoucherFunderFactory

    Claim.objects.filter(pk=claim.pk).update(price_cents=3000)
    voucher = VoucherFactory(face_value_cents=1000)
    vouchers.apply_voucher(claim_id=claim.pk, actor=claim.beneficiary, code=voucher.code)
    before = Voucher.objects.filter(pk=voucher.pk).values().get()
    other = VoucherFunderFactory()
    url = reverse("claims_voucher:edit", args=[voucher.pk])
    for change in ({"funder": other.pk}, {"face_value_cents": "50,00"}, {"code": "PASS-NEW"}):
        data = {
            "code": voucher.code,
            "face_value_cents": "10,00",
            "funder": voucher.funder_id,
            "expires_on": voucher.expires_on.isoformat(),
            **change,
        }
        assert staff.post(url, data).status_code == 200, change
    assert Voucher.objects.filter(pk=voucher.pk).values().get() == before


def test_a_voucher_code_typed_in_lower_case_in_the_admin_can_be_redeemed(staff, claim):
    from reuse.claims.models import Voucher
    from reuse.claims.services import vouchers
    from tests.factories.claims import VoucherFunderFactory

    funder = VoucherFunderFactory()
    data = {
        "code": " pass-lower-1 ",
        "face_value_cents": "10,00",
        "funder": funder.pk,
        "expires_on": "2099-12-31",
    }
    assert staff.post(reverse("claims_voucher:add"), data).status_code == 302
    Claim.objects.filter(pk=claim.pk).update(price_cents=3000)
    vouchers.apply_voucher(claim_id=claim.pk, actor=claim.beneficiary, code="pass-lower-1")
    assert Voucher.objects.get(code="PASS-LOWER-1").claim_id == claim.pk


def test_an_organisations_status_moves_through_its_actions_not_a_field(staff):
    """Editing the status field approved an organisation with no date, no approver and no email to it."""
    from reuse.accounts.enums import OrganisationStatus
    from reuse.accounts.models import Organisation

    pending = OrganisationFactory(donor=True, pending=True)
    form = {name: getattr(pending, name) or "" for name in ORGANISATION_FORM_FIELDS}
    staff.post(
        reverse("organisations:edit", args=[pending.pk]), {**form, "status": OrganisationStatus.APPROVED}
    )
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.PENDING
    # Staff suspend an approved workshop with its action, and approve it again with the approve action.
    workshop = OrganisationFactory(open_workshop=True)
    url = reverse("organisations:suspend", args=[workshop.pk])
    assert staff.get(url).status_code == 200
    assert staff.post(url).status_code == 302
    assert Organisation.objects.get(pk=workshop.pk).status == OrganisationStatus.SUSPENDED
    assert staff.post(reverse("organisations:approve", args=[workshop.pk])).status_code == 302
    assert Organisation.objects.get(pk=workshop.pk).status == OrganisationStatus.APPROVED


def test_wagtails_user_screens_keep_a_user_with_history_and_say_why(staff):
    """Deleting a user who had declared a lot was a server error on Wagtail's Users screen and its bulk delete."""
    from django.contrib.auth import get_user_model

    lot = LotFactory()
    declarer = lot.created_by
    alone = get_user_model().objects.create_user(email="sans-historique@example.org", password="x" * 12)

    response = staff.get(reverse("wagtailusers_users:delete", args=[declarer.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailusers_users:edit", args=[declarer.pk])
    response = staff.post(reverse("wagtailusers_users:delete", args=[declarer.pk]), follow=True)
    assert response.status_code == 200
    assert "ne peut pas être supprimé" in " ".join(told(response))

    bulk = reverse("wagtail_bulk_action", args=["accounts", "user", "delete"])
    # Refused by our hook, or before it by Wagtail's reference index when that index already knows the lot.
    listing = reverse("wagtailusers_users:index")
    response = staff.post(f"{bulk}?id={declarer.pk}&id={alone.pk}&next={listing}")
    assert response.status_code == 302
    assert declarer.__class__.objects.filter(pk=declarer.pk).exists()
    assert declarer.__class__.objects.filter(pk=alone.pk).exists()  # nothing deleted when one row stays

    staff.post(reverse("wagtailusers_users:delete", args=[alone.pk]))
    assert not declarer.__class__.objects.filter(pk=alone.pk).exists()  # a user without history still goes


def test_listings_of_rows_no_one_may_change_declare_no_form_field():
    """A journal or a proof (decisions, document reads, mandate journal, erasure records, the email outbox) is
    refused to every change by its permission policy; its listing declares no form field either, so that a policy
    registered wrongly one day still leaves no form that writes a status or a proof."""
    from wagtail.admin.viewsets import viewsets
    from wagtail.admin.viewsets.model import ModelViewSet
    from wagtail.permission_policies.base import BasePermissionPolicy

    reverse("wagtailadmin_home")  # the admin's URLs, hence its registry of viewsets, are loaded
    superuser = UserFactory.build(is_superuser=True, is_staff=True, is_active=True)
    read_only = []
    for viewset in viewsets.viewsets:
        if not isinstance(viewset, ModelViewSet):
            continue
        policy = viewset.permission_policy
        assert isinstance(policy, BasePermissionPolicy)
        if policy.user_has_permission(superuser, "change"):
            continue
        read_only.append(viewset.model.__name__)
        assert not viewset.form_fields, f"{viewset.model.__name__} lists form fields: {viewset.form_fields}"
    # The rule reaches the listings it is written for.
    assert {
        "EligibilityDecision",
        "DocumentAccess",
        "MandateJournalEntry",
        "ErasureRecord",
        "Notification",
        "PlaceImport",  # its filename was rewritten, and the record of an import deleted, from the admin
    } <= set(read_only)


def test_a_redeemed_voucher_is_never_deleted_and_staff_are_told_why(staff, claim):
    """Deleting a redeemed voucher took its money out of its funder's statement while its claim kept the discount."""
    from reuse.claims.models import Voucher
    from reuse.claims.services import vouchers
    from tests.factories.claims import VoucherFactory

    Claim.objects.filter(pk=claim.pk).update(price_cents=3000)
    redeemed, unused = VoucherFactory(face_value_cents=1000), VoucherFactory()
    vouchers.apply_voucher(claim_id=claim.pk, actor=claim.beneficiary, code=redeemed.code)
    response = staff.post(reverse("claims_voucher:delete", args=[redeemed.pk]))
    assert response.status_code == 302
    messages = told(response)
    assert any("ne peut pas être supprimé" in message for message in messages), messages
    assert Voucher.objects.filter(pk=redeemed.pk, claim=claim).exists()
    staff.post(reverse("claims_voucher:delete", args=[unused.pk]))  # a voucher typed by mistake still goes
    assert not Voucher.objects.filter(pk=unused.pk).exists()


def test_the_admin_neither_adds_nor_deletes_profiles_tickets_and_follow_ups(staff, claim):
    """A household's three-month answers were deleted from the admin, and adding a workshop's profile (whose form
    has no organisation) was a server error."""
    from reuse.aftercare.models import FollowUp
    from reuse.aftercare.services.follow_ups import follow_up_for
    from reuse.structures.models import StructureProfile
    from tests.factories.structures import verified_structure

    follow_up = follow_up_for(claim)
    structure, _member = verified_structure()
    workshop = claim.device.workshop.workshop_profile
    for name, row in [
        ("aftercare_follow_up", follow_up),
        ("structures_profile", structure.structure_profile),
        ("workshops", workshop),
    ]:
        response = staff.post(reverse(f"{name}:delete", args=[row.pk]))
        assert response.status_code in (302, 403), name
        assert type(row).objects.filter(pk=row.pk).exists(), name
    for name in ("workshops", "structures_profile", "aftercare_ticket", "aftercare_follow_up"):
        response = staff.post(
            reverse(f"{name}:add"), {"monthly_capacity": 5, "category": "x", "headcount": 2}
        )
        assert response.status_code in (302, 403), name
    assert FollowUp.objects.count() == 1 and StructureProfile.objects.count() == 1


def test_a_funders_cheques_stay_with_that_funder(staff):
    """Moving a programme that had issued cheques to another funder let that funder's members print cheques paid
    by the first, and the first's members lost them; moving a funder to another organisation did the same."""
    from reuse.claims.models import VoucherFunder
    from reuse.structures.models import ChequeProgramme
    from reuse.structures.services import issue_batch
    from tests.factories.claims import VoucherFunderFactory
    from tests.factories.structures import ChequeProgrammeFactory

    funder = VoucherFunderFactory(organisation=OrganisationFactory())
    programme = ChequeProgrammeFactory(funder=funder)
    issue_batch(programme=programme, count=2, by=UserFactory(is_staff=True, is_superuser=True))
    other = VoucherFunderFactory(organisation=OrganisationFactory())
    form = {
        "funder": other.pk,
        "name": programme.name,
        "face_value_cents": "100,00",
        "valid_from": programme.valid_from.isoformat(),
        "valid_until": programme.valid_until.isoformat(),
        "departments": '["93"]',
        "categories": '["tpe", "self_employed"]',
        "devices_per_structure": 1,
    }
    response = staff.post(reverse("structures_programme:edit", args=[programme.pk]), form)
    assert response.status_code == 200 and "son financeur ne change plus" in response.content.decode()
    assert ChequeProgramme.objects.get(pk=programme.pk).funder_id == funder.pk
    response = staff.post(
        reverse("claims_funder:edit", args=[funder.pk]),
        {"name": funder.name, "organisation": other.organisation_id, "contact_email": ""},
    )
    assert response.status_code == 200 and "son organisation ne change plus" in response.content.decode()
    assert VoucherFunder.objects.get(pk=funder.pk).organisation_id != other.organisation_id
    # A programme that issued nothing yet still moves (a funder chosen by mistake).
    fresh = ChequeProgrammeFactory(funder=funder, name="Second programme")
    form.update(name=fresh.name)
    assert staff.post(reverse("structures_programme:edit", args=[fresh.pk]), form).status_code == 302
    assert ChequeProgramme.objects.get(pk=fresh.pk).funder_id == other.pk


def test_an_approved_organisations_kind_stays(staff):
    """An approved workshop turned into a donor on its edit form: its members lost the counter of their reserved
    devices and gained lots to declare. A pending sign-up's kind is still corrected."""
    from reuse.accounts.enums import OrganisationKind
    from reuse.accounts.models import Organisation

    for organisation, kept in (
        (OrganisationFactory(open_workshop=True), True),
        (OrganisationFactory(pending=True), False),
    ):
        form = {name: getattr(organisation, name) or "" for name in ORGANISATION_FORM_FIELDS}
        other = (
            OrganisationKind.DONOR
            if organisation.kind != OrganisationKind.DONOR
            else OrganisationKind.REFERRER
        )
        response = staff.post(reverse("organisations:edit", args=[organisation.pk]), {**form, "kind": other})
        assert (
            response.status_code == 200 and "son type ne change plus" in response.content.decode()
        ) == kept
        assert (Organisation.objects.get(pk=organisation.pk).kind == organisation.kind) == kept
