"""FAQ blocks: questions grouped in sections, each answer a sanitised rich text."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from cms.blocks.content import SafeRichTextBlock


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"), max_length=200)
    answer = SafeRichTextBlock(label=_("réponse"))

    class Meta:
        icon = "help"
        label = _("question")


class FaqSectionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre de la rubrique"), max_length=120)
    questions = blocks.ListBlock(QuestionBlock(), label=_("questions"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("rubrique de questions")
        template = "cms/blocks/faq_section.html"
