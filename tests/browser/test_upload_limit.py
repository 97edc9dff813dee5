"""A household on a cheap phone with a slow link chooses a 21 MB photo for its warranty request: the page says at
once, beside the field, that it is too large, and sends nothing; a lighter photo then goes through. Without
JavaScript the server refuses the same file with the same words (tests/aftercare/test_phone_photo.py)."""

import pytest
from django.urls import reverse

from reuse import uploads
from reuse.aftercare.models import Ticket
from tests.aftercare.helpers import handed_over
from tests.browser.steps import sign_in
from tests.factories.accounts import PASSWORD, HouseholdProfileFactory, UserFactory
from tests.factories.eligibility import eligible
from tests.factories.programmes import ProgrammeFactory
from tests.phone_photos import phone_photo

pytestmark = pytest.mark.django_db(transaction=True)

PROBLEM = "L’écran reste noir quand je l’allume."


def _too_heavy(folder):
    """A photo one byte over the limit, chosen from the disk as a phone's file picker gives it. A sparse file: the
    browser reads its size, not its bytes, and nothing crosses Playwright's pipe (a 20 MB buffer sent over it
    outlasted the 15 s timeout under CI's load)."""
    path = folder / "IMG_0001.jpg"
    with path.open("wb") as photo:
        photo.write(b"\xff\xd8\xff")
        photo.truncate(uploads.TICKET_PHOTO.max_bytes + 1)
    return path


def test_a_photo_over_the_limit_is_refused_before_it_is_sent(page, assert_accessible, tmp_path):
    ProgrammeFactory()
    household = eligible(HouseholdProfileFactory(user=UserFactory(email="salome@example.test")).user)
    claim, _technician = handed_over(household=household)
    sign_in(page, household.email, PASSWORD)
    page.goto(reverse("aftercare:open_for_claim", args=[claim.pk]))
    sent = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)

    page.get_by_label("Qu’est-ce qui ne va pas ?").fill(PROBLEM)
    photo = page.get_by_label("Une photo (facultatif)")
    photo.set_input_files(_too_heavy(tmp_path))

    alert = page.get_by_role("alert")
    message = str(uploads.TICKET_PHOTO.message)
    assert alert.inner_text() == message
    assert alert.get_attribute("id") in photo.get_attribute("aria-describedby").split()
    assert photo.get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    page.get_by_role("button", name="Envoyer à l’atelier").click()
    assert page.evaluate("document.activeElement.name") == "photo"
    assert sent == [] and not Ticket.objects.exists()

    photo.set_input_files({"name": "IMG_0002.jpg", "mimeType": "image/jpeg", "buffer": phone_photo("JPEG")})
    assert page.get_by_role("alert").count() == 0
    assert photo.get_attribute("aria-invalid") is None
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer à l’atelier").click()
    assert len(sent) == 1
    assert Ticket.objects.get(claim=claim).photo
