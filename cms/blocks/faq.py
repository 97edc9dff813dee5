"""FAQ blocks: questions grouped in sections, each answer a sanitised rich text."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from cms.blocks.content import SafeRichTextBlock


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"), max_length=200)
    # The question is no heading (a <summary>): a heading in its answer would open a section of the page's
    # outline and leave the questions after it under it. Answers hold paragraphs, lists, bold and links.
    answer = SafeRichTextBlock(label=_("réponse"), headings=())

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
