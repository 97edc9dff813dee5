"""The public site runs under a strict CSP; the Wagtail admin needs a few allowances of its own.

Scripts stay without 'unsafe-inline' in the admin too. Wagtail's form widgets still print a few inline
initialisers (date and time pickers, image/page/document choosers, inline panels); each one is allowed by its own sha256 hash, and only if
it has exactly the shape Wagtail prints with data-only arguments (a quoted string and JSON), so that
injected markup never gets a hash.
"""

import base64
import hashlib
import json
import re

from django.core.exceptions import PermissionDenied

ADMIN_PREFIX = "/admin/"
# Where a signed-in person who is not staff may still go: signing in again as someone else, or out.
ADMIN_OPEN_PATHS = ("/admin/login/", "/admin/logout/", "/admin/password_reset/")
# Wagtail's admin sets inline style attributes (and Draftail/Telepath build styles at runtime),
# shows image previews from blob: URLs and frames its own preview pane.
ADMIN_CSP_UPDATE = {
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
    "frame-src": ["'self'"],
}
# The site forbids framing ('none'); the admin's preview pane frames admin pages. 'none' cannot be combined with
# another source (browsers report the whole directive as invalid), so the admin replaces it instead of adding.
ADMIN_CSP_REPLACE = {"frame-ancestors": ["'self'"]}
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
JS_STRING = r'"(?:[^"\\]|\\.)*"'
CHOOSER_INIT = re.compile(
    rf"^(?:init(?:Date|DateTime|Time)Chooser|new [A-Z][A-Za-z]*Chooser)\({JS_STRING}, (?P<config>.*)\);$",
    re.S,
)
PANEL_INIT = re.compile(
    rf"^\s*\(function\(\) \{{\s*var panel = new (?:InlinePanel|MultipleChooserPanel)\(JSON\.parse\({JS_STRING}\)\);"
    r"\s*\}\)\(\);\s*$",
    re.S,
)


def is_known_wagtail_initialiser(source: str) -> bool:
    if PANEL_INIT.match(source):
        return True
    match = CHOOSER_INIT.match(source)
    if not match:
        return False
    try:
        json.loads(match.group("config"))
    except ValueError:
        return False
    return True


def script_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def allowed_inline_script_hashes(html: str) -> list[str]:
    return sorted(
        {
            script_hash(source)
            for source in INLINE_SCRIPT.findall(html)
            if is_known_wagtail_initialiser(source)
        }
    )


class AdminGuardMiddleware:
    """The admin is for staff only, under its own CSP allowances.

    Wagtail lets in anyone holding the "access admin" permission; Rebond also requires `is_staff`, so that a
    group given by mistake to a household or a workshop member never opens the back-office.
    Placed after csp.middleware.CSPMiddleware so that it runs first on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(ADMIN_PREFIX):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not (user.is_active and user.is_staff)
            and not request.path.startswith(ADMIN_OPEN_PATHS)
            and user.has_perm("wagtailadmin.access_admin")
        ):
            # Without that permission Wagtail itself sends them to its login page.
            raise PermissionDenied
        response = self.get_response(request)
        update = dict(getattr(response, "_csp_update", None) or {})
        for directive, sources in ADMIN_CSP_UPDATE.items():
            update[directive] = [*update.get(directive, []), *sources]
        is_html = response.get("Content-Type", "").startswith("text/html")
        if is_html and not getattr(response, "streaming", False):
            hashes = allowed_inline_script_hashes(response.content.decode("utf-8", "replace"))
            if hashes:
                update["script-src"] = [*update.get("script-src", []), *hashes]
        response._csp_update = update
        response._csp_replace = {**(getattr(response, "_csp_replace", None) or {}), **ADMIN_CSP_REPLACE}
        if not getattr(response, "xframe_options_exempt", False):
            # The preview pane frames /admin/ pages inside /admin/ (the site itself stays DENY).
            response.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response
