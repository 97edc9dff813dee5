"""How-it-works blocks: one section per audience, each a list of numbered steps and a call to action."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from cms.blocks.links import LinkBlock


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("étape"), max_length=120)
    text = blocks.TextBlock(label=_("explication"), max_length=600)

    class Meta:
        icon = "order"
        label = _("étape")


class AudienceSectionBlock(blocks.StructBlock):
    audience = blocks.ChoiceBlock(
        label=_("public"),
        choices=[
            ("donor", _("Entreprises et organismes donateurs")),
            ("workshop", _("Ateliers")),
            ("household", _("Foyers")),
            ("association", _("Associations")),
            ("referrer", _("Prescripteurs")),
        ],
    )
    title = blocks.CharBlock(label=_("titre"), max_length=120)
    steps = blocks.ListBlock(StepBlock(), label=_("étapes"), min_num=1)
    call_to_action = blocks.ListBlock(LinkBlock(), label=_("liens"), max_num=2, default=[])

    class Meta:
        icon = "group"
        label = _("section par public")
        template = "cms/blocks/audience_section.html"
