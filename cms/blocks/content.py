"""Content blocks: sanitised rich text, callouts, images. There is deliberately no raw HTML block."""

import re

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText

from cms.link_text import check_rich_text_links
from cms.sanitize import clean_rich_text, features_for


class SafeRichTextBlock(blocks.RichTextBlock):
    """Wagtail's rich text, whitelisted again on every read and write (see cms.sanitize). `headings`: the levels
    it may hold, fewer where the block draws a heading of its own above it."""

    def __init__(self, *args, headings=("h2", "h3"), **kwargs):
        self.headings = tuple(headings)
        kwargs.setdefault("features", features_for(self.headings))
        super().__init__(*args, **kwargs)

    def _clean(self, html):
        return clean_rich_text(html, self.headings)

    def to_python(self, value):
        return super().to_python(self._clean(value))

    def clean(self, value):
        value = super().clean(value)
        check_rich_text_links(value.source if isinstance(value, RichText) else value)
        return value

    def get_prep_value(self, value):
        source = value.source if isinstance(value, RichText) else value
        return self._clean(source)

    def normalize(self, value):
        if isinstance(value, RichText):
            return RichText(self._clean(value.source))
        return self.to_python(value)

    @cached_property
    def field(self):
        # The editor's text area is named after the block ("texte", "réponse"): Draftail has no label of its
        # own, and a nameless text box cannot be found by a screen reader (axe: aria-input-field-name).
        field = super().field
        field.widget.options["ariaLabel"] = self.label
        return field

    class Meta:
        icon = "pilcrow"
        label = _("texte")
        template = "cms/blocks/rich_text.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"), max_length=120)
    # Under the encadré's own title (an h2): sub-headings only.
    text = SafeRichTextBlock(label=_("texte"), headings=("h3",))
    tone = blocks.ChoiceBlock(
        label=_("ton"),
        choices=[("info", _("information")), ("important", _("important"))],
        default="info",
    )

    class Meta:
        icon = "warning"
        label = _("encadré")
        template = "cms/blocks/callout.html"


ALT_MISSING = _(
    "Décrivez ce que montre l’image pour les personnes qui ne la voient pas, ou cochez « Image décorative » "
    "si elle n’apporte aucune information."
)


def check_alt(alt: str, decorative: bool) -> None:
    """An image says what it shows, or its editor said it decorative on purpose: never an empty alternative left
    by oversight (WCAG 1.1.1, RGAA 1.2 and 1.3)."""
    if not decorative and not (alt or "").strip():
        raise ValidationError(ALT_MISSING, code="alt_missing")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("texte alternatif"),
        required=False,
        max_length=200,
        help_text=_("Ce que l’image apprend à qui ne la voit pas, en une phrase."),
    )
    decorative = blocks.BooleanBlock(
        label=_("Image décorative"),
        required=False,
        help_text=_(
            "Cochez si l’image n’apporte aucune information : elle sera ignorée des lecteurs d’écran."
        ),
    )
    caption = blocks.CharBlock(label=_("légende"), required=False, max_length=200)

    def clean(self, value):
        value = super().clean(value)
        try:
            check_alt(value.get("alt"), value.get("decorative"))
        except ValidationError as refused:
            raise StructBlockValidationError(block_errors={"alt": refused}) from None
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["alt"] = "" if value.get("decorative") else value.get("alt") or ""
        return context

    class Meta:
        icon = "image"
        label = _("image")
        template = "cms/blocks/image.html"


CONTENT_BLOCKS = [
    ("paragraph", SafeRichTextBlock()),
    ("callout", CalloutBlock()),
    ("image", ImageBlock()),
]

HEADING_SKIPPED = _(
    "Ce bloc a un sous-titre (niveau 3) avant tout intertitre (niveau 2) : les lecteurs d’écran parcourent la "
    "page par ses titres comme par un sommaire. Mettez d’abord un intertitre, ou faites de ce sous-titre un "
    "intertitre."
)
_HEADING = re.compile(r"<h([23])\b")


def _heading_levels(child) -> list[int]:
    """The heading levels a content block draws, in order (an encadré's title is an h2, cms/blocks/callout.html)."""
    if child.block_type == "paragraph":
        return [int(level) for level in _HEADING.findall(child.value.source)]
    if child.block_type == "callout":
        return [2, *(int(level) for level in _HEADING.findall(child.value["text"].source))]
    return []


class ContentStreamBlock(blocks.StreamBlock):
    """A page's content under its title (h1): an h3 only once an h2 has opened a section (WCAG 1.3.1, RGAA 9.1),
    said on the block where the outline skips."""

    def __init__(self, local_blocks=None, **kwargs):
        super().__init__(local_blocks or CONTENT_BLOCKS, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        skipped, opened = {}, False
        for index, child in enumerate(value):
            for level in _heading_levels(child):
                if level == 3 and not opened:
                    skipped[index] = ValidationError(HEADING_SKIPPED, code="heading_skipped")
                    break
                opened = opened or level == 2
        if skipped:
            raise StreamBlockValidationError(block_errors=skipped)
        return value
