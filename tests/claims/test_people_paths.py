"""Each person meets the words and the ways out meant for them: the referrer claiming for someone, the household
changing its mind about paying, a closed claim that owes nothing."""

import pytest

from reuse.claims.enums import ClaimStatus, PaymentMethod, PaymentStatus
from reuse.claims.models import Claim, Payment, Refund
from reuse.claims.services import reservations
from reuse.errors import Forbidden
from tests.claims.helpers import chose_to_pay_at_the_workshop
from tests.factories.accounts import HouseholdProfileFactory
from tests.factories.eligibility import eligible, referrer_with_household
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


def test_a_referrer_claims_for_the_person_from_their_page_and_is_spoken_to_as_the_referrer(client, programme):
    referrer, person = referrer_with_household()
    device = DeviceFactory(listed=True, price_cents=2500)
    client.force_login(referrer)
    catalogue = client.get(f"/catalogue/?pour={person.pk}").content.decode()
    assert f"Vous choisissez un appareil pour {person.get_full_name()}" in catalogue
    assert f'href="/catalogue/{device.pk}/?pour={person.pk}"' in catalogue
    page = client.get(f"/catalogue/{device.pk}/?pour={person.pk}").content.decode()
    assert f'<option value="{person.pk}" selected>' in page
    response = client.post(f"/catalogue/{device.pk}/demander/", {"beneficiary": person.pk})
    claim = Claim.objects.get()
    assert claim.beneficiary == person and claim.claimed_by == referrer
    detail = client.get(response["Location"]).content.decode()
    assert f"Pour {person.get_full_name()}" in detail
    assert "Annuler cette demande" in detail and "Annuler ma demande" not in detail
    assert f'href="/eligibilite/prescripteur/foyers/{person.pk}/"' in detail
    household_page = client.get(f"/eligibilite/prescripteur/foyers/{person.pk}/").content.decode()
    assert f'href="/demandes/{claim.pk}/"' in household_page


def test_a_catalogue_for_someone_the_referrer_does_not_follow_is_the_plain_catalogue(client, programme):
    referrer, _person = referrer_with_household()
    stranger = eligible()
    client.force_login(referrer)
    page = client.get(f"/catalogue/?pour={stranger.pk}").content.decode()
    assert "Vous choisissez un appareil pour" not in page and stranger.get_full_name() not in page


def test_refusals_are_addressed_to_whoever_asked(programme):
    referrer, person = referrer_with_household()
    person.eligibility_decisions.all().delete()
    with pytest.raises(Forbidden) as exc:
        reservations.create_claim(actor=referrer, device_id=DeviceFactory(listed=True).pk, beneficiary=person)
    assert "Ce foyer n’a pas de décision d’éligibilité valide" in str(exc.value.message)
    assert "vérifiez d’abord votre éligibilité" not in str(exc.value.message)
    eligible(person, programme=programme)
    reservations.create_claim(actor=referrer, device_id=DeviceFactory(listed=True).pk, beneficiary=person)
    with pytest.raises(Forbidden) as exc:
        reservations.create_claim(actor=referrer, device_id=DeviceFactory(listed=True).pk, beneficiary=person)
    assert "ce foyer en a déjà réservé ou reçu 1" in str(exc.value.message)
    household = eligible()
    reservations.create_claim(actor=household, device_id=DeviceFactory(listed=True).pk)
    with pytest.raises(Forbidden) as exc:
        reservations.create_claim(actor=household, device_id=DeviceFactory(listed=True).pk)
    assert "vous en avez déjà réservé ou reçu 1" in str(exc.value.message)


def test_a_cap_refusal_on_the_device_page_is_not_a_form_to_correct(client, programme):
    household = eligible()
    reservations.create_claim(actor=household, device_id=DeviceFactory(listed=True).pk)
    client.force_login(household)
    other = DeviceFactory(listed=True)
    html = client.post(f"/catalogue/{other.pk}/demander/", {}).content.decode()
    assert "Plafond atteint" in html and "Corrigez les champs signalés" not in html


def test_after_choosing_to_pay_at_the_workshop_the_household_can_still_pay_by_card_or_voucher(
    client, programme
):
    claim = chose_to_pay_at_the_workshop(client, 2500)
    detail = client.get(f"/demandes/{claim.pk}/").content.decode()
    assert f'action="/demandes/{claim.pk}/payer/en-ligne/"' in detail
    response = client.post(f"/demandes/{claim.pk}/payer/en-ligne/")
    assert response["Location"] == f"/demandes/{claim.pk}/payer/"
    claim.refresh_from_db()
    assert not claim.pay_at_workshop
    pay = client.get(response["Location"]).content.decode()
    assert "Vous avez un chèque numérique ?" in pay and "Payer 25,00\u00a0€ par carte" in pay


def test_a_cancelled_and_refunded_claim_owes_nothing(client, api_client, programme):
    household = HouseholdProfileFactory().user
    eligible(household)
    claim = reservations.create_claim(
        actor=household, device_id=DeviceFactory(listed=True, price_cents=2500).pk
    )
    payment = Payment.objects.create(
        claim=claim,
        method=PaymentMethod.CARD,
        amount_cents=2500,
        status=PaymentStatus.REFUNDED,
        idempotency_key="test-refunded",
    )
    Refund.objects.create(payment=payment, amount_cents=2500, status="succeeded")
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.CANCELLED)
    client.force_login(household)
    detail = client.get(f"/demandes/{claim.pk}/").content.decode()
    assert "rien : la demande est close" in detail and "25,00\u00a0€" in detail.split("Remboursé")[1]
    assert "Reste à payer</dt><dd data-amount-due>25" not in detail
    assert "reste à payer" not in client.get("/demandes/").content.decode()
    assert api_client.get(f"/api/v1/claims/{claim.pk}").json()["amount_due_cents"] == 0
