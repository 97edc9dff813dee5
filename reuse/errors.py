"""Typed domain errors. Services raise them; web views show `message`, the API maps them to its error format."""

from django.db import OperationalError
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain refused the action. `message` is safe to show to the user."""

    status = 400
    code = "invalid"
    default_message = _("La demande est invalide.")

    def __init__(self, message=None, *, code: str | None = None):
        self.message = message or self.default_message
        if code:
            self.code = code
        super().__init__(str(self.message))

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


def database_busy(error: BaseException | None) -> bool:
    """A write that waited its whole turn for SQLite's write lock (the busy timeout) and got none: nothing of its
    transaction was written (https://www.sqlite.org/rescode.html#busy)."""
    return isinstance(error, OperationalError) and "database is locked" in str(error)
