"""StreamField blocks, one module per family: content, links, faq, audience."""

from cms.blocks.audience import AudienceSectionBlock, StepBlock
from cms.blocks.content import CONTENT_BLOCKS, CalloutBlock, ImageBlock, SafeRichTextBlock
from cms.blocks.faq import FaqSectionBlock, QuestionBlock
from cms.blocks.links import EntryPointBlock, LinkBlock, NavigationLinkBlock

__all__ = [
    "AudienceSectionBlock",
    "CONTENT_BLOCKS",
    "CalloutBlock",
    "EntryPointBlock",
    "FaqSectionBlock",
    "ImageBlock",
    "LinkBlock",
    "NavigationLinkBlock",
    "QuestionBlock",
    "SafeRichTextBlock",
    "StepBlock",
]
