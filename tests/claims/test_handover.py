"""The handover counter (issue 12, point 3): the code is the claimant's alone; wrong codes lock the claim after 5
(staff alerted, staff unlock) and are rate-limited per workshop."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone

from reuse.accounts.models import Notification
from reuse.claims import handover as counter
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim
from reuse.errors import Forbidden, IllegalTransition, InvalidInput
from reuse.money import format_euros
from tests.claims.helpers import chose_to_pay_at_the_workshop, confirmed_claim
from tests.factories.accounts import UserFactory, member_of
from tests.factories.eligibility import referrer_with_household

pytestmark = pytest.mark.django_db

COUNTER = "/demandes/atelier/remise/"


def wrong(claim) -> str:
    return "AAA-AAA" if claim.handover_code != "AAAAAA" else "CCC-CCC"


def test_the_workshop_never_sees_the_handover_code(client, api_client, programme):
    referrer, household = referrer_with_household()
    claim = confirmed_claim(household=household)
    code = claim.handover_code_display
    technician = member_of(claim.device.workshop)
    staff = UserFactory(is_staff=True, is_superuser=True)
    seen = {}
    for name, person in [
        ("household", household),
        ("referrer", referrer),
        ("workshop", technician),
        ("staff", staff),
    ]:
        client.force_login(person)
        response = api_client.get(f"/api/v1/claims/{claim.pk}")
        assert response.status_code == 200, name
        seen[name] = response.json()["handover_code"]
    assert seen == {"household": code, "referrer": code, "workshop": None, "staff": None}
    # Nor on the workshop's pages, nor in the admin.
    client.force_login(technician)
    assert code not in client.get(COUNTER).content.decode()
    assert client.get(reverse("claims:claim_code", args=[claim.pk])).status_code == 404
    client.force_login(staff)
    for url in (reverse("claims_claim:index"), reverse("claims_claim:inspect", args=[claim.pk])):
        page = client.get(url)
        assert (
            page.status_code == 200
            and code not in page.content.decode()
            and claim.handover_code not in page.content.decode()
        )
    assert code not in client.get(reverse("claims_claim:index"), {"q": claim.handover_code}).content.decode()


def test_a_referrer_whose_mandate_no_longer_covers_claims_loses_the_code(client, api_client, programme):
    referrer, household = referrer_with_household()
    claim = confirmed_claim(household=household)
    household.mandates.update(scopes=["eligibility"])
    client.force_login(referrer)
    assert api_client.get(f"/api/v1/claims/{claim.pk}").status_code == 404


def test_five_wrong_codes_lock_the_claim_alert_staff_and_staff_unlock_it(client, api_client, programme):
    claim = confirmed_claim()
    technician = member_of(claim.device.workshop)
    coordinator = UserFactory(is_staff=True, is_superuser=True, email="hub@example.test")
    client.force_login(technician)
    for attempt in range(1, counter.HANDOVER_MAX_FAILURES):
        response = client.post(COUNTER, {"claim": claim.pk, "code": wrong(claim)})
        left = counter.HANDOVER_MAX_FAILURES - attempt
        assert response.status_code == 422
        assert f"Encore {left} essai" in response.content.decode()
    response = client.post(COUNTER, {"claim": claim.pk, "code": wrong(claim)})
    assert response.status_code == 403
    assert f"La demande n° {claim.pk} est bloquée" in response.content.decode()
    claim.refresh_from_db()
    assert claim.handover_locked_at is not None and claim.handover_failures == 5
    # Even the right code is refused now, on the page and in the API.
    assert client.post(COUNTER, {"claim": claim.pk, "code": claim.handover_code}).status_code == 403
    refused = api_client.post(f"/api/v1/claims/{claim.pk}/handover", {"code": claim.handover_code})
    assert refused.status_code == 403 and refused.json()["code"] == "handover_locked"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED
    # Staff are told by email, and see it in the admin (home panel, filtered listing).
    alert = Notification.objects.get(template="handover_locked")
    assert alert.to_email == "hub@example.test" and f"n° {claim.pk}" in alert.subject
    client.force_login(coordinator)
    assert f"n° {claim.pk}" in client.get(reverse("wagtailadmin_home")).content.decode()
    listing = client.get(reverse("claims_claim:index"), {"handover_locked": "true"}).content.decode()
    assert reverse("claims_claim:unlock_handover", args=[claim.pk]) in listing
    # Staff unlock it; the counter may try again and hands the device over.
    unlock = reverse("claims_claim:unlock_handover", args=[claim.pk])
    assert client.get(unlock).status_code == 200
    assert client.post(unlock).status_code == 302
    claim.refresh_from_db()
    assert claim.handover_locked_at is None and claim.handover_failures == 0
    assert claim.handover_unlocked_by == coordinator
    client.force_login(technician)
    done = client.post(reverse("claims:handover_confirm"), {"claim": claim.pk, "code": claim.handover_code})
    assert done.status_code == 200
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.HANDED_OVER


def test_only_staff_unlock(client, programme):
    claim = confirmed_claim()
    Claim.objects.filter(pk=claim.pk).update(handover_locked_at=timezone.now(), handover_failures=5)
    unlock = reverse("claims_claim:unlock_handover", args=[claim.pk])
    for person in (member_of(claim.device.workshop), claim.beneficiary):
        client.force_login(person)
        response = client.post(unlock)
        assert response.status_code == 403 or response["Location"].startswith(reverse("wagtailadmin_login"))
    claim.refresh_from_db()
    assert claim.handover_locked_at is not None


def test_the_api_counts_wrong_codes_the_same_way(client, api_client, programme):
    claim = confirmed_claim()
    client.force_login(member_of(claim.device.workshop))
    for _ in range(counter.HANDOVER_MAX_FAILURES - 1):
        response = api_client.post(f"/api/v1/claims/{claim.pk}/handover", {"code": wrong(claim)})
        assert response.status_code == 422 and response.json()["code"] == "bad_code"
    response = api_client.post(f"/api/v1/claims/{claim.pk}/handover", {"code": wrong(claim)})
    assert response.status_code == 403 and response.json()["code"] == "handover_locked"


def test_the_counter_is_rate_limited_per_workshop(client, programme):
    first = confirmed_claim()
    workshop = first.device.workshop
    claims = [first] + [confirmed_claim(workshop=workshop) for _ in range(3)]
    technician = member_of(workshop)
    elsewhere = confirmed_claim()
    # Ten wrong codes spread over several claims (none reaches its own lock)...
    for attempt in range(counter.HANDOVER_WORKSHOP_MAX_FAILURES):
        with pytest.raises(InvalidInput):
            counter.check_code(actor=technician, claim_id=claims[attempt % 4].pk, code=wrong(claims[0]))
    # ...close this workshop's counter for 15 minutes, even for a right code...
    with pytest.raises(Forbidden) as refused:
        counter.check_code(actor=technician, claim_id=claims[3].pk, code=claims[3].handover_code)
    assert refused.value.code == "rate_limited"
    client.force_login(technician)
    page = client.post(COUNTER, {"claim": claims[3].pk, "code": claims[3].handover_code})
    assert page.status_code == 403 and "Trop de codes erronés à ce comptoir" in page.content.decode()
    # ...but not another workshop's.
    other = member_of(elsewhere.device.workshop)
    assert counter.check_code(actor=other, claim_id=elsewhere.pk, code=elsewhere.handover_code) == elsewhere
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        assert counter.check_code(actor=technician, claim_id=claims[3].pk, code=claims[3].handover_code)
    assert not Claim.objects.handover_locked().exists()


def test_a_claim_to_pay_at_the_workshop_is_handed_over_only_until_its_hold_ends(client, programme):
    """The hold is the time to come to the counter: the claim page, the printed code and the email give its end,
    and once it has passed the counter refuses the claim (with the date) even before the sweep frees the device,
    instead of taking the money for a device promised to the next household."""
    claim = chose_to_pay_at_the_workshop(client, 1500)
    household = claim.beneficiary
    claim.refresh_from_db()
    until = date_filter(timezone.localtime(claim.expires_at), "l j F Y à H:i")
    deadline = f"À payer à l’atelier : {format_euros(1500)}, au plus tard le {until}."
    assert deadline in client.get(f"/demandes/{claim.pk}/").content.decode()
    assert deadline in client.get(reverse("claims:claim_code", args=[claim.pk])).content.decode()
    assert any(deadline in message.body for message in mail.outbox if household.email in message.to)
    technician = member_of(claim.device.workshop)
    with time_machine.travel(claim.expires_at + timedelta(minutes=5), tick=False):
        client.force_login(technician)
        assert claim not in counter.awaiting_handover(technician)
        refused = client.post(COUNTER, {"claim": claim.pk, "code": claim.handover_code})
        assert refused.status_code == 409
        ended = date_filter(timezone.localtime(claim.expires_at), "j F Y à H:i")
        assert f"Le délai de réservation de la demande n° {claim.pk} a pris fin le {ended}" in (
            refused.content.decode()
        )
        with pytest.raises(IllegalTransition, match="a pris fin"):
            counter.hand_over(
                actor=technician, claim_id=claim.pk, code=claim.handover_code, collected_cents=1500
            )
        client.force_login(household)
        page = client.get(f"/demandes/{claim.pk}/").content.decode()
        assert claim.handover_code_display not in page and "data-hold-ended" in page
        # The code's own page (an old link) no longer shows it: it leads to the claim's page, which says why.
        code_page = client.get(reverse("claims:claim_code", args=[claim.pk]))
        assert code_page.status_code == 302 and code_page.url == f"/demandes/{claim.pk}/"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESERVED and not claim.payments.exists()


@pytest.mark.parametrize("typed", ["ÉTÉ-123", "٣٤٥٦٧٨", "A²B³CD"])
def test_a_code_typed_with_letters_outside_the_alphabet_is_a_wrong_code(client, api_client, programme, typed):
    """A phone keyboard gives accents, superscripts or Arabic digits: a wrong code like any other, never a 500."""
    claim = confirmed_claim()
    client.force_login(member_of(claim.device.workshop))

    response = api_client.post(f"/api/v1/claims/{claim.pk}/handover", {"code": typed})

    assert response.status_code == 422 and response.json()["code"] == "bad_code"
