"""What the JSON API reads from a request, checked once for every operation (reuse/api.py uses both).

`StrictJsonParser` reads every body as JSON, whatever its Content-Type says, and refuses before any schema
what no field can hold: a NUL character (PostgreSQL text refuses it), an unpaired surrogate (no UTF-8 encoding
exists), NaN or Infinity (not JSON), an integer beyond 64 bits (no column holds it), a key given twice (which of
the two would count?). `ApiUploadLimit` refuses an upload larger than any file the API takes before a byte of it
is written to disk. `field_message` says in the person's language what a schema refused in one field.
"""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _
from ninja.parser import Parser

from reuse.errors import DomainError
from reuse.middleware import NUL_MESSAGE

# The database's integer keys and amounts stop at 2**63 - 1; a JSON integer beyond is no value of any field.
MAX_INT = 2**63 - 1
# A body nested deeper than this is no operation's input (the deepest, a lot's items, is 3 levels down).
MAX_DEPTH = 32


class BodyRefused(DomainError):
    status = 400
    code = "invalid"


def _unique_keys(pairs: list) -> dict:
    keys = [key for key, _value in pairs]
    if len(set(keys)) != len(keys):
        raise BodyRefused(_("Une clé apparaît deux fois dans le même objet JSON."))
    return dict(pairs)


def _no_constant(name: str):
    raise BodyRefused(_("« %(name)s » n’est pas une valeur JSON.") % {"name": name})


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise BodyRefused(NUL_MESSAGE)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BodyRefused(
            _("Les données envoyées contiennent un caractère Unicode invalide (demi-paire de substitution).")
        ) from None


def check_values(data, depth: int = 0) -> None:
    """Refuse what no field can hold anywhere in a decoded body (see the module's docstring)."""
    if depth > MAX_DEPTH:
        raise BodyRefused(_("Le JSON envoyé est imbriqué trop profondément."))
    if isinstance(data, str):
        _check_text(data)
    elif isinstance(data, bool):
        return
    elif isinstance(data, int) and not -MAX_INT <= data <= MAX_INT:
        raise BodyRefused(_("Le nombre %(value).20s… est trop grand.") % {"value": str(data)})
    elif isinstance(data, dict):
        for key, value in data.items():
            _check_text(key)
            check_values(value, depth + 1)
    elif isinstance(data, list):
        for value in data:
            check_values(value, depth + 1)


class StrictJsonParser(Parser):
    def parse_body(self, request):
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError:
            raise BodyRefused(_("Le corps de la requête n’est pas en UTF-8.")) from None
        try:
            data = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
        except (ValueError, RecursionError):
            raise BodyRefused(_("Le corps de la requête n’est pas un JSON valide.")) from None
        check_values(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        check_values(result)
        return result


def field_message(error: dict) -> str:
    """The French (or the person's language) sentence for one pydantic error of a schema."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("Ce champ est obligatoire.")
    if kind == "extra_forbidden":
        # Every body refuses what it does not read (reuse.errors.InputSchema): the field's path names it.
        return _("Champ inconnu : il n’est pas lu par cette opération.")
    if kind.startswith(("int_", "float_", "decimal_")) or kind in ("finite_number",):
        return _("Un nombre est attendu.")
    if kind.startswith("string_too_short") or kind == "too_short":
        return _("Trop court : au moins %(n)s.") % {"n": ctx.get("min_length", "")}
    if kind.startswith("string_too_long") or kind == "too_long":
        return _("Trop long : au plus %(n)s.") % {"n": ctx.get("max_length", "")}
    if kind == "string_pattern_mismatch":
        return _("Le format n’est pas celui attendu.")
    if kind.startswith("string_") or kind == "str_type":
        return _("Du texte est attendu.")
    if kind.startswith("bool_"):
        return _("true ou false est attendu.")
    if kind.startswith(("datetime_", "timezone_")):
        return _("Une date et heure ISO 8601 est attendue (2026-03-01T14:30:00+01:00).")
    if kind.startswith("date_"):
        return _("Une date AAAA-MM-JJ existante est attendue.")
    if kind in ("list_type", "tuple_type", "set_type", "iterable_type"):
        return _("Une liste est attendue.")
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return _("Un objet est attendu.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("La valeur doit être au moins %(n)s.") % {"n": ctx.get("ge", ctx.get("gt", ""))}
    if kind in ("less_than_equal", "less_than"):
        return _("La valeur doit être au plus %(n)s.") % {"n": ctx.get("le", ctx.get("lt", ""))}
    if kind in ("literal_error", "enum"):
        return _("Valeur inconnue : %(expected)s attendu.") % {"expected": ctx.get("expected", "")}
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    return _("Valeur invalide.")


class ApiUploadLimit(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: an API upload declared larger than API_UPLOAD_MAX_BYTES is refused from its
    Content-Length (the API answers 413), where Django would otherwise stream gigabytes to a temporary file before
    the operation could look at its size. Pages' forms (Wagtail's documents) keep Django's handling."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if (
            self.request is not None
            and self.request.path.startswith("/api/")
            and (content_length or 0) > settings.API_UPLOAD_MAX_BYTES
        ):
            raise RequestDataTooBig("Upload larger than API_UPLOAD_MAX_BYTES.")

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
