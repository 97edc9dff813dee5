"""PostgreSQL: a household closes its account (or staff close it on its request) while something is written in its
name at the same moment: a claim from another tab, a claim by its referrer, an eligibility document, a warranty
ticket. Closing holds the household's row; the other side is forced to wait for it (threads with their own
connections) and must then find the account closed, not slip in after the closing's checks and erasures."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inventory.enums import DeviceState
from inventory.models import Device
from reuse.accounts import privacy
from reuse.aftercare.models import Ticket
from reuse.aftercare.services import tickets
from reuse.claims.models import Claim
from reuse.claims.services import reservations
from reuse.eligibility.models import EligibilityDocument
from reuse.eligibility.services import documents
from reuse.errors import DomainError
from tests.aftercare.helpers import handed_over
from tests.eligibility.test_documents import PDF
from tests.factories.accounts import household as new_household
from tests.factories.eligibility import eligible, referrer_with_household
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory
from tests.services.test_claims_expiry_race import _HoldFirstLock, _run_together

pytestmark = pytest.mark.django_db(transaction=True)


class _HoldTheAccount(_HoldFirstLock):
    """The closing runs until it holds the household's row, and keeps it until the other side waits on it."""

    TABLES = ('"accounts_user"',)


def _closing_then(household, write):
    hold = _HoldTheAccount()
    results, errors = _run_together(
        {
            "closing": hold.first(lambda: privacy.close_account_on_request(user_id=household.pk)),
            "write": hold.then(write),
        }
    )
    assert hold.peer_waited, "the write never waited on the closing"
    assert "closing" not in errors, errors
    assert isinstance(errors.get("write"), DomainError), (results, errors)
    assert errors["write"].code == "account_closed"
    return results


@pytest.mark.parametrize("who", ["household", "referrer"])
def test_a_claim_sent_while_the_account_closes_finds_it_closed(who):
    """The household closed its account in one tab and claimed in another (or its referrer claimed for it): the
    claim waited for the closing, then reserved a device for an anonymous, closed account."""
    ProgrammeFactory()
    referrer, household = referrer_with_household(with_email=True)
    device = DeviceFactory(listed=True)
    if who == "household":
        write = lambda: reservations.create_claim(actor=household, device_id=device.pk)  # noqa: E731
    else:
        write = lambda: reservations.create_claim(  # noqa: E731
            actor=referrer, device_id=device.pk, beneficiary=household
        )

    _closing_then(household, write)

    assert not Claim.objects.filter(beneficiary=household).exists()
    assert Device.objects.get(pk=device.pk).state == DeviceState.LISTED


def test_a_warranty_ticket_sent_while_the_account_closes_finds_it_closed():
    """The ticket's words and photo were written after the closing erased those of the household's tickets."""
    ProgrammeFactory()
    claim, _technician = handed_over(household=eligible())
    household = claim.beneficiary

    _closing_then(
        household,
        lambda: tickets.open_ticket(actor=household, claim_id=claim.pk, description="L’écran reste noir."),
    )

    assert not Ticket.objects.filter(claim=claim).exists()


def test_an_eligibility_document_sent_while_the_account_closes_finds_it_closed():
    """The proof's file was stored after the closing had erased the household's documents."""
    ProgrammeFactory()
    household = new_household()

    _closing_then(
        household,
        lambda: documents.upload_document(
            household=household,
            uploaded_by=household,
            criteria=["rsa"],
            upload=SimpleUploadedFile("caf.pdf", PDF),
        ),
    )

    assert not EligibilityDocument.objects.filter(decision__beneficiary=household).exists()
