"""PostgreSQL: two reviewers open the same proof from the queue and decide at the same moment, one accepting and
one refusing. Each thread has its own connection, as each request of a web process has. One decision is kept;
the other reviewer is told the proof was already reviewed, and the household gets one answer."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reuse.accounts.models import Notification
from reuse.eligibility.enums import DecisionStatus, DocumentStatus
from reuse.eligibility.models import EligibilityDocument
from reuse.eligibility.services import documents
from tests.eligibility.test_documents import PDF
from tests.factories.accounts import UserFactory, household
from tests.factories.programmes import ProgrammeFactory
from tests.services.test_claims_expiry_race import _HoldFirstLock, _run_together

pytestmark = pytest.mark.django_db(transaction=True)


class _HoldFirstProof(_HoldFirstLock):
    """The first reviewer's decision runs until it holds the proof's row, and keeps it until the other waits."""

    TABLES = ('"eligibility_eligibilitydocument"',)


@pytest.mark.parametrize("first_approves", [True, False])
def test_two_reviewers_deciding_one_proof_at_once_one_wins_the_other_is_told(first_approves):
    ProgrammeFactory(departments=["93"], accepted_evidence=["document"], criteria=["rsa"])
    person = household(email="foyer@example.org", postcode="93200")
    decision = documents.upload_document(
        household=person, uploaded_by=person, criteria=["rsa"], upload=SimpleUploadedFile("caf.pdf", PDF)
    )
    proof = decision.documents.get()
    anne, bruno = UserFactory(is_staff=True), UserFactory(is_staff=True)

    def decide(reviewer, approve):
        return lambda: documents.review_document(
            document=proof, reviewer=reviewer, approve=approve, refusal="" if approve else "illegible"
        )

    hold = _HoldFirstProof()
    results, errors = _run_together(
        {
            "first": hold.first(decide(anne, first_approves)),
            "second": hold.then(decide(bruno, not first_approves)),
        }
    )

    assert hold.peer_waited, "the second reviewer never waited on the proof"
    assert list(results) == ["first"]
    assert getattr(errors["second"], "code", errors["second"]) == "already_reviewed"
    proof = EligibilityDocument.objects.get(pk=proof.pk)
    assert proof.reviewed_by == anne
    assert proof.status == (DocumentStatus.APPROVED if first_approves else DocumentStatus.REJECTED)
    assert proof.decision.status == (DecisionStatus.ELIGIBLE if first_approves else DecisionStatus.INELIGIBLE)
    assert Notification.objects.filter(recipient=person, template="eligibility_decided").count() == 1
