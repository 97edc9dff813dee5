"""Claims on SQLite: reservation, caps, vouchers, cancel, handover, permissions. The catalogue is in
test_catalogue_pages.py, the waitlist in test_waitlist.py."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from inventory.enums import DeviceState
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import HANDOVER_ALPHABET, Claim, Voucher
from reuse.claims.services import reservations, vouchers
from reuse.errors import Forbidden, InvalidInput, Unavailable
from tests.claims.helpers import chose_to_pay_at_the_workshop
from tests.factories.accounts import HouseholdProfileFactory, member_of
from tests.factories.claims import VoucherFactory
from tests.factories.eligibility import eligible, eligible_association, referrer_with_household
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


def test_household_claims_a_device_and_the_second_is_told_kindly(client, programme):
    device = DeviceFactory(listed=True)
    similar = DeviceFactory(listed=True, price_cents=4000)
    first, second = eligible(), eligible()
    client.force_login(first)
    response = client.post(f"/catalogue/{device.pk}/demander/")
    claim = Claim.objects.get()
    assert response.url == f"/demandes/{claim.pk}/"
    device.refresh_from_db()
    assert device.state == DeviceState.RESERVED and claim.status == ClaimStatus.RESERVED
    assert claim.expires_at == pytest.approx(timezone.now() + timedelta(hours=48), abs=timedelta(seconds=5))
    assert set(claim.handover_code) <= set(HANDOVER_ALPHABET)
    assert mail.outbox[-1].subject.startswith("Votre appareil est réservé")
    assert mail.outbox[-1].alternatives  # HTML part beside the plain text
    client.force_login(second)
    loser = client.post(f"/catalogue/{device.pk}/demander/")
    assert loser.status_code == 409
    assert "Quelqu’un l’a demandé juste avant vous" in loser.content.decode()
    assert similar in list(loser.context["similar"])


def test_api_claim_errors_follow_the_contract(api_client, client, programme):
    device = DeviceFactory(listed=True)
    household = HouseholdProfileFactory().user
    client.force_login(household)
    refused = api_client.post("/api/v1/claims", {"device_id": device.pk})
    assert refused.status_code == 403 and refused.json()["code"] == "not_eligible"
    eligible(household)
    created = api_client.post("/api/v1/claims", {"device_id": device.pk})
    assert created.status_code == 201
    assert created.json()["status"] == "reserved" and created.json()["amount_due_cents"] == 5000
    other = eligible()
    client.force_login(other)
    taken = api_client.post("/api/v1/claims", {"device_id": device.pk})
    assert taken.status_code == 409 and taken.json()["code"] == "unavailable"
    # the household cap: one laptop per 24 months
    client.force_login(household)
    capped = api_client.post("/api/v1/claims", {"device_id": DeviceFactory(listed=True).pk})
    assert capped.status_code == 403 and capped.json()["code"] == "cap_reached"
    assert "1 appareil(s) de ce type" in capped.json()["detail"]


def test_another_household_cannot_read_or_act_on_a_claim(client, api_client, programme):
    owner, stranger = eligible(), eligible()
    claim = reservations.create_claim(actor=owner, device_id=DeviceFactory(listed=True).pk)
    client.force_login(stranger)
    for url in (f"/demandes/{claim.pk}/", f"/demandes/{claim.pk}/payer/", f"/demandes/{claim.pk}/code/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/demandes/{claim.pk}/annuler/").status_code == 404
    assert api_client.get(f"/api/v1/claims/{claim.pk}").status_code == 404
    assert api_client.post(f"/api/v1/claims/{claim.pk}/cancel").status_code == 404
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESERVED


def test_voucher_pays_part_and_is_single_use(programme):
    voucher = VoucherFactory(face_value_cents=2000)
    a, b = eligible(), eligible()
    claim = reservations.create_claim(
        actor=a, device_id=DeviceFactory(listed=True).pk, voucher_code=voucher.code.lower()
    )
    assert claim.amount_due_cents == 3000
    with pytest.raises(InvalidInput) as used:
        reservations.create_claim(actor=b, device_id=DeviceFactory(listed=True).pk, voucher_code=voucher.code)
    assert used.value.code == "voucher_used"
    assert not Claim.objects.filter(beneficiary=b).exists()  # the whole claim rolled back
    reservations.cancel_claim(claim_id=claim.pk, actor=a)
    voucher.refresh_from_db()
    assert voucher.claim is None  # released with the cancelled claim


def test_voucher_covering_everything_confirms_at_once_and_funder_sees_it(client, programme):
    voucher = VoucherFactory(face_value_cents=10000)
    household = eligible()
    claim = reservations.create_claim(
        actor=household, device_id=DeviceFactory(listed=True, price_cents=3000).pk
    )
    claim = vouchers.apply_voucher(claim_id=claim.pk, actor=household, code=voucher.code)
    assert claim.status == ClaimStatus.CONFIRMED and claim.voucher_cents == 3000
    assert Voucher.objects.get().redeemed_cents == 3000
    funder_member = member_of(
        HouseholdProfileFactory().user.memberships.model.organisation.field.related_model.objects.create(
            kind="hub",
            name="Conseil départemental",
            address="x",
            postcode="93000",
            city="Bobigny",
            department="93",
        )
    )
    voucher.funder.organisation = funder_member.memberships.get().organisation
    voucher.funder.save()
    client.force_login(funder_member)
    page = client.get(f"/demandes/financeurs/{voucher.funder.pk}/releve/")
    assert page.status_code == 200 and "30,00\u00a0€" in page.content.decode()
    client.force_login(household)
    assert client.get(f"/demandes/financeurs/{voucher.funder.pk}/releve/").status_code == 404


def test_free_device_is_confirmed_at_once_with_a_code(client, programme):
    household = eligible()
    claim = reservations.create_claim(actor=household, device_id=DeviceFactory(listed=True, free=True).pk)
    assert claim.status == ClaimStatus.CONFIRMED
    client.force_login(household)
    html = client.get(f"/demandes/{claim.pk}/").content.decode()
    assert claim.handover_code_display in html
    assert any("vous attend" in m.subject for m in mail.outbox)


def test_cancel_before_payment_lists_the_device_again(client, programme):
    household = eligible()
    device = DeviceFactory(listed=True)
    claim = reservations.create_claim(actor=household, device_id=device.pk)
    client.force_login(household)
    client.post(f"/demandes/{claim.pk}/annuler/")
    claim.refresh_from_db()
    device.refresh_from_db()
    assert claim.status == ClaimStatus.CANCELLED and device.state == DeviceState.LISTED


def test_workshop_hands_over_with_the_code_and_prints_a_receipt(client, programme):
    household = eligible()
    device = DeviceFactory(listed=True, free=True)
    claim = reservations.create_claim(actor=household, device_id=device.pk)
    technician = member_of(device.workshop)
    client.force_login(technician)
    counter = client.get("/demandes/atelier/remise/").content.decode()
    assert f"?demande={claim.pk}" in counter and claim.handover_code_display not in counter
    typed = claim.handover_code_display.lower().replace("-", " ")
    found = client.post("/demandes/atelier/remise/", {"claim": claim.pk, "code": typed})
    assert found.status_code == 200 and found.context["claim"] == claim
    done = client.post("/demandes/atelier/remise/confirmer/", {"claim": claim.pk, "code": typed})
    assert done.status_code == 200
    claim.refresh_from_db()
    device.refresh_from_db()
    assert claim.status == ClaimStatus.HANDED_OVER
    assert device.state == DeviceState.HANDED_OVER and device.outcome_department == "93"
    pdf = client.get(f"/demandes/{claim.pk}/recu.pdf")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Garantie" in text and "6 mois" in text and device.workshop.name in text
    # another workshop cannot use the code
    other = member_of(DeviceFactory(listed=True).workshop)
    client.force_login(other)
    assert (
        "Aucune demande"
        in client.post(
            "/demandes/atelier/remise/", {"claim": claim.pk, "code": claim.handover_code}
        ).content.decode()
    )


def test_pay_at_workshop_is_collected_at_handover(client, programme):
    claim = chose_to_pay_at_the_workshop(client, 1500)
    assert claim.handover_code_display in client.get(f"/demandes/{claim.pk}/").content.decode()
    client.force_login(member_of(claim.device.workshop))
    short = client.post(
        "/demandes/atelier/remise/confirmer/",
        {"claim": claim.pk, "code": claim.handover_code, "collected": "10"},
    )
    assert short.status_code == 422
    client.post(
        "/demandes/atelier/remise/confirmer/",
        {"claim": claim.pk, "code": claim.handover_code, "collected": "15"},
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.HANDED_OVER
    assert claim.payments.get().method == "workshop"


def test_association_claims_several_within_its_yearly_cap(client, programme):
    organisation, member = eligible_association(programme)
    devices = [DeviceFactory(listed=True) for _ in range(6)]
    client.force_login(member)
    assert client.get("/compte/espace/").url == "/demandes/association/"
    client.post("/demandes/association/", {"devices": [d.pk for d in devices[:3]]})
    assert Claim.objects.filter(organisation=organisation).count() == 3
    refused = client.post("/demandes/association/", {"devices": [d.pk for d in devices[3:]]})
    assert "Plafond annuel atteint" in refused.content.decode()
    assert Claim.objects.filter(organisation=organisation).count() == 3


def test_referrer_claims_for_a_household_under_mandate(client, api_client, programme):
    referrer, household = referrer_with_household()
    device = DeviceFactory(listed=True)
    client.force_login(referrer)
    response = api_client.post("/api/v1/claims", {"device_id": device.pk, "beneficiary_id": household.pk})
    assert response.status_code == 201
    claim = Claim.objects.get()
    assert claim.beneficiary == household and claim.claimed_by == referrer
    assert mail.outbox[-1].to == [referrer.email]  # the household has no email: the referrer is told
    stranger = eligible()
    refused = api_client.post(
        "/api/v1/claims", {"device_id": DeviceFactory(listed=True).pk, "beneficiary_id": stranger.pk}
    )
    assert refused.status_code == 404


def test_services_raise_typed_errors(programme):
    household = eligible()
    device = DeviceFactory(listed=True)
    reservations.create_claim(actor=household, device_id=device.pk)
    with pytest.raises(Unavailable):
        reservations.create_claim(actor=eligible(), device_id=device.pk)
    with pytest.raises(Forbidden):
        reservations.create_claim(
            actor=HouseholdProfileFactory().user, device_id=DeviceFactory(listed=True).pk
        )


def test_referrer_picks_the_household_on_the_device_page(client, programme):
    referrer, household = referrer_with_household()
    device = DeviceFactory(listed=True)
    client.force_login(referrer)
    page = client.get(f"/catalogue/{device.pk}/").content.decode()
    # Last name first, with what tells homonyms apart (reuse.claims.forms.household_label).
    assert "Pour quel foyer ?" in page and f"{household.last_name} {household.first_name}, " in page
    response = client.post(f"/catalogue/{device.pk}/demander/", {"beneficiary": household.pk})
    claim = Claim.objects.get()
    assert response.url == f"/demandes/{claim.pk}/" and claim.beneficiary == household
    assert client.get(f"/demandes/{claim.pk}/").status_code == 200
