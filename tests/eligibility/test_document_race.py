"""The document step sent twice at the same moment (a phone resending while the first send still runs), on SQLite
in a file as `make demo` runs it: both requests read the same questionnaire state, each thread with its own
connection as each request of a threaded server has. One proof is kept, and both get the same decision."""

from django.core.files.uploadedfile import SimpleUploadedFile

from reuse.eligibility.models import EligibilityDecision, EligibilityDocument
from reuse.eligibility.services import documents
from tests.eligibility.test_documents import PDF
from tests.factories.accounts import household
from tests.sqlite_race import SQLITE_RACE, file_database, race  # noqa: F401 (the fixture)

pytestmark = SQLITE_RACE


def test_two_sends_of_one_proof_at_once_keep_one_document(programme, file_database):  # noqa: F811
    person = household()
    file_database()
    outcomes = race(
        2,
        lambda _index: (
            documents.upload_document(
                household=person,
                uploaded_by=person,
                criteria=["rsa"],
                upload=SimpleUploadedFile("caf.pdf", PDF),
            ).pk
        ),
    )
    assert [o for o in outcomes if isinstance(o, str)] == []
    assert outcomes[0] == outcomes[1]
    assert EligibilityDocument.objects.count() == 1
    assert EligibilityDecision.objects.filter(beneficiary=person).count() == 1
