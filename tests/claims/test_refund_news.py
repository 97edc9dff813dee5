"""What a household reads on its claim page while its money is on its way back, on a phone, in French or English.

Before: the page showed « Remboursé » once Stripe had given the money back and a line for a refund that did not
reach the card, and nothing in between: a household whose refund Stripe held, whose bank disputed the payment, or
whose refund was left to staff saw a cancelled claim and no word of its money, nor whom to call. Now each waiting
refund is said in plain words (what happens next, by when, who to call). Stripe is the in-memory `FakeStripe`.
"""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from reuse.claims.enums import HandRefundMethod
from reuse.claims.services import hand_refunds, reservations
from tests.claims.helpers import paid_claim
from tests.claims.test_refunds_that_wait import cancelled_while_disputed, left_to_staff
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def page(client, household, claim, language="fr") -> str:
    client.force_login(household)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(f"/demandes/{claim.pk}/").content.decode()


def test_a_refund_on_its_way_says_by_when_and_whom_to_call_once_late(programme, fake, client):
    household, claim, payment = paid_claim(fake)
    fake.down = True  # Stripe out of reach: the request is asked again by the tasks
    reservations.cancel_claim(claim_id=claim.pk, actor=household)

    html = page(client, household, claim)
    assert 'data-refund-waiting="on_its_way"' in html and "45,00" in html
    assert "Rien à faire de votre part" in html
    by = timezone.localdate() + timedelta(days=14)
    assert by.strftime("%-d") in html  # a date, not a vague « soon »
    assert claim.device.workshop.name in html  # whom to call
    english = page(client, household, claim, "en")
    assert "being refunded" in english and "Nothing to do on your side" in english

    with time_machine.travel(timezone.now() + timedelta(days=20), tick=False):
        late = page(client, household, claim)
    assert "Le délai habituel est passé" in late


def test_a_refund_waiting_for_a_bank_dispute_says_so(programme, fake, client):
    claim, _payment = cancelled_while_disputed(fake)
    household = claim.beneficiary

    html = page(client, household, claim)
    assert 'data-refund-waiting="disputed"' in html and "votre banque" in html
    assert "contests" in page(client, household, claim, "en")


def test_a_refund_left_to_staff_then_given_back_by_hand(programme, fake, client, monkeypatch):
    household, claim, payment, row = left_to_staff(fake, monkeypatch)

    html = page(client, household, claim)
    assert 'data-refund-waiting="team"' in html and 'data-refund-waiting="on_its_way"' not in html
    assert "virement" in html
    assert "another way" in page(client, household, claim, "en")

    hand_refunds.record(
        claim_id=claim.pk,
        by=UserFactory(is_staff=True),
        amount_cents=4500,
        method=HandRefundMethod.TRANSFER,
        reference="VIR-3",
    )
    done = page(client, household, claim)
    assert "data-refund-waiting" not in done and "data-given-back-by-hand" in done


def test_a_refund_given_back_shows_no_waiting(programme, fake, client):
    household, claim, payment = paid_claim(fake)
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    html = page(client, household, claim)
    assert "data-refunded" in html and "data-refund-waiting" not in html
