"""StreamField blocks, one module per family: content, links, faq, audience."""

from cms.blocks.audience import AudienceSectionBlock, StepBlock
from cms.blocks.content import (
    CONTENT_BLOCKS,
    CalloutBlock,
    ContentStreamBlock,
    ImageBlock,
    SafeRichTextBlock,
    check_alt,
)
from cms.blocks.faq import FaqSectionBlock, QuestionBlock
from cms.blocks.links import EntryPointBlock, LinkBlock, NavigationLinkBlock

__all__ = [
    "AudienceSectionBlock",
    "CONTENT_BLOCKS",
    "CalloutBlock",
    "ContentStreamBlock",
    "EntryPointBlock",
    "FaqSectionBlock",
    "ImageBlock",
    "LinkBlock",
    "NavigationLinkBlock",
    "QuestionBlock",
    "SafeRichTextBlock",
    "StepBlock",
    "check_alt",
]
