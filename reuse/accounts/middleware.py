"""A signed-in person reads the site in their account's language when their browser has not chosen one (a link
followed from an email, a new computer): the same language as the messages Rebond sends them.

The site's own language (French) is what every account held before accounts had a language: it is not taken
as a choice over the browser's Accept-Language, which LocaleMiddleware already follows."""

from django.conf import settings
from django.utils import translation

from reuse.accounts.emails import spoken
from reuse.accounts.tokens import bearer_holder


def remember_language(response, language: str) -> None:
    """The language cookie the site's switcher sets (settings.LANGUAGE_COOKIE_*)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class AccountLanguageMiddleware:
    """After AuthenticationMiddleware: LocaleMiddleware read the cookie or the browser's Accept-Language; for a
    signed-in person without the cookie whose account is in another language than the site's, the account's
    language wins, and the browser keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = None
        chosen = settings.LANGUAGE_COOKIE_NAME in request.COOKIES
        # Read before the view: the API sets request.user to a token's owner, who has no browser to remember it.
        in_session = request.user.is_authenticated
        person = request.user if in_session else self.token_holder(request)
        if not chosen and person is not None and person.language != settings.LANGUAGE_CODE:
            language = spoken(person.language)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language is not None and in_session:
            remember_language(response, language)
        return response

    @staticmethod
    def token_holder(request):
        """A script's API request carries no session nor cookie, only its token: the language is its owner's,
        decided here, before any answer is written (the API's refusals, the NUL check below)."""
        if not request.path.startswith("/api/"):
            return None
        return bearer_holder(request)
