"""Stripe events Rebond could not apply, shown to staff, who apply them again once the cause is gone.

Before: an event whose processing failed (Stripe out of reach while its refunds were read, a bug) was kept without
its error; once Stripe stopped sending it again (three days), nobody saw it and the money it told of (a refund
staff made in the Dashboard, a payment) was never recorded. Now each failure is counted on the event with its error,
staff list those not applied in the admin (Demandes et paiements > Événements Stripe) and apply one again, once:
applying an event already applied, from the admin or by Stripe replaying it, changes nothing. Stripe is `FakeStripe`.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from reuse.claims.enums import LedgerKind, RefundStatus
from reuse.claims.models import LedgerEntry, Refund, StripeEvent
from reuse.claims.services.stripe_api import PaymentProviderError
from tests.claims.helpers import PRICE, deliver, paid_claim
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def failed_event(fake):
    """Staff refund from the Dashboard; Stripe's event comes while Rebond cannot read the intent's refunds."""
    household, claim, payment = paid_claim(fake)
    made = fake.dashboard(payment.stripe_payment_intent, PRICE)
    fake.down = True
    with pytest.raises(PaymentProviderError):
        deliver("refund.created", made, event_id="evt_lost_refund")
    fake.down = False
    return claim, payment, StripeEvent.objects.get(event_id="evt_lost_refund")


def booked(payment) -> int:
    return LedgerEntry.objects.filter(payment=payment, kind=LedgerKind.REFUNDED).count()


def test_a_failed_event_is_kept_with_its_error_and_listed_once_stripe_gave_up(programme, fake, client):
    claim, payment, event = failed_event(fake)
    assert event.processed_at is None and event.attempts == 1 and "Stripe" in event.last_error
    assert not Refund.objects.filter(payment=payment).exists()

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get("/admin/claims/stripeevent/?state=not_applied").content.decode()
    assert "evt_lost_refund" in page
    assert "evt_lost_refund" not in client.get("/admin/claims/stripeevent/?state=given_up").content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=4), tick=False):
        given_up = client.get("/admin/claims/stripeevent/?state=given_up").content.decode()
    assert "evt_lost_refund" in given_up


def test_staff_apply_a_failed_event_again_once(programme, fake, client):
    claim, payment, event = failed_event(fake)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    action = f"/admin/claims/stripeevent/reprocess/{event.pk}/"
    assert "evt_lost_refund" in client.get(action).content.decode()

    assert client.post(action).status_code == 302
    event.refresh_from_db()
    assert event.processed_at is not None and "booked" in event.outcome
    assert Refund.objects.get(payment=payment).status == RefundStatus.SUCCEEDED
    assert booked(payment) == 1

    # Again from the admin (a double click, a second member of staff), then Stripe replaying it: nothing more.
    outcome = event.outcome
    client.post(action)
    deliver("refund.created", fake.refunds["re_1"], event_id="evt_lost_refund")
    event.refresh_from_db()
    assert (event.outcome, booked(payment), Refund.objects.filter(payment=payment).count()) == (outcome, 1, 1)


def test_an_event_that_fails_again_is_counted_and_kept_for_later(programme, fake, client):
    claim, payment, event = failed_event(fake)
    fake.down = True
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    answer = client.post(f"/admin/claims/stripeevent/reprocess/{event.pk}/", follow=True)
    assert "injoignable" in answer.content.decode()
    event.refresh_from_db()
    assert event.processed_at is None and event.attempts == 2
