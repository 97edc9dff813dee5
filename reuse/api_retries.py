"""Writes an API client may send again: the `Idempotency-Key` header of every POST and PATCH (reuse/api.py).

A script whose POST timed out cannot know whether the lot, the claim or the erasure was written; sent again
without a key it writes a second one. With the same `Idempotency-Key` (as in the IETF HTTPAPI draft
draft-ietf-httpapi-idempotency-key-header and Stripe's API), the retry gets the first answer again, marked
`Idempotent-Replayed: true`, and nothing is written twice. Keys belong to the person who sent them and are kept
IdempotentRequest.LIFETIME. Only a success is kept: a refused request leaves its key free for the corrected one. The same key with
another body is refused (422 `idempotency_key_reused`); a retry that arrives while the first is still running is
told to wait (409 `request_in_progress`, Retry-After). The row is written (and committed) before the operation
runs, so two copies of one request racing each other meet on its unique constraint and only one runs; a key
still marked running after ABANDONED_AFTER was left by a process that died, and the next retry runs.
"""

import hashlib
import re
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reuse.accounts.models import IdempotentRequest
from reuse.errors import Conflict, DomainError, InvalidInput

HEADER = "Idempotency-Key"
METHODS = ("POST", "PATCH")
KEY = re.compile(r"[\x21-\x7e]{1,255}")  # printable ASCII, as a header carries it without encoding
# Longer than any request runs (the web server's timeout is far below): a key still marked running after this was
# left by a process that died, and the retry takes it up.
ABANDONED_AFTER = timedelta(minutes=10)


class InvalidKey(DomainError):
    status = 400
    code = "invalid_idempotency_key"
    default_message = _(
        "L’en-tête Idempotency-Key doit faire 1 à 255 caractères ASCII imprimables, sans espace."
    )


class KeyReused(InvalidInput):
    code = "idempotency_key_reused"
    default_message = _(
        "Cet Idempotency-Key a déjà servi pour une autre requête : choisissez une nouvelle clé pour une "
        "nouvelle requête."
    )


class RequestInProgress(Conflict):
    code = "request_in_progress"
    default_message = _(
        "La requête envoyée avec ce Idempotency-Key est encore en cours : réessayez dans quelques secondes."
    )
    retry_after = 5


def _fingerprint(request) -> str:
    """What makes two requests the same: method, address and content. A multipart body is read by its fields and
    files, since a client draws a new boundary for each attempt."""
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    if request.content_type == "multipart/form-data":
        for name, values in sorted(request.POST.lists()):
            digest.update(repr((name, values)).encode())
        for name, files in sorted(request.FILES.lists()):
            for uploaded in files:
                digest.update(name.encode())
                for chunk in uploaded.chunks():
                    digest.update(chunk)
                uploaded.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _replay(record: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(record.body, status=record.status_code, content_type=record.content_type)
    if record.etag:
        response["ETag"] = record.etag
    response["Idempotent-Replayed"] = "true"
    return response


def begin(request) -> HttpResponse | None:
    """Before the operation runs: the first answer to replay, or None once this request holds its key."""
    key = request.headers.get(HEADER)
    if key is None or request.method not in METHODS or not request.user.is_authenticated:
        return None
    if not KEY.fullmatch(key):
        raise InvalidKey()
    fingerprint = _fingerprint(request)
    now = timezone.now()
    mine = IdempotentRequest.objects.filter(user=request.user)
    # Lapsed keys, and keys a dead process left running: one conditional DELETE, so two retries never both run.
    mine.filter(
        Q(created__lt=now - IdempotentRequest.LIFETIME)
        | Q(status_code__isnull=True, created__lt=now - ABANDONED_AFTER)
    ).delete()
    try:
        with transaction.atomic():
            request._idempotent_request = IdempotentRequest.objects.create(
                user=request.user, key=key, fingerprint=fingerprint, created=now
            )
        return None
    except IntegrityError:
        record = mine.filter(key=key).first()
    if record is not None and record.fingerprint != fingerprint:
        raise KeyReused()
    if record is None or record.status_code is None:
        # Still running, or refused an instant ago (its key freed): sending it again is safe.
        raise RequestInProgress()
    return _replay(record)


def finish(request, response) -> None:
    """After the operation: keep a success to replay it, free the key of anything else."""
    record = getattr(request, "_idempotent_request", None)
    if record is None:
        return
    request._idempotent_request = None
    rows = IdempotentRequest.objects.filter(pk=record.pk)
    if 200 <= response.status_code < 300 and not response.streaming:
        rows.update(
            status_code=response.status_code,
            content_type=response.get("Content-Type", ""),
            etag=response.get("ETag", ""),
            body=response.content.decode("utf-8"),
        )
    else:
        rows.delete()


def abandon(request) -> None:
    """The operation raised (a server error): its key is freed for the retry."""
    record = getattr(request, "_idempotent_request", None)
    if record is not None:
        request._idempotent_request = None
        IdempotentRequest.objects.filter(pk=record.pk).delete()
