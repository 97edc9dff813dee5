"""The public site runs under a strict CSP; the Wagtail admin needs a few allowances of its own."""

ADMIN_PREFIX = "/admin/"
# Wagtail's admin sets inline style attributes (and Draftail/Telepath build styles at runtime),
# shows image previews from blob: URLs and frames its own preview pane.
ADMIN_CSP_UPDATE = {
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}


class AdminContentSecurityPolicyMiddleware:
    """Placed after csp.middleware.CSPMiddleware so that it runs first on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(ADMIN_PREFIX):
            update = dict(getattr(response, "_csp_update", None) or {})
            for directive, sources in ADMIN_CSP_UPDATE.items():
                update[directive] = [*update.get(directive, []), *sources]
            response._csp_update = update
            if not getattr(response, "xframe_options_exempt", False):
                # The preview pane frames /admin/ pages inside /admin/ (the site itself stays DENY).
                response.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response
