"""Typed domain errors, and the texts kept for someone to read later.

Services raise the errors; web views show `message`, the API maps them to its error format. A sentence a service
stores for a person to read later (an import's failure, a row's error, why staff should look at two accounts) is
kept as a code with parameters, never as words: a `Text` declared in its app's `texts.py` (each one is imported at
start-up, so any process can write out any stored code), stored as `{"code", "params"}` and written out by `render_text`
in the language of whoever reads it (issue 15). Words stored before the codes are shown as they were written.
"""

import logging
from collections.abc import Callable, Mapping
from functools import wraps
from typing import ClassVar, get_args

from annotated_types import MaxLen
from django.db import OperationalError, transaction
from django.db.models import CharField
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import ConfigDict

logger = logging.getLogger(__name__)


class ErrorOut(Schema):
    """Every error body of the API (PRODUCT.md): what is wrong in the person's language, and a stable code."""

    detail: str
    code: str


class InputSchema(Schema):
    """Every body the API reads, in every app: a field it does not know is refused with a 422 naming it, never
    ignored (a script's misspelled `"statut"` would otherwise get 200 with nothing changed). The OpenAPI document
    says it with `additionalProperties: false`.

    `stored_in` names the models whose columns the body writes (empty for a body stored nowhere): a text field named
    as one of their CharFields takes its max_length, so the document states it and a longer text is a 422 naming
    the field before any service runs."""

    model_config = ConfigDict(extra="forbid")
    stored_in: ClassVar[tuple] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs):
        super().__pydantic_init_subclass__(**kwargs)
        bounded = False
        for model in cls.stored_in:
            for column in model._meta.get_fields():
                field = cls.model_fields.get(column.name)
                length = getattr(column, "max_length", None)
                if field is None or not length or not isinstance(column, CharField):
                    continue
                if str in (field.annotation, *get_args(field.annotation)) and not any(
                    isinstance(rule, MaxLen) for rule in field.metadata
                ):
                    field.metadata.append(MaxLen(length))
                    bounded = True
        if bounded:
            cls.model_rebuild(force=True)


# Every Text by its code, filled when each app's texts.py is imported (reuse.apps).
TEXTS: dict[str, "Text"] = {}


class Text:
    """A sentence to store as its code. `formats` write a parameter out when it is read, in the reader's
    language: a mapping from a stored code to its label, or a function (an amount in cents to euros)."""

    def __init__(self, code: str, template, **formats: Mapping | Callable):
        if code in TEXTS:
            raise ValueError(f"Text code declared twice: {code}")
        self.code, self.template, self.formats = code, template, formats
        TEXTS[code] = self

    def __call__(self, **params) -> dict:
        """What to store: the code and its parameters (numbers, codes, what the person typed)."""
        return {"code": self.code, "params": params}


def _written(text: Text, name: str, value):
    if isinstance(value, dict):
        return render_text(value)
    way = text.formats.get(name)
    if callable(way):
        return way(value)
    if way is not None:
        return str(way.get(value, value))
    return value


def render_text(said) -> str:
    """A stored text in the active language: `{"code", "params"}`, a list of them (one sentence after the other),
    or words stored before the codes, shown as they were written."""
    if not said:
        return ""
    if isinstance(said, str):
        return said
    if isinstance(said, list):
        return " ".join(render_text(item) for item in said)
    text = TEXTS.get(said.get("code"))
    if text is None:
        return str(said.get("code", ""))
    params = {name: _written(text, name, value) for name, value in (said.get("params") or {}).items()}
    return str(text.template) % params if params else str(text.template)


def render_rows(items, labels: Mapping | None = None) -> list[dict]:
    """Stored row problems (`{"row", "field", "code", "params"}`) as `{"row", "field", "message"}` in the active
    language, the field by its label; those stored as words before the codes as they were written."""
    labels = labels or {}
    return [
        {
            "row": item.get("row"),
            "field": str(labels.get(item.get("field") or "", item.get("field") or "")),
            "message": str(item["message"]) if "message" in item else render_text(item),
        }
        for item in items or []
    ]


def rows_line(rows: list[dict]) -> str:
    """Rendered row problems on one line, for the admin's inspect page: « 4, année : … ; 7, … »."""
    return " ; ".join(f"{row['row'] or '-'}, {row['field'] or '-'} : {row['message']}" for row in rows)


def row_problem(row: int | None, field: str, said: dict) -> dict:
    """One row's problem to store: its row number, the column's code and the text's code and parameters."""
    return {"row": row, "field": field, **said}


class DomainError(Exception):
    """A rule of the domain refused the action. `message` is safe to show to the user."""

    status = 400
    code = "invalid"
    default_message = _("La demande est invalide.")

    def __init__(self, message=None, *, code: str | None = None, params: dict | None = None):
        # Raised with a Text, the error can be stored as its code (`said`) and shown now in the active language.
        self.said = message(**(params or {})) if isinstance(message, Text) else None
        if self.said is not None:
            message = lazy(render_text, str)(self.said)
        self.message = message or self.default_message
        if code:
            self.code = code
        super().__init__(str(self.message))

    def stored(self) -> dict | str:
        """What to store for someone to read later: the code, or (an error raised with words) those words."""
        return self.said if self.said is not None else str(self.message)

    def extra(self) -> dict:
        """More fields for the API's error body (the errors of each row of a file, for instance)."""
        return {}


class InvalidInput(DomainError):
    status = 422
    code = "invalid"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_message = _("Cette action ne vous est pas permise.")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _("Introuvable.")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _("L’état de l’objet ne permet pas cette action.")


class IllegalTransition(Conflict):
    code = "illegal_transition"


class Unavailable(Conflict):
    code = "unavailable"
    default_message = _("Cet appareil n’est plus disponible.")


class PreconditionFailed(DomainError):
    """The client changes an object from a copy it read before someone else changed it (its If-Match names an ETag
    the object no longer has): nothing was written, so that the other change is not silently lost."""

    status = 412
    code = "precondition_failed"
    default_message = _(
        "L’objet a changé depuis votre lecture (If-Match) : relisez-le, puis renvoyez votre modification avec "
        "son nouvel ETag."
    )


def check_if_match(header: str | None, etag: str) -> None:
    """RFC 9110 §13.1.1: without If-Match the write goes on; with it, the object's current (strong) ETag, or `*`,
    must be among those the client names."""
    if header is None:
        return
    named = {tag.strip() for tag in header.split(",")}
    if "*" not in named and etag not in named:
        raise PreconditionFailed()


class TemporarilyUnavailable(DomainError):
    """A service Rebond depends on cannot be reached right now: nothing was done, and the same request may be sent
    again after `retry_after` seconds (the API says so in a Retry-After header)."""

    status = 503
    code = "temporarily_unavailable"
    default_message = _("Ce service est momentanément indisponible ; réessayez dans quelques minutes.")
    retry_after = 60


class TooLarge(DomainError):
    status = 413
    code = "too_large"
    default_message = _("Le fichier est trop volumineux.")


# PostgreSQL's answers to a transaction that collided with another's
# (https://www.postgresql.org/docs/current/errcodes-appendix.html). Aborted by a conflict (a serialization failure
# under REPEATABLE READ or SERIALIZABLE, a deadlock PostgreSQL broke): rolled back whole, safe to run again.
ABORTED_BY_CONFLICT = frozenset({"40001", "40P01"})
# Waited `lock_timeout` for a row another transaction holds (reuse.settings, DATABASE_LOCK_TIMEOUT_MS): its
# statement failed, so its transaction is rolled back; running it again would make the person wait as long again.
LOCK_NOT_AVAILABLE = "55P03"


def sqlstate(error: BaseException | None) -> str | None:
    """PostgreSQL's error code of a database error Django raised (psycopg's error is its cause)."""
    return getattr(getattr(error, "__cause__", None), "sqlstate", None)


def database_busy(error: BaseException | None) -> bool:
    """A write that found the database busy with others and wrote nothing: SQLite's write lock waited out (the
    busy timeout, https://www.sqlite.org/rescode.html#busy), or on PostgreSQL a transaction aborted by a conflict
    or a lock waited out. The person is told that nothing was saved and to try again (DatabaseBusyMiddleware)."""
    if not isinstance(error, OperationalError):
        return False
    return "database is locked" in str(error) or sqlstate(error) in ABORTED_BY_CONFLICT | {LOCK_NOT_AVAILABLE}


def run_again_if_aborted(service):
    """A service whose transaction PostgreSQL aborted for colliding with another (two claims, two uses of one
    voucher) is run once more, whole: nothing of the first run was written, and what it queued after commit was
    dropped with it. Only at the outermost transaction (inside another, the caller's work was aborted too); a
    second abort reaches the person as « réessayez » (database_busy)."""

    @wraps(service)
    def run(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except OperationalError as error:
            if sqlstate(error) not in ABORTED_BY_CONFLICT or transaction.get_connection().in_atomic_block:
                raise
            logger.warning(
                "%s aborted by a conflict (%s), run again: %s", service.__qualname__, sqlstate(error), error
            )
        return service(*args, **kwargs)

    return run
