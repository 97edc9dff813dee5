"""What every web view shares: a domain error becomes a message the person reads, in their language."""

import re
import time
import unicodedata
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy

from reuse.errors import DomainError
from reuse.models import QuarantinedFile


@dataclass
class Outcome:
    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def status(self) -> int:
        """The HTTP status the page answers with: the error's own (400, 403, 409…), or 200."""
        return 200 if self.error is None else self.error.status


@contextmanager
def domain_errors(
    request=None,
    *,
    form=None,
    field: str | None = None,
    fields: dict[str, str] | None = None,
    not_found_is_404: bool = False,
):
    """Run a service call; a DomainError it raises becomes a message instead of a server error.

    With `form`, the message goes on the form: on the field `fields` names for the error's code, else on `field`,
    else above the form; otherwise it is flashed to the request (with no request either, the view shows
    `outcome.error` on a page of its own); with `not_found_is_404`, an error of status 404
    is the page's own 404. `outcome.ok` tells the view whether to go on, `outcome.status` what to answer with:

        with domain_errors(request) as attempt:
            services.cancel_claim(...)
        if attempt.ok:
            messages.success(request, ...)
    """
    outcome = Outcome()
    try:
        yield outcome
    except DomainError as exc:
        if not_found_is_404 and exc.status == 404:
            raise Http404 from exc
        outcome.error = exc
        if form is not None:
            form.add_error((fields or {}).get(exc.code, field), exc.message)
        elif request is not None:
            messages.error(request, exc.message)
        # With neither, the view shows `outcome.error` on a page of its own.


def on_this_site(request, url: str) -> str | None:
    """The path (and query) of `url` when it is an address of this site, or None: never another site's address,
    so that a link back or a redirect built from what the browser sent cannot send anyone away."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    # A path of this site can still name another host once it stands alone: "http://this.site//evil.example"
    # has the path "//evil.example", which a browser reads as that host (so does "/\\evil.example").
    if not url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()}):
        return None
    return path


def page_it_came_from(request) -> str | None:
    """The page of this site the request was sent from (its Referer), or None."""
    return on_this_site(request, request.META.get("HTTP_REFERER", ""))


# What a person typed in a form sent after their session ended (reuse.middleware.SignInAgainMiddleware), kept in
# the new session of that browser for the page the form was on, and given back once after signing in again. Never a
# password, a security token or a file (the browser sends files only with the form); kept a short while, since a
# shared computer (a France Services desk) may be signed into by someone else next.
KEPT_FORM_KEY = "rebond_kept_form"
KEPT_FORM_SECONDS = 15 * 60
KEPT_TOLD = gettext_lazy(
    "Ce que vous aviez saisi avant la fin de la session est repris ci-dessous : vérifiez-le, puis validez."
)
NEVER_KEPT = ("csrfmiddlewaretoken", "password", "token")
# Whose typing it is: the session that ended no longer says, so each sign-in leaves in the browser a mark of the
# account (an HMAC of its id, which tells nothing without SECRET_KEY), copied onto what is kept. Only that account
# gets it back: the next person signing in at a shared computer (a France Services desk) never reads it.
TYPIST_COOKIE = "rebond_typist"


def typist_mark(user) -> str:
    return salted_hmac("reuse.views.typist", str(user.pk)).hexdigest()[:32]


def remember_typist(user, response) -> None:
    """On the answer to a sign-in: the mark of `user`, lasting as long as its session may plus the keeping time."""
    response.set_cookie(
        TYPIST_COOKIE,
        typist_mark(user),
        max_age=settings.SESSION_COOKIE_AGE + KEPT_FORM_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def keep_typed(request, page: str) -> None:
    data = {
        name: request.POST.getlist(name)
        for name in request.POST
        if not any(part in name.lower() for part in NEVER_KEPT)
    }
    typist = request.COOKIES.get(TYPIST_COOKIE, "")
    if data and typist:  # nobody signed in on this browser lately: nobody to give it back to
        request.session[KEPT_FORM_KEY] = {
            "page": page,
            "data": data,
            "until": time.time() + KEPT_FORM_SECONDS,
            "for": typist,
        }


def kept_typed(request) -> dict | None:
    """What the person typed on this page before their session ended, once, as a form's initial values (a field
    of several values keeps its list); None on any other page or request, once its time has passed, or to an
    account other than the one that typed it."""
    kept = request.session.get(KEPT_FORM_KEY)
    if not kept or request.method != "GET" or kept.get("page") != request.path:
        return None
    del request.session[KEPT_FORM_KEY]
    if kept.get("until", 0) < time.time() or not request.user.is_authenticated:
        return None
    if not constant_time_compare(kept.get("for", ""), typist_mark(request.user)):
        return None  # typed by someone else at this browser
    messages.info(request, KEPT_TOLD)
    return {name: values if len(values) > 1 else values[0] for name, values in kept["data"].items()}


def csrf_failure(request, reason=""):
    """A form whose security token no longer matches (CSRF_FAILURE_VIEW): the page stayed open too long, or the
    person signed in or out in another tab. Said in their language, in the site's pages, with the way back to
    the page the form was on, instead of Django's bare page that offers no way forward."""
    return render(request, "403_csrf.html", {"back": page_it_came_from(request) or "/"}, status=403)


# A file is displayed or downloaded, never run: no script, no plugin, no frame, whatever it holds (a PDF Rebond drew
# from what people typed as much as one they sent).
PRIVATE_FILE_CSP = "default-src 'none'; img-src 'self'; object-src 'self'; sandbox"
# What no file name holds on the disk it is saved to (Windows' reserved characters, the path separators) and the
# control characters, which would end the header line; each run of them becomes one "_".
NOT_IN_A_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|_]+')
NAME_LENGTH = 150


def download_name(name: str, fallback: str = "fichier") -> str:
    """`name` as one file in the folder the browser saves it to: no folder, no hidden file (a leading dot), no
    invisible or direction-changing character (a right-to-left override shows « photo‮gpj.exe » as « photoexe.jpg »),
    accents kept, at most NAME_LENGTH characters with its extension."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(c for c in name if unicodedata.category(c) != "Cf")
    name = NOT_IN_A_NAME.sub("_", name).strip("._- ")
    if len(name) > NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        extension = extension[:10] if dot and stem else ""
        name = name[: NAME_LENGTH - len(extension) - 1].rstrip("._- ") + (
            f".{extension}" if extension else ""
        )
    return name or fallback


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The Content-Disposition of a file named `filename` (RFC 6266): its name in ASCII for the browsers that read
    only `filename`, and as written in `filename*` (RFC 8187, UTF-8) when it has letters beyond ASCII."""
    name = download_name(filename)
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = download_name(re.sub(r"[^\x20-\x7e]", "", plain), fallback="fichier")
    header = f'{"inline" if inline else "attachment"}; filename="{plain}"'
    if plain != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def served_file(content: bytes | Iterable, *, filename: str, content_type: str, inline: bool = False):
    """A file Rebond hands out (drawn for the request, read from storage, or streamed as its rows are read), to
    whoever the view let through: under its name, read as `content_type` only, run as nothing. Open data may be
    kept by caches; anything of someone's goes through private_download."""
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PRIVATE_FILE_CSP
    return response


def private_download(content: bytes | Iterable, *, filename: str, content_type: str, inline: bool = False):
    """A file of someone's (their receipt, their data, a lot's certificate, a workshop's stock): `served_file`,
    kept by no cache, so that after signing out on a shared computer the Back button or the browser's cache
    shows it to nobody. `inline` only for what Rebond drew or re-wrote itself (a PDF, a re-encoded photo)."""
    return kept_private(served_file(content, filename=filename, content_type=content_type, inline=inline))


def private_file_response(handle, *, filename: str, content_type: str | None = None, inline: bool = False):
    """A file of the private storage for whoever the view let through, streamed: downloaded, or shown in the
    browser (`inline`) only when Rebond checked and wrote it itself (a re-encoded photo, a checked PDF); kept by
    no cache, read as no other type than the one given (guessed from `filename` when none is). A file set aside
    (reuse.models.QuarantinedFile) is served to nobody."""
    if QuarantinedFile.objects.holds(handle):
        handle.close()
        raise Http404
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    return kept_private(response)


def kept_private(response):
    """A response carrying a private file (streamed, or drawn and sent whole): kept by no cache, read as no other
    type than its own, run as nothing."""
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PRIVATE_FILE_CSP
    return response


def kept_choice(request, key: str, acting, theirs):
    """What a page acts for, for a person in several organisations of a kind: `acting(user, chosen)` (their kind's
    rule, reuse.policy.accounts.acting_organisation) with the choice kept in the session under `key` while it is
    still among `theirs` (the ids of their organisations: one they left is dropped), else with no choice."""
    kept = request.session.get(key)
    return acting(request.user, kept if kept in theirs else None)


def until_the_browser_closes(request, *, unless_signed_in: bool = False) -> None:
    """A session opened with what is printed on paper (a sign-in code, a receipt's or a questionnaire's code) by
    someone who has no access of their own, on a shared computer more often than not (France Services, a library,
    the referrer's desk), who leaves without signing out: its cookie ends when the browser closes (RFC 6265: no
    Expires nor Max-Age), instead of letting the next person at that computer in for SESSION_COOKIE_AGE.
    `unless_signed_in` leaves alone the session of someone already signed in (a code typed on top of it)."""
    if not (unless_signed_in and request.user.is_authenticated):
        request.session.set_expiry(0)


def page_of(items, number, per_page: int):
    """The page `number` (as the query string gives it) of `items`, as Paginator.get_page gives it, for a list
    templates show with includes/pages_nav.html. The first page is read before the list is counted, and a first
    page that holds the whole list is never counted: most people's lists fit on it, in one query."""
    paginator = Paginator(items, per_page)
    if number not in (None, "", "1"):
        return paginator.get_page(number)
    head = list(items[: per_page + 1])
    if len(head) <= per_page:
        paginator.count = len(head)
    return paginator._get_page(head[:per_page], 1, paginator)
