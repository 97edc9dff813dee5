"""The claim lifecycle's invariants hold whatever the order of the claimants', the workshop's and the clock's
moves (a stateful property test, as test_erasure_invariant.py does for devices).

After every step, read from the database: a device has at most one live claim, it is reserved exactly while a
reserved or confirmed claim holds it and handed over once its claim is; a voucher is redeemed by at most one
claim, only while that claim is live, for what the claim says it covered; a claim never covers more than its
price; a confirmed or handed-over claim was paid (or owed nothing); and nothing left a claim without the history
row of its status. The workshop's own tools (the API's transition, the bench mode) try the moves claims make, too.
Staff edit vouchers not yet used (their face value, as the admin's form saves it) and a household's decision
ends: a household never holds more claims of a type than its programme's cap, no claim is made on a decision
that had ended, and a voucher never paid more than its face value.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from inventory.enums import DeviceState
from inventory.models import Device
from inventory.services.bench import bench_apply
from inventory.services.devices import move
from reuse.accounts.models import User
from reuse.claims import handover as counter
from reuse.claims.enums import ACTIVE_CLAIM_STATUSES, ClaimStatus
from reuse.claims.models import Claim, ClaimEvent, Voucher
from reuse.claims.services import reservations, vouchers
from reuse.claims.transitions import paid_cents
from reuse.eligibility.models import EligibilityDecision
from reuse.errors import DomainError
from tests.factories.accounts import OrganisationFactory, member_of
from tests.factories.claims import VoucherFactory
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory
from tests.security.machines import WorldMachine, run_machine

pytestmark = pytest.mark.django_db

HOLDING = {ClaimStatus.RESERVED, ClaimStatus.CONFIRMED}
CAP = 1


def claim_world() -> dict:
    """A programme taking vouchers, an open workshop with a technician, three listed devices (one free), two
    eligible households and two vouchers: made once, found as made by every sequence."""
    ProgrammeFactory(vouchers_accepted=True, household_cap_devices=CAP)
    workshop = OrganisationFactory(open_workshop=True, department="93")
    return {
        "technician": member_of(workshop).pk,
        "devices": [
            DeviceFactory(listed=True, workshop=workshop, price_cents=price).pk for price in (0, 3000, 3000)
        ],
        "households": [eligible().pk, eligible().pk],
        "codes": [VoucherFactory(face_value_cents=value).code for value in (1000, 5000)],
    }


class ClaimRules(WorldMachine, RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Read again in each sequence: no object cached by an earlier, rolled-back sequence is reused.
        users = User.objects.in_bulk([self.world["technician"], *self.world["households"]])
        self.technician = users[self.world["technician"]]
        self.devices = list(Device.objects.filter(pk__in=self.world["devices"]).order_by("pk"))
        self.households = [users[pk] for pk in self.world["households"]]
        self.codes = self.world["codes"]
        self.ended = {}

    def _claim(self, index):
        """The claim made `index`-th in this sequence (from 0), or None while fewer have been made."""
        claims = list(Claim.objects.order_by("pk"))
        return claims[index] if index < len(claims) else None

    def _try(self, action):
        try:
            with transaction.atomic():
                action()
        except DomainError:
            pass

    @rule(who=st.integers(0, 1), which=st.integers(0, 2), code=st.sampled_from([None, 0, 1]))
    def claim(self, who, which, code):
        voucher = "" if code is None else self.codes[code]
        self._try(
            lambda: reservations.create_claim(
                actor=self.households[who], device_id=self.devices[which].pk, voucher_code=voucher
            )
        )

    @rule(index=st.integers(0, 5), code=st.integers(0, 1))
    def apply_voucher(self, index, code):
        claim = self._claim(index)
        if claim is not None:
            actor = claim.beneficiary
            self._try(lambda: vouchers.apply_voucher(claim_id=claim.pk, actor=actor, code=self.codes[code]))

    @rule(index=st.integers(0, 5))
    def pay_at_workshop(self, index):
        claim = self._claim(index)
        if claim is not None:
            self._try(lambda: reservations.choose_pay_at_workshop(claim_id=claim.pk, actor=claim.beneficiary))

    @rule(index=st.integers(0, 5))
    def cancel(self, index):
        claim = self._claim(index)
        if claim is not None:
            self._try(lambda: reservations.cancel_claim(claim_id=claim.pk, actor=claim.beneficiary))

    @rule(index=st.integers(0, 5))
    def expire(self, index):
        claim = self._claim(index)
        if claim is not None:
            Claim.objects.filter(pk=claim.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
            reservations.expire_claim(claim_id=claim.pk)

    @rule(index=st.integers(0, 5), right=st.booleans())
    def hand_over(self, index, right):
        claim = self._claim(index)
        if claim is not None:
            code = claim.handover_code if right else "AAAAAA"
            self._try(
                lambda: counter.hand_over(
                    actor=self.technician,
                    claim_id=claim.pk,
                    code=code,
                    collected_cents=claim.amount_due_cents or None,
                )
            )

    @rule(
        which=st.integers(0, 2),
        to=st.sampled_from([DeviceState.RESERVED, DeviceState.LISTED, DeviceState.HANDED_OVER]),
        bench=st.booleans(),
    )
    def workshop_moves(self, which, to, bench):
        """The moves claims make, asked for by the workshop's API client or its bench mode: always refused."""
        device = Device.objects.get(pk=self.devices[which].pk)
        if bench and to == DeviceState.LISTED:
            bench_apply(workshop=device.workshop, actor=self.technician, action=to, codes=[device.asset_tag])
        else:
            self._try(lambda: move(device=device, actor=self.technician, to=to))

    @rule(code=st.integers(0, 1), value=st.sampled_from([500, 1000, 5000]))
    def staff_edit_a_voucher(self, code, value):
        """The admin's form: full_clean (which refuses a used voucher's value), then save."""
        voucher = Voucher.objects.get(code=self.codes[code])
        voucher.face_value_cents = value
        try:
            voucher.full_clean()
        except ValidationError:
            return
        voucher.save()

    @rule(who=st.integers(0, 1))
    def decision_ends(self, who):
        household = self.households[who]
        if household.pk not in self.ended:
            self.ended[household.pk] = timezone.now()
            EligibilityDecision.objects.filter(beneficiary=household).update(
                expires_at=self.ended[household.pk]
            )

    @invariant()
    def households_stay_within_their_cap(self):
        for household in self.households:
            for device_type in {device.type for device in self.devices}:
                live = Claim.objects.filter(
                    beneficiary=household, device__type=device_type, status__in=ACTIVE_CLAIM_STATUSES
                )
                assert live.count() <= CAP, (household.pk, device_type, live.count())

    @invariant()
    def no_claim_on_an_ended_decision(self):
        for household_id, ended in self.ended.items():
            late = Claim.objects.filter(beneficiary_id=household_id, created__gte=ended)
            assert not late.exists(), (household_id, list(late.values_list("pk", flat=True)))

    @invariant()
    def confirmed_claims_were_paid(self):
        for claim in Claim.objects.filter(status__in=[ClaimStatus.CONFIRMED, ClaimStatus.HANDED_OVER]):
            assert paid_cents(claim) >= claim.price_cents - claim.voucher_cents, claim.pk

    @invariant()
    def devices_follow_their_claims(self):
        for device in Device.objects.filter(pk__in=[d.pk for d in self.devices]):
            live = list(Claim.objects.filter(device=device, status__in=ACTIVE_CLAIM_STATUSES))
            assert len(live) <= 1, (device.pk, live)
            holding = [c for c in live if c.status in HOLDING]
            handed = [c for c in live if c.status == ClaimStatus.HANDED_OVER]
            if holding:
                assert device.state == DeviceState.RESERVED, (device.state, holding)
            elif handed:
                assert device.state == DeviceState.HANDED_OVER, (device.state, handed)
            else:
                assert device.state == DeviceState.LISTED, (device.state, device.pk)

    @invariant()
    def vouchers_follow_their_claims(self):
        for voucher in Voucher.objects.filter(code__in=self.codes).select_related("claim"):
            if voucher.claim is None:
                assert voucher.redeemed_at is None and voucher.redeemed_cents == 0, voucher.code
                continue
            claim = voucher.claim
            assert claim.status in ACTIVE_CLAIM_STATUSES, (voucher.code, claim.status)
            assert voucher.redeemed_cents <= voucher.face_value_cents, voucher.code
            assert claim.voucher_cents == voucher.redeemed_cents, (
                claim.voucher_cents,
                voucher.redeemed_cents,
            )
        for claim in Claim.objects.all():
            assert claim.voucher_cents <= claim.price_cents
            if claim.voucher_cents and claim.status in ACTIVE_CLAIM_STATUSES:
                assert Voucher.objects.filter(claim=claim).count() == 1, claim.pk

    @invariant()
    def every_status_has_its_history(self):
        for claim in Claim.objects.all():
            last = ClaimEvent.objects.filter(claim=claim).order_by("-pk").first()
            assert last is not None and last.to_status == claim.status, (claim.pk, claim.status, last)


def test_the_claim_invariants_hold_under_any_sequence_of_moves():
    run_machine(ClaimRules, max_examples=40, steps=12, world=claim_world)
