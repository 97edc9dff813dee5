"""The questionnaire's answers kept on the household's account while it is under way (QuestionnaireDraft)."""

import datetime

from django.utils import timezone

from reuse.eligibility.models import QuestionnaireDraft

# Long enough to find the CAF attestation the quotient familial is written on, or to come back after a phone ran
# out of battery; short enough that answers about a household's income are not kept for a questionnaire it left.
DRAFT_DAYS = 7


def _oldest_kept() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=DRAFT_DAYS)


def load_draft(household, programme) -> QuestionnaireDraft | None:
    """The household's answers under way for this programme, or None; one left too long, or given under another
    programme (the household moved), is deleted instead."""
    draft = QuestionnaireDraft.objects.filter(household=household).first()
    if draft is None:
        return None
    if draft.updated < _oldest_kept() or draft.programme_id != programme.pk:
        draft.delete()
        return None
    return draft


def save_draft(household, programme, *, answers: dict, path: list[str]) -> None:
    QuestionnaireDraft.objects.update_or_create(
        household=household, defaults={"programme": programme, "answers": answers, "path": path}
    )


def forget_draft(household) -> None:
    QuestionnaireDraft.objects.filter(household=household).delete()


def purge_drafts() -> int:
    """Delete the answers of questionnaires left more than DRAFT_DAYS ago; how many."""
    deleted, _by_model = QuestionnaireDraft.objects.filter(updated__lt=_oldest_kept()).delete()
    return deleted
