"""Rich text is whitelisted twice: by Wagtail's editor on input, and here on every save and render.

The second pass covers content that never went through the editor (imports, API writes, a crafted POST):
only the elements the portal's editor offers survive, `href` must be http(s), mailto or tel, and
attributes such as `onclick` or `style` are dropped. A `<script>` element is unwrapped into inert text.
"""

from wagtail.whitelist import Whitelister, allow_without_attributes, attribute_rule, check_url

# The features the portal's editors get (no raw HTML, no embed, no image inside rich text).
RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "document-link", "ol", "ul"]

_BLOCK = attribute_rule({"data-block-key": True})


def _link(tag):
    attribute_rule({"href": check_url, "linktype": True, "id": True})(tag)
    if tag.get("linktype") not in (None, "page", "document"):
        del tag["linktype"]


class PortalWhitelister(Whitelister):
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


_whitelister = PortalWhitelister()


def clean_rich_text(html: str) -> str:
    return _whitelister.clean(html or "")
