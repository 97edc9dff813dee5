"""Wagtail content: a document kept for signed-in users."""

from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction


def private_document(content: bytes = b"%PDF-1.4 internal") -> Document:
    """A PDF in a collection staff marked « private, signed-in users only » (Wagtail's login restriction)."""
    internal = Collection.get_first_root_node().add_child(name="Interne")
    CollectionViewRestriction.objects.create(
        collection=internal, restriction_type=CollectionViewRestriction.LOGIN
    )
    return Document.objects.create(
        title="Convention", collection=internal, file=ContentFile(content, name="convention.pdf")
    )
