from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext_lazy as _

NUL_MESSAGE = _("Les données envoyées contiennent un caractère nul : elles ne peuvent pas être enregistrées.")


class RejectNulBytesMiddleware:
    """Refuse NUL characters in the query string and in JSON bodies with a 400.

    PostgreSQL text cannot hold them, so without this a NUL in a filter or a field is a server error.
    Django forms already refuse them; this covers query parameters and the JSON API. Uploaded files and
    form posts are left to their own validation (reading a large body here would defeat upload limits).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": str(NUL_MESSAGE), "code": "invalid"}, status=400)
            return HttpResponseBadRequest(str(NUL_MESSAGE), content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in value for key, value in request.GET.items()
        ):
            return True
        if request.content_type == "application/json" and request.method in ("POST", "PUT", "PATCH"):
            body = request.body
            return b"\\u0000" in body or b"\x00" in body
        return False
