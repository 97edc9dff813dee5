"""Holding a device for ever, and jumping the waitlist (issue 12, point 11).

Reserving, cancelling and reserving again must not keep a device from everyone else: after a cancelled or expired
claim of a device, the same household (or association) waits the programme's cooldown. Waitlist priority
situations count only when the eligibility decision's evidence backs them, never as self-declared tick boxes.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from reuse.claims.enums import ClaimStatus
from reuse.claims.services import reservations, waitlist
from reuse.eligibility.enums import PrioritySituation
from reuse.eligibility.models import EligibilityDecision
from reuse.eligibility.services import decisions, documents
from reuse.errors import Forbidden, InvalidInput
from tests.claims.helpers import join
from tests.factories.eligibility import (
    ReferrerAccreditationFactory,
    eligible,
    eligible_association,
    referrer_with_household,
)
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


def test_reserve_cancel_reserve_is_refused_for_the_programmes_cooldown(client, api_client, programme):
    household, other = eligible(), eligible()
    device = DeviceFactory(listed=True, price_cents=2500)
    claim = reservations.create_claim(actor=household, device_id=device.pk)
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    client.force_login(household)
    response = api_client.post("/api/v1/claims", {"device_id": device.pk})
    body = response.json()
    assert response.status_code == 403 and body["code"] == "cooldown"
    assert (
        "vous pourrez le réserver de nouveau à partir du" in body["detail"] and "24 heures" in body["detail"]
    )
    page = client.post(f"/catalogue/{device.pk}/demander/", {"voucher_code": ""})
    assert page.status_code == 403 and "laisser sa chance à un autre foyer" in page.content.decode()
    # Read in English, the dates are English too (« 4 December 2026 at 14:50 », not « à »).
    english = client.post(
        f"/catalogue/{device.pk}/demander/", {"voucher_code": ""}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert re.search(r"again from \d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d", english), english
    assert " à " not in english
    # Someone else may take it at once; the first household, once the cooldown is over.
    other_claim = reservations.create_claim(actor=other, device_id=device.pk)
    reservations.cancel_claim(claim_id=other_claim.pk, actor=other)
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1), tick=False):
        assert reservations.create_claim(actor=household, device_id=device.pk).status == ClaimStatus.RESERVED


def test_an_expired_claim_starts_the_cooldown_too_and_the_programme_sets_it(programme):
    programme.claim_cooldown_hours = 72
    programme.save()
    household = eligible(programme=programme)
    device = DeviceFactory(listed=True, price_cents=2500)
    reservations.create_claim(actor=household, device_id=device.pk)
    later = timezone.now() + timedelta(hours=programme.hold_hours + 1)
    with time_machine.travel(later, tick=False):
        reservations.expire_claim(claim_id=device.claims.get().pk)
    with time_machine.travel(later + timedelta(hours=71), tick=False):
        with pytest.raises(Forbidden) as refused:
            reservations.create_claim(actor=household, device_id=device.pk)
        assert refused.value.code == "cooldown" and "72 heures" in refused.value.message
    with time_machine.travel(later + timedelta(hours=73), tick=False):
        assert reservations.create_claim(actor=household, device_id=device.pk)


def test_the_cooldown_holds_for_associations_and_referrers(programme):
    organisation, member = eligible_association(programme)
    device = DeviceFactory(listed=True, price_cents=2500)
    [claim] = reservations.create_batch_claims(
        actor=member, organisation=organisation, device_ids=[device.pk]
    )
    reservations.cancel_claim(claim_id=claim.pk, actor=member)
    with pytest.raises(Forbidden) as refused:
        reservations.create_batch_claims(actor=member, organisation=organisation, device_ids=[device.pk])
    assert refused.value.code == "cooldown"
    referrer, household = referrer_with_household()
    other = DeviceFactory(listed=True, price_cents=2500)
    claim = reservations.create_claim(actor=referrer, device_id=other.pk, beneficiary=household)
    reservations.cancel_claim(claim_id=claim.pk, actor=referrer)
    with pytest.raises(Forbidden):
        reservations.create_claim(actor=household, device_id=other.pk)


def test_a_waitlist_offer_skips_a_household_in_cooldown_without_dropping_it(programme):
    household, other = eligible(), eligible()
    device = DeviceFactory(listed=True, price_cents=2500)
    claim = reservations.create_claim(actor=household, device_id=device.pk)
    entry = join(household)
    join(other)
    reservations.cancel_claim(claim_id=claim.pk, actor=household)  # the device is offered to the waitlist
    assert device.claims.get(status=ClaimStatus.RESERVED).beneficiary == other
    entry.refresh_from_db()
    assert entry.status == "waiting"


# --- waitlist priority: backed by the decision's evidence ----------------------------------------------------


def test_ticked_boxes_alone_earn_no_points(client, programme):
    declared = eligible()
    entry = join(declared, lives_in_qpv_zrr=True, no_computer=True, children_at_school=True)
    assert entry.score() == 0
    client.force_login(declared)
    page = client.get("/demandes/liste-attente/").content.decode()
    assert "Vos points : 0." in page and "les cases cochées ne comptent pas seules" in page


def test_situations_attested_by_a_referrer_count_and_rank_first(client, programme):
    """Two households wait; the one who only ticked boxes joined first, the other's situation was attested."""
    declared = eligible()
    join(declared, no_computer=True, children_at_school=True)
    referrer, attested = referrer_with_household()
    ReferrerAccreditationFactory(organisation=referrer.memberships.get().organisation)
    decisions.attest(
        referrer=referrer,
        household=attested,
        criteria=["rsa"],
        priorities=[PrioritySituation.NO_COMPUTER],
    )
    entry = join(attested)
    assert entry.score() == programme.weight_no_computer
    ranked = waitlist.ranked_waitlist(programme=programme, device_type="laptop")
    assert [e.beneficiary for e in ranked] == [attested, declared]
    client.force_login(attested)
    page = client.get("/demandes/liste-attente/").content.decode()
    assert "Situations vérifiées avec votre éligibilité, qui comptent : Aucun ordinateur au foyer." in page
    # The device goes to the household whose situation is backed.
    device = DeviceFactory(listed=True)
    assert waitlist.offer_device(device.pk).beneficiary == attested


def test_a_household_cannot_back_its_own_priorities(client, api_client, programme):
    programme.accepted_evidence = ["attestation", "document", "declaration"]
    programme.save()
    household = eligible(programme=programme)
    client.force_login(household)
    response = api_client.post(
        "/api/v1/eligibility",
        {"criteria": ["rsa"], "evidence": "declaration", "priorities": ["no_computer"]},
    )
    assert response.status_code == 422 and response.json()["code"] == "priorities_need_evidence"
    # Even stored on a self-declared decision, a priority would not count.
    decision = EligibilityDecision.objects.get(beneficiary=household)
    EligibilityDecision.objects.filter(pk=decision.pk).update(
        evidence="declaration", priorities=["no_computer"]
    )
    assert join(household).score() == 0
    with pytest.raises(InvalidInput):
        decisions.decide_for_household(
            household=household, author=household, criteria=["rsa"], evidence="declaration", priorities=["x"]
        )


def test_staff_record_the_priorities_a_document_shows(programme):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.eligibility.test_documents import PDF
    from tests.factories.accounts import UserFactory

    programme.accepted_evidence = ["attestation", "document"]
    programme.save()
    household = eligible(programme=programme)
    pending = documents.upload_document(
        household=household,
        uploaded_by=household,
        criteria=["rsa"],
        upload=SimpleUploadedFile("attestation.pdf", PDF, content_type="application/pdf"),
    )
    reviewer = UserFactory(is_staff=True, is_superuser=True)
    documents.review_document(
        document=pending.documents.get(),
        reviewer=reviewer,
        approve=True,
        priorities=[PrioritySituation.QPV_ZRR],
    )
    assert join(household).score() == programme.weight_qpv_zrr
