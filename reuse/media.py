"""Public media (device photos, Wagtail's image renditions) served from the "default" storage; Wagtail's documents
(its own view checks their collection's privacy) and original images (with the camera's EXIF) are not.

Whitenoise serves only the static files collected at deploy time, never uploads. With STORAGE_BACKEND=filesystem
(the demo, and production on a shared volume) this view serves MEDIA_URL from the public folder, the same way in
both; with STORAGE_BACKEND=s3 the store serves the public bucket and this view is not mounted. The private storage is another
folder or bucket and is never reachable here.
"""

import mimetypes
import posixpath

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from reuse.storage import KEPT_APART

# Uploaded files are displayed, never run: no script, no plugin, no frame, whatever the file says it is.
MEDIA_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
# Folders not handed out here: Wagtail's documents (served by its own view, /documents/<id>/<name>, which asks for
# a sign-in or a password when staff made their collection private) and its original images (with the camera's
# EXIF): reuse.storage.KEPT_APART. On S3 the same names live in the private bucket.


@require_GET
def public_media(request, path: str):
    normalised = posixpath.normpath(path).lstrip("/")
    if normalised != path or normalised.startswith("..") or not normalised:
        raise Http404()
    if normalised.split("/", 1)[0] in KEPT_APART:
        raise Http404()
    storage = storages["default"]
    try:
        if not storage.exists(normalised):
            raise Http404()
        handle = storage.open(normalised, "rb")
    except (SuspiciousFileOperation, IsADirectoryError, FileNotFoundError) as exc:
        raise Http404() from exc
    content_type, encoding = mimetypes.guess_type(normalised)
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.headers["Content-Security-Policy"] = MEDIA_CSP
    return response
