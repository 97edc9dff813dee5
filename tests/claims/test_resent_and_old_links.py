"""A phone that sends the claim twice, and an old link to a claim that has moved on since: the household is
told where its claim stands, never that someone else took the device nor a bare 404."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reuse.claims.models import Claim
from reuse.claims.services import reservations
from tests.documents import told
from tests.factories.accounts import household
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    ProgrammeFactory()
    person = eligible(household())
    client.force_login(person)
    return person


def said(response) -> str:
    return " ".join(told(response))


def test_a_claim_sent_twice_reserves_once_and_leads_to_the_claim(client, signed_in):
    device = DeviceFactory(listed=True, price_cents=0)
    first = client.post(f"/catalogue/{device.pk}/demander/", {})
    again = client.post(f"/catalogue/{device.pk}/demander/", {})
    assert Claim.objects.count() == 1
    assert again.status_code == 302 and again.url == first.url
    assert "déjà" in said(again)


def test_the_code_link_of_a_cancelled_claim_says_what_happened(client, signed_in):
    claim = reservations.create_claim(actor=signed_in, device_id=DeviceFactory(listed=True, price_cents=0).pk)
    reservations.cancel_claim(claim_id=claim.pk, actor=signed_in, reason="test")
    response = client.get(f"/demandes/{claim.pk}/code/")
    assert response.status_code == 302 and response.url == f"/demandes/{claim.pk}/"
    assert "n’est pas disponible" in said(response)
    assert 'data-claim-status="cancelled"' in client.get(response.url).content.decode()


def test_the_receipt_link_of_a_claim_not_handed_over_leads_to_the_claim(client, signed_in):
    claim = reservations.create_claim(actor=signed_in, device_id=DeviceFactory(listed=True, price_cents=0).pk)
    response = client.get(f"/demandes/{claim.pk}/recu.pdf")
    assert response.status_code == 302 and response.url == f"/demandes/{claim.pk}/"


def test_someone_elses_claim_code_stays_a_404(client, signed_in):
    other = eligible(household())
    claim = reservations.create_claim(actor=other, device_id=DeviceFactory(listed=True, price_cents=0).pk)
    assert client.get(f"/demandes/{claim.pk}/code/").status_code == 404
    assert client.get(f"/demandes/{claim.pk}/recu.pdf").status_code == 404


def test_cancel_sent_twice_says_the_claim_is_cancelled_not_that_it_cannot_be(client, signed_in):
    # A double tap on « Annuler la demande » on a slow link: the browser shows the second answer only.
    claim = reservations.create_claim(actor=signed_in, device_id=DeviceFactory(listed=True, price_cents=0).pk)
    client.post(f"/demandes/{claim.pk}/annuler/")
    client.get(f"/demandes/{claim.pk}/")  # the first answer's message, read
    again = client.post(f"/demandes/{claim.pk}/annuler/")
    assert again.status_code == 302 and again.url == f"/demandes/{claim.pk}/"
    assert said(again) == "La demande est annulée."


def test_cancelling_an_expired_claim_still_says_it_cannot_be(client, signed_in):
    claim = reservations.create_claim(
        actor=signed_in, device_id=DeviceFactory(listed=True, price_cents=4500).pk
    )
    Claim.objects.filter(pk=claim.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert reservations.expire_claim(claim_id=claim.pk)
    response = client.post(f"/demandes/{claim.pk}/annuler/")
    assert said(response) == "Cette demande ne peut plus être annulée."


def test_the_pay_link_of_a_cancelled_claim_says_what_happened(client, signed_in):
    # The « Payer » page kept in the history, opened after the claim was cancelled (or expired).
    claim = reservations.create_claim(
        actor=signed_in, device_id=DeviceFactory(listed=True, price_cents=4500).pk
    )
    reservations.cancel_claim(claim_id=claim.pk, actor=signed_in, reason="test")
    response = client.get(f"/demandes/{claim.pk}/payer/")
    assert response.status_code == 302 and response.url == f"/demandes/{claim.pk}/"
    assert "n’est pas disponible" in said(response)
