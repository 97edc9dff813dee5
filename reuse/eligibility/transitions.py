"""The eligibility lifecycles: decisions and the documents that prove them (reuse/lifecycle.py)."""

from reuse.eligibility.enums import DecisionStatus, DocumentStatus
from reuse.eligibility.models import EligibilityDecision, EligibilityDocument
from reuse.lifecycle import Lifecycle

# A decision is created final (declared, verified by an API) or pending (a document to review); only a pending
# one moves, once, when its document is reviewed.
DECISION_TRANSITIONS = {
    DecisionStatus.PENDING: {DecisionStatus.ELIGIBLE, DecisionStatus.INELIGIBLE},
    DecisionStatus.ELIGIBLE: set(),
    DecisionStatus.INELIGIBLE: set(),
}
DECISIONS = Lifecycle(model=EligibilityDecision, states=DecisionStatus, table=DECISION_TRANSITIONS)

DOCUMENTS = Lifecycle(
    model=EligibilityDocument,
    states=DocumentStatus,
    table={
        DocumentStatus.WAITING: {DocumentStatus.APPROVED, DocumentStatus.REJECTED},
        DocumentStatus.APPROVED: set(),
        DocumentStatus.REJECTED: set(),
    },
)
