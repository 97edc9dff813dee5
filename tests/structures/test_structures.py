"""Small structures and equipment cheques (issue 19): registration with a SIRET checked by python-stdnum, staff
verification, batches, redemption rules (never twice, priced devices, eligible structures, cap), statement."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim, Voucher
from reuse.claims.services import reservations, vouchers
from reuse.errors import Forbidden, InvalidInput
from reuse.structures import services
from reuse.structures.models import EquipmentCheque, StructureProfile
from tests.factories.accounts import UserFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.structures import LA_POSTE, PLUMBER, ChequeProgrammeFactory, register, verified_structure

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("siret", ["73282932000074", LA_POSTE, "356 000 000 00048"])
def test_a_valid_siret_passes_la_poste_included(programme, siret):
    assert services.checked_siret(siret) in ("73282932000074", LA_POSTE)


@pytest.mark.parametrize("siret", ["73282932000075", "35600000000049", "1234", ""])
def test_a_wrong_siret_is_refused_in_plain_words(programme, siret):
    with pytest.raises(InvalidInput) as refused:
        services.checked_siret(siret)
    assert "SIRET" in str(refused.value.message)


def test_registration_refuses_a_structure_too_big_and_leaves_nothing(programme):
    with pytest.raises(InvalidInput):
        register(headcount=25)
    assert not StructureProfile.objects.exists() and not Claim.objects.exists()


def test_the_signup_page_registers_and_a_wrong_siret_is_shown_on_its_field(client, programme):
    data = {
        **PLUMBER,
        "siret": "73282932000075",
        "first_name": "Luc",
        "last_name": "Martin",
        "email": "luc@example.test",
        "password": "un-long-mot-de-passe-2026",
    }
    response = client.post(reverse("structures:signup"), data)
    assert response.status_code == 422 and "SIRET n’est pas valide" in response.content.decode()
    response = client.post(reverse("structures:signup"), {**data, "siret": LA_POSTE})
    assert response.status_code == 302
    profile = StructureProfile.objects.get()
    assert profile.organisation.siret == LA_POSTE and profile.verified_at is None


def test_an_unverified_structure_cannot_claim_and_a_verified_one_claims_like_an_association(programme):
    organisation = register()
    member = organisation.memberships.get().user
    device = DeviceFactory(listed=True)
    with pytest.raises(Forbidden):
        reservations.create_claim(actor=member, device_id=device.pk, organisation=organisation)
    services.verify_structure(organisation=organisation, by=UserFactory(is_staff=True))
    claim = reservations.create_claim(actor=member, device_id=device.pk, organisation=organisation)
    assert claim.organisation == organisation and claim.status == ClaimStatus.RESERVED


def test_a_batch_issues_unique_cheques_of_the_programme_printable_by_staff_and_the_funder(client, programme):
    cheques = ChequeProgrammeFactory()
    batch = services.issue_batch(programme=cheques, count=25, by=UserFactory(is_staff=True))
    codes = list(Voucher.objects.filter(equipment_cheque__batch=batch).values_list("code", flat=True))
    assert len(set(codes)) == 25 and all(code.startswith("EQ-") for code in codes)
    assert {v.face_value_cents for v in Voucher.objects.filter(code__in=codes)} == {10000}
    url = reverse("structures:batch_print", args=[batch.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(url).content.decode()
    assert all(code in page for code in codes)
    with pytest.raises(InvalidInput):
        services.issue_batch(programme=cheques, count=0, by=UserFactory())


def test_a_cheque_pays_a_priced_device_once_for_an_eligible_structure(programme):
    organisation, member = verified_structure()
    batch = services.issue_batch(programme=ChequeProgrammeFactory(), count=2, by=UserFactory(is_staff=True))
    code = batch.cheques.first().voucher.code
    device = DeviceFactory(listed=True, price_cents=8000)
    claim = reservations.create_claim(
        actor=member, device_id=device.pk, organisation=organisation, voucher_code=code
    )
    assert claim.voucher_cents == 8000 and claim.status == ClaimStatus.CONFIRMED
    other = DeviceFactory(listed=True, price_cents=8000)
    second = reservations.create_claim(actor=member, device_id=other.pk, organisation=organisation)
    with pytest.raises(InvalidInput) as refused:
        vouchers.apply_voucher(claim_id=second.pk, actor=member, code=code)
    # Under the programme's cap of one device the second cheque is refused too.
    assert refused.value.code in ("voucher_used", "cap_reached")
    with pytest.raises(Forbidden) as capped:
        vouchers.apply_voucher(claim_id=second.pk, actor=member, code=batch.cheques.last().voucher.code)
    assert capped.value.code == "cap_reached"


def test_a_cheque_is_refused_on_a_free_device_to_a_household_and_out_of_its_territory(programme):
    cheques = ChequeProgrammeFactory(devices_per_structure=5)
    batch = services.issue_batch(programme=cheques, count=3, by=UserFactory(is_staff=True))
    code = batch.cheques.first().voucher.code
    organisation, member = verified_structure()
    free = DeviceFactory(listed=True, free=True)
    claim = reservations.create_claim(actor=member, device_id=free.pk, organisation=organisation)
    assert claim.status == ClaimStatus.CONFIRMED  # nothing to pay: the cheque stays unused
    with pytest.raises(InvalidInput):
        reservations.create_claim(
            actor=member,
            device_id=DeviceFactory(listed=True, free=True).pk,
            organisation=organisation,
            voucher_code=code,
        )
    household = eligible()
    with pytest.raises(Forbidden):
        reservations.create_claim(actor=household, device_id=DeviceFactory(listed=True).pk, voucher_code=code)
    far, far_member = verified_structure(siret="40483304800022", postcode="75011", city="Paris")
    with pytest.raises(Forbidden):
        reservations.create_claim(
            actor=far_member, device_id=DeviceFactory(listed=True).pk, organisation=far, voucher_code=code
        )
    assert not Voucher.objects.filter(redeemed_at__isnull=False).exists()
    assert Claim.objects.filter(voucher_cents__gt=0).count() == 0


def test_a_cancelled_claim_gives_the_cheque_back_and_the_statement_lists_redemptions(client, programme):
    organisation, member = verified_structure()
    cheques = ChequeProgrammeFactory()
    code = (
        services.issue_batch(programme=cheques, count=1, by=UserFactory(is_staff=True))
        .cheques.get()
        .voucher.code
    )
    claim = reservations.create_claim(
        actor=member,
        device_id=DeviceFactory(listed=True, price_cents=12000).pk,
        organisation=organisation,
        voucher_code=code,
    )
    assert claim.voucher_cents == 10000 and claim.status == ClaimStatus.RESERVED
    reservations.cancel_claim(claim_id=claim.pk, actor=member)
    assert Voucher.objects.get(code=code).redeemed_at is None
    again = reservations.create_claim(
        actor=member,
        device_id=DeviceFactory(listed=True, price_cents=6000).pk,
        organisation=organisation,
        voucher_code=code,
    )
    assert again.status == ClaimStatus.CONFIRMED
    today = timezone.localdate()
    rows, total = vouchers.funder_statement(funder=cheques.funder, year=today.year, month=today.month)
    assert [v.code for v in rows] == [code] and total == 6000
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(
        reverse("claims:funder_statement", args=[cheques.funder.pk]),
        {"mois": f"{today.year}-{today.month:02d}"},
    )
    assert page.status_code == 200 and code in page.content.decode()


def test_an_expired_or_not_yet_valid_cheque_is_refused(programme):
    organisation, member = verified_structure()
    later = ChequeProgrammeFactory(valid_from=timezone.localdate() + timedelta(days=5))
    code = (
        services.issue_batch(programme=later, count=1, by=UserFactory(is_staff=True))
        .cheques.get()
        .voucher.code
    )
    with pytest.raises(InvalidInput):
        reservations.create_claim(
            actor=member,
            device_id=DeviceFactory(listed=True).pk,
            organisation=organisation,
            voucher_code=code,
        )
    assert EquipmentCheque.objects.get().voucher.redeemed_at is None


def test_staff_issue_a_batch_from_the_admin_and_a_refusal_is_shown_on_its_form(client, programme):
    """The admin's « Émettre un carnet » page: its form, the batch's print page once issued, and what the service
    refuses (a programme that has ended) shown on the form, nothing issued."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    cheques = ChequeProgrammeFactory()
    url = reverse("structures_programme:issue", args=[cheques.pk])
    assert 'name="count"' in client.get(url).content.decode()

    response = client.post(url, {"count": "3"})
    batch = cheques.batches.get()
    assert response.status_code == 302 and response.url == reverse("structures:batch_print", args=[batch.pk])
    assert batch.cheques.count() == 3

    assert (
        "Assurez-vous que cette valeur est supérieure ou égale à 1"
        in client.post(url, {"count": "0"}).content.decode()
    )
    cheques.valid_until = timezone.localdate() - timedelta(days=1)
    cheques.save()
    page = client.post(url, {"count": "2"}).content.decode()
    assert "Ce programme a pris fin : aucun chèque ne peut plus être émis." in page
    assert cheques.batches.count() == 1
