"""Eligibility models, one module per capability; Django and the rest of the project import them from here."""

from reuse.eligibility.models.decisions import EligibilityDecision
from reuse.eligibility.models.documents import (
    DocumentAccess,
    EligibilityDocument,
    document_path,
    private_storage,
)
from reuse.eligibility.models.drafts import QuestionnaireDraft
from reuse.eligibility.models.duplicates import DuplicateFlag, HouseholdFingerprint
from reuse.eligibility.models.mandates import (
    Mandate,
    MandateJournalEntry,
    SignInCode,
)
from reuse.eligibility.models.organisations import AssociationProfile, ReferrerAccreditation

__all__ = [
    "AssociationProfile",
    "DocumentAccess",
    "DuplicateFlag",
    "EligibilityDecision",
    "EligibilityDocument",
    "HouseholdFingerprint",
    "Mandate",
    "MandateJournalEntry",
    "QuestionnaireDraft",
    "ReferrerAccreditation",
    "SignInCode",
    "document_path",
    "private_storage",
]
