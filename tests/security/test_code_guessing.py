"""Codes that are worth money or open an account cannot be guessed by trying them one after the other.

A voucher (pass numérique-style cheque, equipment cheque) pays part of a claim: its code is printed on paper and
typed by the claimant. Wrong codes are counted per person and per network address; past the limit every code is refused for a while, even
a right one, so a signed-in household cannot walk through a funder's codes.
"""

import json

import pytest
from django.urls import reverse

from reuse.claims.models import Voucher
from reuse.claims.services import reservations, vouchers
from reuse.claims.services.vouchers import VOUCHER_MAX_FAILURES, VOUCHER_MAX_FAILURES_PER_ADDRESS
from reuse.errors import DomainError
from tests.factories.claims import VoucherFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reserved(db):
    ProgrammeFactory(vouchers_accepted=True)
    household = eligible()
    claim = reservations.create_claim(
        actor=household, device_id=DeviceFactory(listed=True, price_cents=3000).pk
    )
    return household, claim


def test_guessing_voucher_codes_on_the_pay_page_is_stopped(client, reserved):
    household, claim = reserved
    voucher = VoucherFactory(face_value_cents=2000)
    client.force_login(household)
    url = reverse("claims:apply_voucher", args=[claim.pk])
    for attempt in range(VOUCHER_MAX_FAILURES):
        assert client.post(url, {"code": f"PASS-GUESS-{attempt}"}).status_code == 422
    refused = client.post(url, {"code": voucher.code})
    assert refused.status_code == 403
    assert "réessayez" in refused.content.decode().lower()
    voucher.refresh_from_db()
    assert voucher.claim_id is None and voucher.redeemed_at is None


def test_guessing_voucher_codes_through_new_claims_is_stopped(client):
    ProgrammeFactory(vouchers_accepted=True)
    household = eligible()
    voucher = VoucherFactory(face_value_cents=2000)
    client.force_login(household)

    def claim_with(code):
        body = {"device_id": DeviceFactory(listed=True, price_cents=3000).pk, "voucher_code": code}
        return client.post("/api/v1/claims", json.dumps(body), content_type="application/json")

    statuses = [claim_with(f"PASS-GUESS-{n}").status_code for n in range(VOUCHER_MAX_FAILURES)]
    assert set(statuses) == {422}
    response = claim_with(voucher.code)
    assert response.status_code == 403 and response.json()["code"] == "rate_limited"
    assert not Voucher.objects.filter(claim__isnull=False).exists()


def test_a_used_code_counts_as_a_wrong_guess_and_others_are_not_held_back(reserved):
    household, claim = reserved
    used = VoucherFactory(face_value_cents=500)
    other = eligible()
    other_claim = reservations.create_claim(
        actor=other, device_id=DeviceFactory(listed=True, price_cents=3000).pk
    )
    vouchers.apply_voucher(claim_id=other_claim.pk, actor=other, code=used.code)
    for _ in range(VOUCHER_MAX_FAILURES):
        with pytest.raises(DomainError) as wrong:
            vouchers.apply_voucher(claim_id=claim.pk, actor=household, code=used.code)
        assert wrong.value.code == "voucher_used"
    with pytest.raises(DomainError) as blocked:
        vouchers.apply_voucher(claim_id=claim.pk, actor=household, code="ANYTHING")
    assert blocked.value.code == "rate_limited"
    # Another person's tries are their own.
    third = eligible()
    third_claim = reservations.create_claim(
        actor=third, device_id=DeviceFactory(listed=True, price_cents=3000).pk
    )
    fresh = VoucherFactory(face_value_cents=500)
    assert vouchers.apply_voucher(claim_id=third_claim.pk, actor=third, code=fresh.code).voucher_cents == 500


def test_accounts_guessing_from_one_network_are_counted_together(client):
    """Each household, association member or referrer has its own count: a few accounts on one network would
    each walk VOUCHER_MAX_FAILURES codes an hour. The network address has a count of its own
    (VOUCHER_MAX_FAILURES_PER_ADDRESS, whoever types), as the sign-in limits have; another network is not held."""
    ProgrammeFactory(vouchers_accepted=True)
    voucher = VoucherFactory(face_value_cents=2000)

    def claim_with(person, code, address):
        client.force_login(person)
        body = {"device_id": DeviceFactory(listed=True, price_cents=3000).pk, "voucher_code": code}
        return client.post(
            "/api/v1/claims", json.dumps(body), content_type="application/json", REMOTE_ADDR=address
        )

    guessers = VOUCHER_MAX_FAILURES_PER_ADDRESS // VOUCHER_MAX_FAILURES
    for n in range(guessers):
        person = eligible()
        for attempt in range(VOUCHER_MAX_FAILURES):
            assert claim_with(person, f"PASS-{n}-{attempt}", "203.0.113.9").status_code == 422
    newcomer = eligible()
    refused = claim_with(newcomer, voucher.code, "203.0.113.9")
    assert refused.status_code == 403 and refused.json()["code"] == "rate_limited"
    assert claim_with(newcomer, voucher.code, "198.51.100.20").status_code == 201
