import io

import pytest
from django.core.management import call_command

from reuse.claims.models import Voucher
from reuse.claims.services import reservations, vouchers
from tests.factories.accounts import UserFactory
from tests.factories.claims import VoucherFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.tripod import ConnectivityOfferFactory

pytestmark = pytest.mark.django_db


def test_staff_admin_lists_claims_and_shows_expiring_today(client, programme):
    reservations.create_claim(actor=eligible(), device_id=DeviceFactory(listed=True).pk)
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    home = client.get("/admin/").content.decode()
    assert "Réservations qui expirent aujourd’hui" in home
    for path in (
        "/admin/claims/claim/",
        "/admin/claims/voucher/",
        "/admin/claims/payment/",
        "/admin/claims/refund/",
    ):
        assert client.get(path).status_code == 200, path


def test_staff_read_a_claim_s_price_and_voucher_in_euros_not_cents(client, programme):
    household = eligible()
    claim = reservations.create_claim(
        actor=household, device_id=DeviceFactory(listed=True, price_cents=4550).pk
    )
    vouchers.apply_voucher(
        claim_id=claim.pk, actor=household, code=VoucherFactory(face_value_cents=2000).code
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for path in ("/admin/claims/claim/", f"/admin/claims/claim/inspect/{claim.pk}/"):
        page = client.get(path).content.decode()
        assert "45,50\xa0€" in page and "20,00\xa0€" in page, path
        assert ">4550<" not in page and ">2000<" not in page and "centimes" not in page, path


def test_staff_read_a_connectivity_offer_s_monthly_price_in_euros(client):
    ConnectivityOfferFactory(monthly_price_cents=1550)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get("/admin/snippets/tripod/connectivityoffer/").content.decode()
    assert "15,50\xa0€" in page and "1550" not in page


def test_demo_prints_voucher_codes_and_is_idempotent(demo_seed_output):
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert "PASS-DEMO-2026-A" in demo_seed_output
    assert Voucher.objects.filter(code__startswith="PASS-DEMO-2026").count() == 3
