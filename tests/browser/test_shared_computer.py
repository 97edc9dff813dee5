"""A household on a shared computer (France Services, a library): it signs in, reads its claim with its handover
code and opens its handover receipt, signs out and leaves. The next person presses Back, or types the addresses
again: neither the code nor the receipt comes back from the browser's history or cache (pages and files answered
with `Cache-Control: private, no-store`, RFC 9111 §5.2.2.5, which Chromium keeps out of its back/forward cache
and its HTTP cache), only the sign-in page.
"""

import pytest

from reuse.claims.services import reservations
from tests.aftercare.helpers import handed_over
from tests.browser.steps import phone_page, sign_in
from tests.factories.accounts import household
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "un-mot-de-passe-long"


def test_after_signing_out_back_shows_neither_the_code_nor_the_receipt(browser, live_server):
    ProgrammeFactory()
    person = eligible(household(postcode="93200", email="ordinateur-partage@example.test"))
    person.set_password(PASSWORD)
    person.save()
    claim = reservations.create_claim(
        actor=person, device_id=DeviceFactory(listed=True, free=True, type="laptop").pk
    )
    code = claim.handover_code_display
    handed, _technician = handed_over(household=person, price_cents=0, type="desktop")
    page = phone_page(browser, live_server.url)
    sign_in(page, person.email, PASSWORD)

    page.goto(f"/demandes/{claim.pk}/")
    assert code in page.content()
    receipt = page.request.get(f"{live_server.url}/demandes/{handed.pk}/recu.pdf")
    assert receipt.ok and "no-store" in receipt.headers["cache-control"]
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()

    page.go_back()
    page.wait_for_load_state()
    assert code not in page.content()
    assert "/compte/connexion/" in page.url
    for address in (f"/demandes/{claim.pk}/", f"/demandes/{handed.pk}/recu.pdf"):
        again = page.goto(address)
        assert "/compte/connexion/" in page.url, address
        assert not again.from_service_worker and code not in page.content()
