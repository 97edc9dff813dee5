from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from reuse.accounts.models import User
from reuse.accounts.signals import account_closing, personal_data_requested
from reuse.eligibility.enums import JournalAction
from reuse.eligibility.middleware import CODE_SESSION_KEY
from reuse.eligibility.models import (
    DocumentAccess,
    DuplicateFlag,
    EligibilityDocument,
    HouseholdFingerprint,
    Mandate,
    MandateJournalEntry,
    QuestionnaireDraft,
    SignInCode,
)
from reuse.eligibility.services.documents import erase_files_of
from reuse.policy.eligibility import visible_decisions, visible_drafts, visible_journal


@receiver(user_logged_in)
def forget_sign_in_code_on_login(sender, request, user, **kwargs):
    """Any sign-in starts a session of its own: only the code sign-in view marks it as opened with a code."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(CODE_SESSION_KEY, None)


def _when(value):
    return value.isoformat() if value else None


@receiver(personal_data_requested, sender=User)
def eligibility_data(sender, user, **kwargs):
    # In a session opened with a printed code, what its mandate lets it read (visible_decisions), no more.
    decisions = visible_decisions(user).filter(beneficiary=user).select_related("programme")
    documents = EligibilityDocument.objects.filter(decision__in=decisions)
    mandates = Mandate.objects.filter(household=user).select_related("referrer_organisation")
    draft = visible_drafts(user).first()
    journal = visible_journal(user).filter(household=user).select_related("organisation")
    codes = SignInCode.objects.filter(user=user).select_related("mandate__referrer_organisation")
    return "eligibility", {
        "questionnaire_under_way": {"answers": draft.answers, "updated": _when(draft.updated)}
        if draft
        else None,
        "decisions": [
            {
                "programme": decision.programme.name,
                "status": decision.status,
                "criteria": decision.criteria,
                "evidence": decision.evidence,
                "quotient_familial_eur": decision.quotient_familial_eur,
                "created": _when(decision.created),
                "expires_at": _when(decision.expires_at),
            }
            for decision in decisions
        ],
        "documents": [
            {
                "sent": _when(document.created),
                "status": document.status,
                "content_type": document.content_type,
                "file_deleted": _when(document.deleted_at),
            }
            for document in documents
        ],
        # Each time staff opened one of the documents to check it (art. 15: who received the data, and when).
        "document_reads": [
            {"document_sent": _when(access.document.created), "read": _when(access.created)}
            for access in DocumentAccess.objects.filter(document__in=documents).select_related("document")
        ],
        "mandates": [
            {
                "organisation": mandate.referrer_organisation.name,
                "scopes": mandate.scopes,
                "signed_name": mandate.signed_name,
                "starts_at": _when(mandate.starts_at),
                "expires_at": _when(mandate.expires_at),
                "revoked_at": _when(mandate.revoked_at),
            }
            for mandate in mandates
        ],
        # What was done under the mandates, in the reader's language (journal_facts), as the household's space
        # shows it: in a code session, what its mandate's scopes cover (visible_journal).
        "mandate_journal": [
            {
                "when": _when(entry.created),
                "organisation": entry.organisation.name,
                "action": entry.get_action_display(),
                "detail": entry.detail_text,
            }
            for entry in journal
        ],
        # Printed codes: only a keyed hash of each is stored, so the copy says when, not what.
        "sign_in_codes": [
            {
                "printed_by": code.mandate.referrer_organisation.name,
                "created": _when(code.created),
                "expires_at": _when(code.expires_at),
                "revoked_at": _when(code.revoked_at),
                "last_used_at": _when(code.last_used_at),
            }
            for code in codes
        ],
    }


@receiver(account_closing, sender=User)
def erase_eligibility_data(sender, user, **kwargs):
    """Documents' files go at once; the answers of a questionnaire under way, the fingerprint and duplicate flags (made of name and birth date) go; running
    mandates end (journalled: the organisation reads why), their codes with them; signed names are blanked."""
    now = timezone.now()
    erase_files_of(user)
    HouseholdFingerprint.objects.filter(user=user).delete()
    QuestionnaireDraft.objects.filter(household=user).delete()
    DuplicateFlag.objects.filter(first=user).delete()
    DuplicateFlag.objects.filter(second=user).delete()
    SignInCode.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    for mandate in Mandate.objects.active(now).filter(household=user):
        Mandate.objects.filter(pk=mandate.pk).update(revoked_at=now)
        MandateJournalEntry.log(mandate=mandate, actor=user, action=JournalAction.MANDATE_REVOKED)
    Mandate.objects.filter(household=user, revoked_at__isnull=True, consented_at__isnull=True).update(
        revoked_at=now
    )
    Mandate.objects.filter(household=user).update(signed_name="")
