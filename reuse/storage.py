"""The private storage: eligibility documents, bench reports and manifests never get a URL.

Whatever the backend (a folder or an S3-compatible bucket), `url()` refuses: a template or a view that tries to
link to a private file fails loudly instead of publishing it. Private files are read only through views that check
who asks and stream the file (`reuse.views.private_file_response`).
"""

from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage


class PrivateFileUrlRefused(RuntimeError):
    """A caller asked for the URL of a private file."""


class NoUrlMixin:
    def url(self, name):
        raise PrivateFileUrlRefused(
            "Private files have no URL: stream them through a view that checks permissions."
        )


class PrivateFileSystemStorage(NoUrlMixin, FileSystemStorage):
    """A folder outside MEDIA_ROOT (a shared volume when there are several machines)."""

    def __init__(self, location=None, **kwargs):
        kwargs.pop("base_url", None)
        super().__init__(location=location, base_url=None, **kwargs)


class PrivateS3Storage(NoUrlMixin, S3Storage):
    """A private bucket (STORAGE_BACKEND=s3): objects written with a private ACL, never a public or signed URL."""

    default_acl = "private"
