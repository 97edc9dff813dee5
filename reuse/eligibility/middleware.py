"""Sessions opened with a printed sign-in code: bound to the code's mandate, and ended as soon as it no longer runs."""

from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

from reuse.eligibility.sign_in_codes import session_code
from reuse.policy.mandates import open_code_session

CODE_SESSION_KEY = "rebond_sign_in_code"


class SignInCodeSessionMiddleware:
    """Marks request.user with the code its session was opened with (reuse.policy.mandates reads it).

    The session ends at the first request after the code is replaced or expires, the mandate is withdrawn or
    ends, or the household gets credentials of its own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code_id = request.session.get(CODE_SESSION_KEY) if hasattr(request, "session") else None
        if code_id is not None and request.user.is_authenticated:
            code = session_code(user=request.user, code_id=code_id)
            if code is None:
                logout(request)
                messages.info(
                    request,
                    _(
                        "Votre code de connexion ne marche plus (nouveau code, mandat terminé ou retiré). "
                        "Demandez-en un à la personne qui vous accompagne."
                    ),
                )
            else:
                open_code_session(request.user, code)
        return self.get_response(request)
