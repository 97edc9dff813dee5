"""PostgreSQL: one equipment cheque redeemed by two structures at the same moment pays once (issue 19)."""

import pytest

from reuse.claims import services as claims
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim, Voucher
from reuse.structures import services
from tests.factories.accounts import UserFactory
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory
from tests.factories.structures import ChequeProgrammeFactory, verified_structure
from tests.services.test_claims_concurrency import _race

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_cheque_two_parallel_redemptions_one_wins():
    ProgrammeFactory()
    cheques = ChequeProgrammeFactory(devices_per_structure=3)
    code = (
        services.issue_batch(programme=cheques, count=1, by=UserFactory(is_staff=True))
        .cheques.get()
        .voucher.code
    )
    first = verified_structure()
    second = verified_structure(siret="40483304800022", email="autre@example.test")
    reserved = [
        claims.create_claim(
            actor=member, device_id=DeviceFactory(listed=True, price_cents=9000).pk, organisation=organisation
        )
        for organisation, member in (first, second)
    ]
    outcomes = _race(
        [
            lambda c=c, m=m: claims.apply_voucher(claim_id=c.pk, actor=m, code=code)
            for c, (_org, m) in zip(reserved, (first, second), strict=True)
        ]
    )
    winners = [o for o in outcomes if isinstance(o, Claim)]
    assert len(winners) == 1, outcomes
    assert [o for o in outcomes if not isinstance(o, Claim)] == ["voucher_used"]
    voucher = Voucher.objects.get(code=code)
    assert voucher.claim_id == winners[0].pk
    assert Claim.objects.filter(voucher_cents__gt=0).count() == 1
    assert Claim.objects.get(pk=winners[0].pk).status == ClaimStatus.CONFIRMED
