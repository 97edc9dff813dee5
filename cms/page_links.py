"""Links written in rich text to another page of the portal lead to it only while it is published."""

from django.utils.html import escape
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
