"""Rich text is whitelisted twice: by Wagtail's editor on input, and here on every save and render.

The second pass covers content that never went through the editor (imports, API writes, a crafted POST):
only the elements the portal's editor offers survive, `href` must be http(s), mailto or tel, and
attributes such as `onclick` or `style` are dropped. A `<script>` element is unwrapped into inert text.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.whitelist import Whitelister, allow_without_attributes, attribute_rule, check_url

# The features the portal's editors get (no raw HTML, no embed, no image inside rich text).
RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "document-link", "ol", "ul"]

_BLOCK = attribute_rule({"data-block-key": True})
_HEADINGS = {"h2", "h3"}
# What a line holds when it holds nothing a reader sees (spaces, no-break spaces, zero-width characters).
_BLANK = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]*")


def _link(tag):
    attribute_rule({"href": check_url, "linktype": True, "id": True})(tag)
    if tag.get("linktype") not in (None, "page", "document"):
        del tag["linktype"]


class PortalWhitelister(Whitelister):
    """`headings`: the heading levels this text may hold. Text nested under a heading of its block (a FAQ answer
    under its section, an encadré under its title) holds fewer: a heading it may not hold becomes the highest level
    it may, or bold text when it may hold none, so the page's outline stays whole whatever was pasted or saved
    before (WCAG 1.3.1, RGAA 9.1)."""

    def __init__(self, headings=("h2", "h3")):
        super().__init__()
        self.headings = tuple(headings)

    element_rules = {
        "[document]": allow_without_attributes,
        "p": _BLOCK,
        "h2": _BLOCK,
        "h3": _BLOCK,
        "ol": allow_without_attributes,
        "ul": allow_without_attributes,
        "li": _BLOCK,
        "b": allow_without_attributes,
        "i": allow_without_attributes,
        "strong": allow_without_attributes,
        "em": allow_without_attributes,
        "br": allow_without_attributes,
        "a": _link,
    }

    def clean_tag_node(self, doc, tag):
        """What a paste from Word leaves behind is not kept as markup: a heading with no words (a screen reader
        announces « titre de niveau 2, vide ») is removed, a link around nothing but spaces (a link without a
        name, read as its address) keeps its spaces as text."""
        super().clean_tag_node(doc, tag)
        if tag.parent is None:
            return
        if _BLANK.fullmatch(tag.get_text()):
            if tag.name in _HEADINGS:
                tag.decompose()
            elif tag.name == "a":
                tag.unwrap()
        elif tag.name in _HEADINGS and tag.name not in self.headings:
            self._lower(doc, tag)

    def _lower(self, doc, tag):
        if self.headings:
            tag.name = self.headings[0]
            return
        tag.name = "p"
        strong = doc.new_tag("strong")
        for child in list(tag.contents):
            strong.append(child.extract())
        tag.append(strong)


_whitelisters = {}


def clean_rich_text(html: str, headings=("h2", "h3")) -> str:
    headings = tuple(headings)
    if headings not in _whitelisters:
        _whitelisters[headings] = PortalWhitelister(headings)
    return _whitelisters[headings].clean(html or "")


def features_for(headings) -> list[str]:
    """The editor's buttons for a text that may hold these heading levels."""
    return [feature for feature in RICH_TEXT_FEATURES if feature not in _HEADINGS or feature in headings]


def safe_link(address: str) -> str:
    """Where an editor's link may lead, by the rule rich text's links follow: a relative address, http(s), mailto
    or tel; "" for any other scheme (javascript:, data:…), however it is disguised (case, tabs, entities)."""
    return address if address and check_url(address) is not None else ""


def check_link_address(address: str) -> None:
    """The same rule on the address fields of link blocks and settings, said to the editor."""
    if address and not safe_link(address):
        raise ValidationError(
            _("Adresse refusée : un lien commence par /, https://, mailto: ou tel:."), code="link_scheme"
        )
