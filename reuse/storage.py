"""The private storage: eligibility documents, bench reports and manifests never get a URL.

Whatever the backend (a folder or an S3-compatible bucket), `url()` refuses: a template or a view that tries to
link to a private file fails loudly instead of publishing it. Private files are read only through views that check
who asks and stream the file (`reuse.views.private_file_response`).

Wagtail writes two kinds of files into the public media storage that must not be public all the same: its
documents (a collection staff made private asks for a sign-in or a password in Wagtail's own view) and its
original images (what the camera wrote: the GPS position where a phone took the photo, the phone). Pages show
renditions, written again from the pixels under `images/`. On folders, the media view refuses those two folders
(`reuse.media`); on S3 the store itself serves the public bucket, so `PublicMediaS3Storage` keeps them in the
private bucket, where nothing is public and no URL is made: documents are streamed by Wagtail's view after its
checks, and originals are only read to draw renditions.
"""

from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

# The first folder of the media names Wagtail writes that are never served as they are.
KEPT_APART = ("documents", "original_images")


class PrivateFileUrlRefused(NotImplementedError):
    """A caller asked for the URL of a private file. A NotImplementedError, as Django says of a storage without
    URLs: Wagtail's document view then streams the file after its checks instead of redirecting to the store."""


class NoUrlMixin:
    def url(self, name, *args, **kwargs):
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


def kept_apart(name: str) -> bool:
    """Whether a media name is one of Wagtail's documents or original images (see the module's docstring)."""
    return clean_name(name).lstrip("/").split("/", 1)[0] in KEPT_APART


class PublicMediaS3Storage(S3Storage):
    """The public bucket (STORAGE_BACKEND=s3), except for the names `kept_apart`: those are written to, read
    from and deleted in `private_bucket_name`, under the same location, and have no URL."""

    # Options that describe the public side only; the private side takes every other one as it is.
    PUBLIC_ONLY = ("bucket_name", "private_bucket_name", "custom_domain", "querystring_auth", "default_acl")

    def __init__(self, **settings):
        super().__init__(**settings)
        if not self.private_bucket_name or self.private_bucket_name == self.bucket_name:
            raise ValueError("PublicMediaS3Storage needs its own private bucket (private_bucket_name).")
        shared = {key: value for key, value in settings.items() if key not in self.PUBLIC_ONLY}
        self.apart = PrivateS3Storage(**shared, bucket_name=self.private_bucket_name)

    def get_default_settings(self):
        return {**super().get_default_settings(), "private_bucket_name": ""}

    def _side(self, name):
        return self.apart if kept_apart(name) else super()

    def _open(self, name, mode="rb"):
        return self._side(name)._open(name, mode)

    def _save(self, name, content):
        return self._side(name)._save(name, content)

    def delete(self, name):
        return self._side(name).delete(name)

    def exists(self, name):
        return self._side(name).exists(name)

    def size(self, name):
        return self._side(name).size(name)

    def get_modified_time(self, name):
        return self._side(name).get_modified_time(name)

    def listdir(self, name):
        return self._side(name).listdir(name)

    def url(self, name, *args, **kwargs):
        return self._side(name).url(name, *args, **kwargs)
