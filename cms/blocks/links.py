"""Link blocks: the home page's entry points, calls to action and the admin-managed navigation."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from cms.link_text import check_link_text
from cms.sanitize import check_link_address


def _one_target(value, url_field="url", text_field="label"):
    """A link leads somewhere: a page of the tree or an address (said on the address's field when neither), and
    an address rich text's links would accept (never javascript: nor data:); its text says where (cms.link_text)."""
    try:
        check_link_text(value.get(text_field) or "")
    except ValidationError as refused:
        raise StructBlockValidationError(block_errors={text_field: refused}) from None
    if not value.get("page") and not value.get(url_field):
        raise StructBlockValidationError(
            block_errors={url_field: ValidationError(_("Choisissez une page ou indiquez une adresse."))}
        )
    try:
        check_link_address(value.get(url_field) or "")
    except ValidationError as refused:
        raise StructBlockValidationError(block_errors={url_field: refused}) from None


class LinkBlock(blocks.StructBlock):
    """A page of the tree (followed into the visitor's language) or a plain address such as /catalogue/."""

    label = blocks.CharBlock(label=_("texte du lien"), max_length=60)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.CharBlock(
        label=_("ou adresse"),
        required=False,
        max_length=200,
        help_text=_("Adresse relative (/catalogue/) ou complète (https://…)."),
    )

    def clean(self, value):
        value = super().clean(value)
        _one_target(value)
        return value

    class Meta:
        icon = "link"
        label = _("lien")


class NavigationLinkBlock(LinkBlock):
    label_en = blocks.CharBlock(label=_("texte du lien en anglais"), max_length=60, required=False)

    class Meta:
        icon = "link"
        label = _("lien de navigation")


class EntryPointBlock(blocks.StructBlock):
    audience = blocks.ChoiceBlock(
        label=_("public"),
        choices=[
            ("donor", _("donateur")),
            ("workshop", _("atelier")),
            ("household", _("bénéficiaire")),
            ("association", _("association")),
        ],
    )
    title = blocks.CharBlock(label=_("titre"), max_length=80)
    text = blocks.TextBlock(label=_("texte"), max_length=300)
    link_label = blocks.CharBlock(label=_("texte du lien"), max_length=60)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    link_url = blocks.CharBlock(label=_("ou adresse"), max_length=200, required=False)

    def clean(self, value):
        value = super().clean(value)
        _one_target(value, url_field="link_url", text_field="link_label")
        return value

    class Meta:
        icon = "link"
        label = _("point d’entrée")
        template = "cms/blocks/entry_point.html"
