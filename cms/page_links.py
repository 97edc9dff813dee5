"""How rich text's links to the portal's own content are drawn: a page only while it is published, a document
with its format and weight."""

from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.rich_text.pages import PageLinkHandler


class LivePageLinkHandler(PageLinkHandler):
    """Wagtail's page links, except that a page unpublished, scheduled or never published leaves its words as text
    (an `<a>` without address, as Wagtail does for a deleted page) instead of a link to « page introuvable ». The
    reader's language's copy is linked when it is live (Page.localized falls back to the original otherwise)."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        targets = [page.localized if page is not None else None for page in cls.get_many(attrs_list)]
        return [
            f'<a href="{escape(page.url)}">' if page is not None and page.live else "<a>" for page in targets
        ]


class WeighedDocumentLinkHandler(DocumentLinkHandler):
    """Wagtail's document links, with the file's format and weight in `data-document` (« PDF, 1,2 Mio », in the
    reader's language), which the site's style sheet shows after the link's words: a household on a slow or
    metered line knows what the tap will cost (RGAA 13.3's advice, Opquast 114)."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        return [
            f'<a href="{escape(document.url)}" data-document="{escape(_weight(document))}">'
            if document is not None
            else "<a>"
            for document in cls.get_many(attrs_list)
        ]


def _weight(document) -> str:
    size = document.get_file_size()
    kind = (document.file_extension or "").upper()
    return ", ".join(part for part in (kind, filesizeformat(size) if size else "") if part)
