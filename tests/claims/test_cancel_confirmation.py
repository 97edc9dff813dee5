"""Cancelling a claim asks first, on its own page that works without JavaScript: one tap on a phone must not
give a reserved device away."""

import re

import pytest

from inventory.enums import DeviceState
from reuse.claims.enums import ClaimStatus
from reuse.claims.services import reservations
from tests.factories.eligibility import eligible, referrer_with_household
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


def test_the_claim_page_leads_to_a_question_before_anything_is_cancelled(client, programme):
    household = eligible()
    device = DeviceFactory(listed=True)
    claim = reservations.create_claim(actor=household, device_id=device.pk)
    client.force_login(household)
    detail = client.get(f"/demandes/{claim.pk}/").content.decode()
    # No form on the claim page posts the cancellation: the button is a link to the question.
    assert not re.search(rf'<form[^>]*action="/demandes/{claim.pk}/annuler/"', detail)
    assert f'href="/demandes/{claim.pk}/annuler/"' in detail and "Annuler ma demande" in detail

    question = client.get(f"/demandes/{claim.pk}/annuler/")
    assert question.status_code == 200
    html = question.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESERVED
    assert "<h1>Annuler votre demande\u00a0?</h1>" in html
    assert "il est proposé à quelqu’un d’autre. Vous ne pourrez pas revenir en arrière." in html
    assert f'<form method="post" action="/demandes/{claim.pk}/annuler/" novalidate>' in html
    assert '<button type="submit" class="button-danger">Oui, annuler ma demande</button>' in html
    assert f'href="/demandes/{claim.pk}/">Non, garder ma demande</a>' in html

    response = client.post(f"/demandes/{claim.pk}/annuler/")
    assert response["Location"] == f"/demandes/{claim.pk}/"
    claim.refresh_from_db()
    device.refresh_from_db()
    assert claim.status == ClaimStatus.CANCELLED and device.state == DeviceState.LISTED
    assert "La demande est annulée." in client.get(response["Location"]).content.decode()


def test_a_referrer_is_asked_about_the_person_and_a_closed_claim_is_not_asked_again(client, programme):
    referrer, person = referrer_with_household()
    claim = reservations.create_claim(
        actor=referrer, device_id=DeviceFactory(listed=True).pk, beneficiary=person
    )
    client.force_login(referrer)
    html = client.get(f"/demandes/{claim.pk}/annuler/").content.decode()
    assert "<h1>Annuler cette demande\u00a0?</h1>" in html and f"pour {person.get_full_name()}" in html
    assert "Oui, annuler cette demande" in html and "ma demande" not in html
    client.post(f"/demandes/{claim.pk}/annuler/")
    response = client.get(f"/demandes/{claim.pk}/annuler/", follow=True)
    assert response.redirect_chain == [(f"/demandes/{claim.pk}/", 302)]
    assert "Cette demande ne peut plus être annulée." in response.content.decode()
