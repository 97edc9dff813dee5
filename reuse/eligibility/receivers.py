from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from reuse.eligibility.middleware import CODE_SESSION_KEY


@receiver(user_logged_in)
def forget_sign_in_code_on_login(sender, request, user, **kwargs):
    """Any sign-in starts a session of its own: only the code sign-in view marks it as opened with a code."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(CODE_SESSION_KEY, None)
