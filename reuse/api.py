"""The JSON API under /api/v1/: authentication, the error format, and the routers of every app.

Errors always have the shape {"detail": "...", "code": "..."} (PRODUCT.md).
"""

import functools
import logging
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.security.apikey import APIKeyCookie
from ninja.throttling import SimpleRateThrottle
from ninja.utils import check_csrf
from wagtail.api.v3.auth import BearerTokenAuth

from reuse import api_retries
from reuse.accounts.tokens import token_for
from reuse.api_document import document_errors
from reuse.api_input import StrictJsonParser, field_message
from reuse.errors import DomainError, TemporarilyUnavailable

logger = logging.getLogger(__name__)


class SessionCookieAuth(APIKeyCookie):
    """The browser's session; unsafe methods must carry the CSRF token like any form would."""

    param_name = "sessionid"

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise HttpError(403, "csrf_failed")
        return request.user


class ExpiringBearerTokenAuth(BearerTokenAuth):
    """Wagtail's bearer tokens, limited to the usable ones: not revoked, not expired, owner still active."""

    def authenticate(self, request, token: str):
        api_token = token_for(request, token)
        # Like Wagtail's own: a bad token leaves the request anonymous, whatever session cookie came with it.
        request.user = api_token.user if api_token is not None else AnonymousUser()
        if api_token is None:
            return None
        self._touch_last_used(api_token)
        return api_token


# A bearer token wins over the session; an invalid token is a 401 even when a session cookie is sent.
# Operations read the person from `request.user` (request.auth is the token or the user).
AUTH = [ExpiringBearerTokenAuth(), SessionCookieAuth()]


class WriteRateThrottle(SimpleRateThrottle):
    """At most settings.API_WRITE_RATE unsafe requests per person (token or session), all operations together: a
    script looping on POST /lots or PATCH /devices is slowed with a 429 and Retry-After; reads are not counted."""

    scope = "api_writes"

    def __init__(self):
        super().__init__(settings.API_WRITE_RATE)

    def allow_request(self, request) -> bool:
        # Read at each request, so that a deployment (or a test) changes it without a restart of the module.
        self.num_requests, self.duration = self.parse_rate(settings.API_WRITE_RATE)
        return super().allow_request(request)

    def get_cache_key(self, request):
        user = getattr(request, "user", None)
        if request.method in ("GET", "HEAD", "OPTIONS") or user is None or not user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}


class RebondAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The routers' document, with the errors and headers every operation shares (reuse/api_document.py)."""
        return document_errors(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = RebondAPI(
    title="Rebond API",
    version="1",
    description="Réemploi solidaire du numérique : dons, stock des ateliers, éligibilité et demandes.",
    urls_namespace="api",
    auth=AUTH,
    parser=StrictJsonParser(),
    throttle=[WriteRateThrottle()],
)


def error(request, status: int, detail, code: str, **extra):
    return api.create_response(request, {"detail": str(detail), "code": code, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return error(request, 401, _("Connexion requise : session ou jeton d’API valide."), "not_authenticated")


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    details = [
        {"field": ".".join(str(part) for part in err.get("loc", [])[1:]), "message": field_message(err)}
        for err in exc.errors
    ]
    return error(request, 422, _("Les données envoyées ne sont pas valides."), "invalid", errors=details)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    # One answer for "missing" and "not yours", word for word: a service's own wording for the second (« Foyer
    # introuvable ou sans mandat actif ») would tell an attacker which ids exist. Pages keep their messages.
    return error(request, 404, _("Introuvable."), "not_found")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return error(request, 403, str(exc) or _("Cette action ne vous est pas permise."), "forbidden")


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    if exc.status == 404:
        return on_not_found(request, exc)
    response = error(request, exc.status, exc.message, exc.code, **exc.extra())
    if isinstance(exc, TemporarilyUnavailable | api_retries.RequestInProgress):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(RequestDataTooBig)
@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def on_too_large(request, exc):
    # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE (or too many form fields) before reading it.
    return error(request, 413, _("La requête est trop volumineuse : envoyez un fichier."), "too_large")


@api.exception_handler(Throttled)
def on_throttled(request, exc):
    # Ninja sets Retry-After on this response.
    return error(request, 429, _("Trop de requêtes : attendez un moment avant de réessayer."), "rate_limited")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if exc.status_code == 403 and str(exc) == "csrf_failed":
        return error(request, 403, _("Jeton CSRF manquant ou invalide."), "csrf_failed")
    if isinstance(exc.__cause__, DomainError):
        # Ninja wraps whatever the parser raised as "Cannot parse request body": say why, in the person's words.
        return on_domain_error(request, exc.__cause__)
    if isinstance(exc.__cause__, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return on_too_large(request, exc.__cause__)
    if exc.status_code == 404:
        return on_not_found(request, exc)
    codes = {400: "invalid", 401: "not_authenticated", 403: "forbidden", 404: "not_found", 409: "conflict"}
    codes[413], codes[422] = "too_large", "invalid"
    return error(request, exc.status_code, str(exc), codes.get(exc.status_code, "error"))


# Routers outside an app's `api` module, mounted right after that app's: the donor's per-serial report of a lot
# reads devices, so it lives in inventory (above donations), and is listed with the donations operations.
ROUTERS_AFTER = {"donations": ("inventory.donor_reports.api",)}


def _mount_app_routers():
    """Every installed app with an `api` module exposing `router` is mounted at the API root.

    Routers declare their full paths (`/lots`, `/devices/{id}`), so an app adds operations without
    touching this file.
    """
    for config in apps.get_app_configs():
        if config.name == "reuse" or not module_has_submodule(config.module, "api"):
            continue
        module = import_module(f"{config.name}.api")
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router("", router)
        for name in ROUTERS_AFTER.get(config.name, ()):
            api.add_router("", import_module(name).router)


def _replayed_or_run(view):
    """Around every operation, once the person is known and the input valid: a write sent again under the same
    Idempotency-Key gets its first answer (reuse/api_retries.py)."""

    @functools.wraps(view)
    def operation(request, *args, **kwargs):
        return api_retries.begin(request) or view(request, *args, **kwargs)

    return operation


def _known_query_only(run):
    """Around every request: a query parameter the operation does not read is refused (422 naming it), as a
    body's unknown field is (reuse.errors.InputSchema): `?etat=listed` for `state` would list everything."""
    operation = run.__self__
    known = {
        name
        for model in operation.models
        if model.__ninja_param_source__ == "query"
        for name in model.__ninja_flatten_map__
    }

    @functools.wraps(run)
    def view(request, *args, **kwargs):
        unknown = sorted(set(request.GET) - known)
        if unknown:
            # Named as ninja names the query's own errors (the field without a prefix).
            refused = ValidationError(
                [{"type": "extra_forbidden", "loc": ("query", name)} for name in unknown]
            )
            return api.on_exception(request, refused)
        return run(request, *args, **kwargs)

    return view


def _kept_for_retries(run):
    """Around every request: its answer is kept for the retries, or its key freed."""

    @functools.wraps(run)
    def view(request, *args, **kwargs):
        try:
            response = run(request, *args, **kwargs)
        except BaseException:
            api_retries.abandon(request)
            raise
        api_retries.finish(request, response)
        return response

    return view


api.add_decorator(_replayed_or_run, mode="operation")
api.add_decorator(_known_query_only, mode="view")
api.add_decorator(_kept_for_retries, mode="view")
_mount_app_routers()
