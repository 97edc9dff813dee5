"""Content blocks: sanitised rich text, callouts, images. There is deliberately no raw HTML block."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText

from cms.link_text import check_rich_text_links
from cms.sanitize import RICH_TEXT_FEATURES, clean_rich_text


class SafeRichTextBlock(blocks.RichTextBlock):
    """Wagtail's rich text, whitelisted again on every read and write (see cms.sanitize)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return super().to_python(clean_rich_text(value))

    def clean(self, value):
        value = super().clean(value)
        check_rich_text_links(value.source if isinstance(value, RichText) else value)
        return value

    def get_prep_value(self, value):
        source = value.source if isinstance(value, RichText) else value
        return clean_rich_text(source)

    def normalize(self, value):
        if isinstance(value, RichText):
            return RichText(clean_rich_text(value.source))
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
    text = SafeRichTextBlock(label=_("texte"))
    tone = blocks.ChoiceBlock(
        label=_("ton"),
        choices=[("info", _("information")), ("important", _("important"))],
        default="info",
    )

    class Meta:
        icon = "warning"
        label = _("encadré")
        template = "cms/blocks/callout.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("texte alternatif"),
        required=False,
        max_length=200,
        help_text=_("Décrivez l’image ; laissez vide si elle est décorative."),
    )
    caption = blocks.CharBlock(label=_("légende"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("image")
        template = "cms/blocks/image.html"


CONTENT_BLOCKS = [
    ("paragraph", SafeRichTextBlock()),
    ("callout", CalloutBlock()),
    ("image", ImageBlock()),
]
