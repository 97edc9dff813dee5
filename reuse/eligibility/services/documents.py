"""Proofs a household (or its referrer) uploads for staff to review, and their purge after the retention period."""

import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse.accounts.models import User
from reuse.eligibility.documents import check_upload
from reuse.eligibility.enums import (
    DecisionStatus,
    DocumentStatus,
    Evidence,
    MandateScope,
    RefusalReason,
)
from reuse.eligibility.models import (
    EligibilityDecision,
    EligibilityDocument,
)
from reuse.eligibility.reasons import is_pending_reason, reason
from reuse.eligibility.services.decisions import (
    clean_criteria,
    clean_priorities,
    decide_for_household,
    evaluate,
    expiry_for,
    lock_beneficiary,
    notify_decision,
    replace_previous,
)
from reuse.eligibility.transitions import DECISIONS, DOCUMENTS
from reuse.errors import Conflict, InvalidInput
from reuse.fields import visible_text
from reuse.images import carries_metadata
from reuse.policy.mandates import acting_mandate


@transaction.atomic
def upload_document(
    *, household: User, uploaded_by: User, criteria, upload, quotient_familial_eur=None
) -> EligibilityDecision:
    """A proof for staff to review. An answer the programme cannot accept is refused before any file is kept."""
    acting_mandate(actor=uploaded_by, household=household, scope=MandateScope.ELIGIBILITY)
    checked = check_upload(upload)
    # Two sends of one answer at once (a phone resending, a double tap): the second waits for the first here,
    # then finds its proof and gets its decision, instead of a second copy for staff (or, with no criteria, an
    # « ineligible » decision replacing the pending one).
    lock_beneficiary(household)
    already = _waiting_with(household, checked.sha256, criteria, quotient_familial_eur)
    if already is not None:
        return already
    open_pending = (
        EligibilityDecision.objects.filter(
            beneficiary=household,
            status=DecisionStatus.PENDING,
            replaced_by__isnull=True,
            documents__isnull=True,
        )
        .order_by("-created")
        .first()
    )
    if open_pending is not None and open_pending.evidence == Evidence.DOCUMENT and not criteria:
        decision = open_pending
    else:
        decision = decide_for_household(
            household=household,
            author=uploaded_by,
            criteria=criteria,
            evidence=Evidence.DOCUMENT,
            quotient_familial_eur=quotient_familial_eur,
        )
    if decision.status != DecisionStatus.PENDING:
        return decision
    document = EligibilityDocument(
        decision=decision,
        token=secrets.token_hex(16),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=uploaded_by,
    )
    # What the check gave back is kept, not the upload: a photo re-encoded without its metadata (GPS, phone).
    document.file.save(document.token, ContentFile(checked.content), save=False)
    document.save()
    return decision


def _waiting_with(
    household: User, sha256: str, criteria, quotient_familial_eur
) -> EligibilityDecision | None:
    """The household's open decision whose proof, still waiting for review, is this very file sent for the same
    answers (what the programme retains of them: a decision keeps no more); None when this is a new answer."""
    waiting = (
        EligibilityDecision.objects.filter(
            beneficiary=household,
            status=DecisionStatus.PENDING,
            evidence=Evidence.DOCUMENT,
            replaced_by__isnull=True,
            documents__sha256=sha256,
            documents__status=DocumentStatus.WAITING,
        )
        .order_by("-created")
        .first()
    )
    if waiting is None or not criteria:
        return waiting  # no criteria: the proof was sent for the decision already waiting (upload_document)
    _status, matched, _reasons = evaluate(
        programme=waiting.programme,
        criteria=clean_criteria(criteria),
        quotient_familial_eur=quotient_familial_eur,
    )
    same = (
        sorted(matched) == sorted(waiting.criteria) and quotient_familial_eur == waiting.quotient_familial_eur
    )
    return waiting if same else None


def clean_refusal(refusal: str, note: str) -> str:
    """A refusal says why by a RefusalReason code (the household reads it in its language, with what to send
    instead); « other » only with the reviewer's words."""
    if refusal not in RefusalReason.values:
        raise InvalidInput(
            _(
                "Choisissez pourquoi le justificatif est refusé : le foyer le lira dans sa langue, avec ce qu’il "
                "doit envoyer à la place."
            ),
            code="refusal_reason",
        )
    if refusal == RefusalReason.OTHER and not note.strip():
        raise InvalidInput(
            _("Précisez la raison du refus : le foyer doit savoir quoi envoyer à la place."),
            code="refusal_reason",
        )
    return refusal


@transaction.atomic
def review_document(
    *,
    document: EligibilityDocument,
    reviewer: User,
    approve: bool,
    refusal: str = "",
    note: str = "",
    priorities=(),
):
    """Staff accept or refuse a proof; the pending decision becomes final and replaces the previous one.

    Accepting, staff also record the priority situations the document shows (they count on the waitlist).
    Refusing, they say why with a RefusalReason code, and may add their own words (`note`).
    """
    # What the household reads holds the same visible text as the stored note (NameField): no control that
    # reverses or hides the reviewer's words.
    note = visible_text(note).strip()[:255]
    priorities = clean_priorities(priorities) if approve else []
    refusal = "" if approve else clean_refusal(refusal, note)
    document = EligibilityDocument.objects.select_for_update().get(pk=document.pk)
    if document.status != DocumentStatus.WAITING:
        raise Conflict(_("Ce justificatif a déjà été examiné."), code="already_reviewed")
    decision = DECISIONS.lock(document.decision_id)
    _still_to_review(document, decision)
    target = DecisionStatus.ELIGIBLE if approve else DecisionStatus.INELIGIBLE
    DECISIONS.check(decision, target)
    now = timezone.now()
    DOCUMENTS.move(
        document,
        DocumentStatus.APPROVED if approve else DocumentStatus.REJECTED,
        changes={"reviewed_by": reviewer, "reviewed_at": now, "review_note": note},
    )
    # The pending reason is found by its code, whatever language the decision was made in.
    reasons = [item for item in decision.reasons if not is_pending_reason(item)]
    if approve:
        reasons.append(reason("document_verified"))
    else:
        reasons.append(reason("document_refused", refusal=refusal, note=note))
    DECISIONS.move(
        decision,
        target,
        changes={
            "reasons": reasons,
            "priorities": priorities,
            "expires_at": expiry_for(
                decision.programme, now, decision.beneficiary or decision.beneficiary_organisation
            )
            if approve
            else decision.expires_at,
            "reviewed_by": reviewer,
            "reviewed_at": now,
        },
    )
    replace_previous(decision)
    notify_decision(decision)
    return decision


def _still_to_review(document: EligibilityDocument, decision: EligibilityDecision) -> None:
    """The rule of the queue (DocumentQuerySet.waiting), held for a reviewer deciding from a page opened before:
    a proof whose household closed its account, or whose decision a newer one replaced, is no longer decided."""
    if document.deleted_at is not None:
        raise Conflict(
            _("Le foyer a fermé son compte : ce justificatif n’est plus à examiner."),
            code="no_longer_waiting",
        )
    if decision.replaced_by_id is not None:
        raise Conflict(
            _(
                "Ce justificatif n’est plus à examiner : le foyer a une décision plus récente (un autre "
                "justificatif accepté, une attestation, une vérification automatique)."
            ),
            code="no_longer_waiting",
        )


def purge_documents(at=None) -> int:
    """Delete the files whose decision is older than the programme's retention period. The row stays."""
    deleted = 0
    for document in EligibilityDocument.objects.due_for_deletion(at):
        with transaction.atomic():
            locked = EligibilityDocument.objects.select_for_update().get(pk=document.pk)
            if locked.deleted_at is not None:
                continue
            if locked.file:
                locked.file.delete(save=False)
            locked.file = ""
            locked.deleted_at = timezone.now()
            locked.save(update_fields=["file", "deleted_at"])
            deleted += 1
    return deleted


def erase_files_of(household) -> int:
    """The household closes its account: the files of its documents go now, whatever their retention. The rows
    stay (their decisions justify the claims made with them), marked deleted, and leave the review queue."""
    erased = 0
    documents = EligibilityDocument.objects.select_for_update().filter(
        decision__beneficiary=household, deleted_at__isnull=True
    )
    for document in documents:
        if document.file:
            name, storage = document.file.name, document.file.storage
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        document.file = ""
        document.deleted_at = timezone.now()
        document.save(update_fields=["file", "deleted_at"])
        erased += 1
    return erased


def strip_stored_photos() -> int:
    """Proofs photographed before every photo was re-encoded on upload (reuse.images) were kept byte for byte,
    EXIF and GPS included: the position of the household's home. Re-encode each stored photo as an upload is
    now (upright, pixels only), under a new name, the old file deleted once the row points at the new one.
    PDFs stay as they are. Returns the ids rewritten and those whose file cannot be read as a photo any more (left
    as they are, for staff to look at); safe to run again (nothing left to strip)."""
    rewritten, unreadable = [], []
    photos = EligibilityDocument.objects.filter(deleted_at__isnull=True, content_type__startswith="image/")
    for document_id in photos.exclude(file="").values_list("pk", flat=True):
        with transaction.atomic():
            document = EligibilityDocument.objects.select_for_update().get(pk=document_id)
            with document.file.open("rb") as stored:
                data = stored.read()
            try:
                if not carries_metadata(data):
                    continue
                checked = check_upload(ContentFile(data, name=document.file.name))
            except (InvalidInput, OSError, SyntaxError, ValueError):
                unreadable.append(document.pk)
                continue
            old_name, storage = document.file.name, document.file.storage
            document.file.save(document.token, ContentFile(checked.content), save=False)
            document.content_type, document.size, document.sha256 = (
                checked.content_type,
                checked.size,
                checked.sha256,
            )
            document.save(update_fields=["file", "content_type", "size", "sha256"])
            transaction.on_commit(lambda name=old_name, storage=storage: storage.delete(name))
            rewritten.append(document.pk)
    return rewritten, unreadable
