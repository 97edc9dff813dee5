from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page


class EntryPointBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"), max_length=80)
    text = blocks.TextBlock(label=_("texte"), max_length=300)
    link_label = blocks.CharBlock(label=_("texte du lien"), max_length=60)
    link_url = blocks.CharBlock(label=_("adresse du lien"), max_length=200)

    class Meta:
        icon = "link"
        template = "cms/blocks/entry_point.html"


class HomePage(Page):
    """The portal's home: what Rebond is, and one entry per audience."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(
        [
            ("paragraph", blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul", "h2", "h3"])),
            ("entry_points", blocks.ListBlock(EntryPointBlock(), label=_("points d’entrée"))),
        ],
        blank=True,
        use_json_field=True,
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("page d’accueil")
