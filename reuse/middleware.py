import sys
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.signals import user_logged_in
from django.core.signals import got_request_exception
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reuse.errors import database_busy
from reuse.views import PRIVATE_FILE_CSP, keep_typed, page_it_came_from, remember_typist

NUL_MESSAGE = gettext_lazy(
    "Les données envoyées contiennent un caractère nul : elles ne peuvent pas être enregistrées."
)


def api_error(detail, code: str, status: int) -> JsonResponse:
    """An answer under /api/ given before or after the API itself, in its error shape (reuse/api.py)."""
    return JsonResponse({"detail": str(detail), "code": code}, status=status)


class RejectNulBytesMiddleware:
    """Refuse NUL characters in the path and the query string with a 400.

    PostgreSQL text cannot hold them, so without this a NUL in a filter is a server error. Django forms already
    refuse them in form posts; the API's parser refuses them in its bodies, whatever their Content-Type
    (reuse/api_input.py). Uploaded files are left to their own validation.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            if request.path.startswith("/api/"):
                return api_error(NUL_MESSAGE, "invalid", 400)
            return HttpResponseBadRequest(str(NUL_MESSAGE), content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        return "\x00" in request.path or any(
            "\x00" in key or "\x00" in value for key, value in request.GET.items()
        )


class ApiErrorFormatMiddleware:
    """Every refusal under /api/ in the API's error format, also those no operation answered: a path that
    matches no operation (Django's 404 page), a method the path does not take (ninja's bare 405), a body Django
    refused before the API read it (its 400 page), a server error (its 500 page, which names nothing inside)."""

    CODES = {
        400: "invalid",
        401: "not_authenticated",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        413: "too_large",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            shaped = api_error(
                self.message(response.status_code), self.code(response.status_code), response.status_code
            )
            if response.has_header("Allow"):
                shaped["Allow"] = response["Allow"]
            return shaped
        return response

    def code(self, status: int) -> str:
        return self.CODES.get(status, "server_error" if status >= 500 else "invalid")

    @staticmethod
    def message(status: int) -> str:
        if status == 404:
            return _("Introuvable.")
        if status == 405:
            return _("Cette adresse de l’API ne prend pas cette méthode.")
        if status == 413:
            return _("La requête est trop volumineuse : envoyez un fichier.")
        if status >= 500:
            return _("Erreur interne du serveur : réessayez plus tard.")
        return _("La demande est invalide.")


SIGN_IN_AGAIN = gettext_lazy(
    "Votre session a pris fin et rien n’a été enregistré. Connectez-vous : vous reviendrez à la page où vous "
    "étiez, pour valider à nouveau."
)


class SignInAgainMiddleware:
    """A form sent once the session has ended (it expired, or the person signed out in another tab).

    `login_required` sends it to sign-in with `next=` the address it was posted to, which only answers a POST:
    once signed in, the person would land on a 405. This sends them back to the page the form was on (or to
    their home when the browser did not say which), and says why nothing was saved; what was typed is kept for that
    page (reuse.views.kept_typed), whose form takes it back. Sits after the authentication, session and message
    middlewares.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        signed_in = getattr(request, "signed_in_now", None)
        if signed_in is not None:
            remember_typist(signed_in, response)  # whose typing a later ended session keeps
        if request.method != "POST" or response.status_code != 302 or request.user.is_authenticated:
            return response
        parts = urlsplit(response["Location"])
        query = QueryDict(parts.query, mutable=True)
        if (
            parts.path != resolve_url(settings.LOGIN_URL)
            or query.get(REDIRECT_FIELD_NAME) != request.get_full_path()
        ):
            return response
        back = page_it_came_from(request)
        if back:
            query[REDIRECT_FIELD_NAME] = back
            keep_typed(request, urlsplit(back).path)  # given back on that page once signed in
        else:
            del query[REDIRECT_FIELD_NAME]
        response["Location"] = urlunsplit(parts._replace(query=query.urlencode(safe="/")))
        messages.info(request, SIGN_IN_AGAIN)
        return response


@receiver(user_logged_in)
def _note_sign_in(sender, request=None, user=None, **kwargs):
    """Whoever signs in (password, printed code, invitation), noted on the request for SignInAgainMiddleware."""
    if request is not None:
        request.signed_in_now = user


class PrivateAnswersMiddleware:
    """Nothing answered to someone signed in, or from what a session holds (a ticket opened with the receipt's
    code), is kept by a cache: a household's claim and its handover code, a referrer's households, a batch of
    equipment cheques, a printed mandate. Without Cache-Control a shared cache may keep such a page, and the
    browser of a public computer (France Services, a library) shows it again from its history or its Back button
    once its person has signed out; so may a tool's browser keep what it asked with an API token. Such an answer
    gets `private, no-store` (RFC 9111 section 5.2.2), unless its view said how it may be kept (public media,
    Wagtail's admin, the private files of reuse.views.kept_private)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        # A view that read the person (request.user reads the session) or the session answered from them; an
        # empty session holds nobody. Reading request.user here would cost a query on pages that never did.
        session = getattr(request, "session", None)
        from_session = session is not None and session.accessed and not session.is_empty()
        # A script or a browser tool calling the API with a token has no session: what it sent its credentials for
        # is as private (RFC 9111 section 3.5 keeps it from shared caches only, not from the browser's).
        if from_session or "HTTP_AUTHORIZATION" in request.META:
            patch_cache_control(response, private=True, no_store=True)
        return response


class FileAnswersMiddleware:
    """A file answered by a view Rebond did not write (Wagtail's documents, which write `default-src 'none'` only) is
    run as nothing either: any answer carrying Content-Disposition gets the sandbox policy of reuse.views'
    downloads and nosniff. How it may be kept stays the view's (a public document may be cached). Sits just
    before the CSP middleware, so that it reads the answer once that one has written its policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Content-Disposition"):
            if "sandbox" not in response.get("Content-Security-Policy", ""):
                response["Content-Security-Policy"] = PRIVATE_FILE_CSP
            response["X-Content-Type-Options"] = "nosniff"
        return response


DATABASE_BUSY = gettext_lazy(
    "Le site reçoit beaucoup de demandes en ce moment et rien n’a été enregistré : réessayez dans un instant."
)
DATABASE_BUSY_RETRY_AFTER = 5


@receiver(got_request_exception)
def _note_busy_database(sender, request=None, **kwargs):
    """Django signals an uncaught exception while it is handled: a write that waited its whole turn for SQLite's
    write lock is noted on the request, for DatabaseBusyMiddleware."""
    error = sys.exc_info()[1]
    if request is not None and database_busy(error):
        request.database_busy = True


class DatabaseBusyMiddleware:
    """SQLite (the demo, a small association's server) lets one writer in at a time; the others wait their turn
    at BEGIN IMMEDIATE for up to the busy timeout (SQLITE_BUSY_TIMEOUT). One still waiting after that is told, in
    the reader's language, that nothing was saved and to try again (503 with Retry-After: a small HTML page with a
    link to try again, the API's error format under /api/), never a server error: its transaction never began, so
    nothing is half-written.

    Outermost of the project's middlewares, so that a session saved on the way out is covered as well as views.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "database_busy", False):
            return response
        with translation.override(getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)):
            if request.path.startswith("/api/"):
                busy = api_error(DATABASE_BUSY, "database_busy", 503)
            else:
                busy = HttpResponse(self.page(request), status=503)
        busy["Retry-After"] = str(DATABASE_BUSY_RETRY_AFTER)
        return busy

    @staticmethod
    def page(request) -> str:
        """A light page a phone shows whole: what happened, and a link to try again. A page read (GET) is loaded
        again at its own address; a form sent cannot be sent again by a link, so it says to go back to the form's
        page (the Referer, when it is a page of this site) and send it again."""
        read = request.method in ("GET", "HEAD")
        context = {
            "message": DATABASE_BUSY,
            "form_sent": not read,
            "again": request.get_full_path() if read else page_it_came_from(request),
        }
        return render_to_string("database_busy.html", context)
