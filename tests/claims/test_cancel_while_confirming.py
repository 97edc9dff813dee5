"""A card Stripe says is paid, its webhook not here yet: the claim cannot be cancelled by its claimant until the
payment is confirmed (then cancelling refunds it, as any paid claim). The page says so instead of offering
« Annuler », the confirmation page and its POST refuse it, the API answers 409 `payment_being_confirmed`, and the
referrer reading the household's claim sees the same."""

import pytest
from django.urls import reverse

from inventory.enums import DeviceState
from inventory.models import Device
from reuse.accounts.services import system_user
from reuse.claims.enums import ClaimStatus, PaymentStatus
from reuse.claims.models import Refund
from reuse.claims.services import reservations
from reuse.claims.services.reservations import PAYMENT_BEING_CONFIRMED
from reuse.errors import Conflict
from tests.claims.helpers import card_under_way
from tests.claims.stripe_servers import paying_stripe
from tests.factories.accounts import UserFactory
from tests.factories.eligibility import eligible, referrer_with_household

__all__ = ["paying_stripe"]  # fixture

LATER = "ne peut pas être annulée pour le moment"


def test_the_household_is_told_it_may_cancel_once_the_payment_is_confirmed(client, programme, paying_stripe):
    household = eligible()
    claim, _payment = card_under_way(household)
    client.force_login(household)
    cancel_url = reverse("claims:cancel", args=[claim.pk])
    page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert cancel_url not in page
    assert LATER in page

    asked = client.get(cancel_url, follow=True).content.decode()  # an old link, the back button
    assert "en cours de confirmation" in asked
    assert "Oui, annuler" not in asked
    client.post(cancel_url)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESERVED


def test_the_api_answers_409_while_the_payment_is_confirmed(client, programme, paying_stripe):
    household = eligible()
    claim, _payment = card_under_way(household)
    client.force_login(household)
    response = client.post(f"/api/v1/claims/{claim.pk}/cancel", content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == PAYMENT_BEING_CONFIRMED
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESERVED


def test_the_referrer_reading_the_households_claim_is_told_the_same(client, programme, paying_stripe):
    referrer, household = referrer_with_household()
    claim, _payment = card_under_way(household, referrer=referrer)
    client.force_login(referrer)
    page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert "data-claim-for" in page
    assert reverse("claims:cancel", args=[claim.pk]) not in page
    assert LATER in page
    client.post(reverse("claims:cancel", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESERVED


def test_an_old_tab_cannot_switch_a_card_being_confirmed_to_the_counter_or_a_voucher(
    client, programme, paying_stripe
):
    """The pay page left open in another tab: « pay at the workshop » or a voucher would abandon the card payment
    the bank already made (refunded later, and the household asked to pay again)."""
    household = eligible()
    claim, payment = card_under_way(household)
    client.force_login(household)
    switched = client.post(reverse("claims:pay_at_workshop", args=[claim.pk]), follow=True)
    assert "en cours de confirmation" in switched.content.decode()
    voucher = client.post(reverse("claims:apply_voucher", args=[claim.pk]), {"code": "PASS-DEMO-2026-A"})
    assert voucher.status_code == 302
    claim.refresh_from_db()
    payment.refresh_from_db()
    assert not claim.pay_at_workshop and claim.voucher_cents == 0
    assert payment.status == PaymentStatus.PENDING


def test_the_lists_of_claims_say_received_without_asking_stripe_once_per_claim(
    client, programme, paying_stripe
):
    """The household's « Mes demandes » and its referrer's page of the household list the claim: once its page has
    read the card as paid, they say so too (not « reste à payer »), from that answer alone."""
    referrer, household = referrer_with_household()
    claim, _payment = card_under_way(household, referrer=referrer)
    client.force_login(referrer)
    household_page = reverse("eligibility:referrer_household", args=[household.pk])
    assert "reste à payer" in client.get(household_page).content.decode()
    assert paying_stripe == []  # a list never asks Stripe
    client.get(reverse("claims:claim", args=[claim.pk]))
    page = client.get(household_page).content.decode()
    assert "Paiement reçu, en cours de confirmation" in page and "reste à payer" not in page
    assert len(paying_stripe) == 1


# Every way a claim is cancelled, each as its person does it. Staff cancelling from the Wagtail admin (or a command,
# a task, any code calling the service) while the card was being confirmed freed the device at once and left the
# money to a refund the webhook would make minutes later, with nobody told: the rule is the service's, for all.
STAFF_WORDS = "attendez la réponse du paiement (quelques minutes) : s’il réussit, annulez alors la demande"


def _by_the_household_page(client, claim, people):
    client.force_login(people["household"])
    return client.post(reverse("claims:cancel", args=[claim.pk]), follow=True).content.decode()


def _by_the_api(client, claim, people):
    client.force_login(people["household"])
    answer = client.post(f"/api/v1/claims/{claim.pk}/cancel", content_type="application/json")
    assert answer.status_code == 409 and answer.json()["code"] == PAYMENT_BEING_CONFIRMED
    return answer.json()["detail"]


def _by_staff_in_the_admin(client, claim, people):
    client.force_login(people["staff"])
    return client.post(
        reverse("claims_claim:cancel", args=[claim.pk]), {"reason": "Appareil en panne"}, follow=True
    ).content.decode()


def _by_staff_through_the_service(client, claim, people):
    """What a command or a script an operator runs does: the service, with the operator as actor."""
    with pytest.raises(Conflict) as refused:
        reservations.cancel_claim(claim_id=claim.pk, actor=people["staff"], reason="Doublon")
    assert refused.value.code == PAYMENT_BEING_CONFIRMED
    return str(refused.value.message)


def _by_the_platform(client, claim, people):
    """A task acting by itself (the system user)."""
    with pytest.raises(Conflict) as refused:
        reservations.cancel_claim(claim_id=claim.pk, actor=system_user())
    return str(refused.value.message)


CANCEL_PATHS = {
    "household page": (_by_the_household_page, LATER),
    "api": (_by_the_api, "pourra être annulée dans quelques minutes"),
    "staff in the admin": (_by_staff_in_the_admin, STAFF_WORDS),
    "staff through the service": (_by_staff_through_the_service, STAFF_WORDS),
    "platform": (_by_the_platform, STAFF_WORDS),
}


@pytest.mark.parametrize("path", CANCEL_PATHS, ids=list(CANCEL_PATHS))
def test_no_path_cancels_a_claim_whose_card_is_being_confirmed(client, programme, paying_stripe, path):
    household = eligible()
    people = {"household": household, "staff": UserFactory(is_staff=True, is_superuser=True)}
    claim, payment = card_under_way(household)
    cancel, words = CANCEL_PATHS[path]

    told = cancel(client, claim, people)

    assert words in told.replace("\u202f", " ").lower()
    claim.refresh_from_db()
    payment.refresh_from_db()
    assert claim.status == ClaimStatus.RESERVED
    assert Device.objects.get(pk=claim.device_id).state == DeviceState.RESERVED
    assert payment.status == PaymentStatus.PENDING and not Refund.objects.exists()


def test_the_admins_confirmation_page_says_to_wait_instead_of_offering_to_cancel(
    client, programme, paying_stripe
):
    household = eligible()
    claim, _payment = card_under_way(household)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("claims_claim:cancel", args=[claim.pk])).content.decode()
    assert "Oui, annuler la demande" not in page
    assert STAFF_WORDS in page.lower()


def test_staff_cancel_once_the_payment_failed_or_stripe_did_not_answer(client, programme):
    """No Stripe saying « paid » (here none answers at all): staff cancel as before; a success that comes after is
    refunded by its own webhook."""
    household = eligible()
    claim, _payment = card_under_way(household)
    reservations.cancel_claim(claim_id=claim.pk, actor=UserFactory(is_staff=True))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CANCELLED
