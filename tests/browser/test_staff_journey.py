"""Staff, in the Wagtail admin: approve a workshop that registered, then review a household's document.

The organisation's and the household's emails go out through the real worker; axe-core checks every admin page
visited (Wagtail's own pages included).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reuse.accounts.enums import OrganisationStatus
from reuse.accounts.models import Organisation
from reuse.accounts.services import create_household
from reuse.eligibility.models import DocumentAccess
from reuse.eligibility.services import documents
from tests.browser.steps import approve_pending_organisation, sign_in
from tests.documents import PDF
from tests.factories.accounts import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_approve_a_workshop_and_review_a_document_in_the_admin(
    page, assert_accessible, sent_by_worker, demo
):
    pending = OrganisationFactory(
        workshop=True,
        pending=True,
        name="Répar’Tout Argenteuil",
        department="95",
        email="contact@repartout.test",
    )
    person = create_household(
        first_name="Hugo", last_name="Blanc", postcode="93200", email="hugo@example.test"
    )
    decision = documents.upload_document(
        household=person, uploaded_by=person, criteria=["rsa"], upload=SimpleUploadedFile("caf.pdf", PDF)
    )
    document = decision.documents.get()

    sign_in(page, "hub@example.org")
    page.wait_for_url("**/admin/")
    assert "1 justificatif attend d’être examiné." in page.content()
    assert_accessible(page)

    # The workshop that registered waits in the organisations listing, filtered on "pending".
    approve_pending_organisation(page, "Répar’Tout Argenteuil", check=assert_accessible)
    assert Organisation.objects.get(pk=pending.pk).status == OrganisationStatus.APPROVED
    sent_by_worker("organisation_approved", "contact@repartout.test")

    # Then the household's document: open the queue, look at the file (access logged), accept it.
    page.goto("/admin/")
    page.get_by_role("link", name="Ouvrir la file d’examen").click()
    assert_accessible(page)
    page.get_by_role("link", name=f"Justificatif n° {document.pk}").click()
    page.get_by_role("button", name="Accepter").wait_for()
    assert_accessible(page)
    viewer_url = page.get_by_role("link", name="Voir le justificatif").get_attribute("href")
    response = page.request.get(viewer_url)
    assert response.status == 200 and response.body() == PDF
    assert DocumentAccess.objects.filter(document=document, viewer__email="hub@example.org").count() == 1
    page.get_by_role("button", name="Accepter").click()
    page.get_by_text("Justificatif accepté.").wait_for()
    assert_accessible(page)
    decision.refresh_from_db()
    assert decision.status == "eligible" and decision.reviewed_by.email == "hub@example.org"
    sent_by_worker("eligibility_decided", "hugo@example.test")
