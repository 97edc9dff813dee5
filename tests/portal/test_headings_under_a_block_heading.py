"""A FAQ answer sits under its section's h2 and its question, which is no heading (a <summary>); an encadré's text
under the encadré's own h2 title. A heading typed or pasted there would open a section of the page's outline and put
what follows under it (WCAG 1.3.1, RGAA 9.1): screen reader users move through a page by its headings. The editor
offers no heading for answers and only sub-headings (h3) in an encadré, and what was saved before, imported or
crafted is drawn by the same rule."""

import pytest
from wagtail.rich_text import RichText

from cms.blocks import CalloutBlock, FaqSectionBlock, QuestionBlock
from cms.sanitize import clean_rich_text


def _faq_html(answer: str) -> str:
    block = FaqSectionBlock()
    value = block.to_python(
        {"title": "Payer", "questions": [{"question": "Puis-je payer en 3 fois ?", "answer": answer}]}
    )
    return block.render(value)


@pytest.mark.parametrize("heading", ["h2", "h3"])
def test_a_heading_saved_in_an_answer_is_drawn_as_bold_text_not_as_a_heading(heading):
    html = _faq_html(f"<{heading}>Par carte</{heading}><p>Oui, sans frais.</p>")
    assert html.count("<h2") == 1  # the section's title only
    assert "<h3" not in html
    assert "<p><strong>Par carte</strong></p>" in html
    assert "Oui, sans frais." in html


def test_an_answer_offers_no_heading_button_and_an_encadre_only_sub_headings():
    answer = QuestionBlock().child_blocks["answer"]
    assert not {"h2", "h3"} & set(answer.features)
    assert {"bold", "link", "ul"} <= set(answer.features)
    text = CalloutBlock().child_blocks["text"]
    assert "h2" not in text.features and "h3" in text.features


def test_an_intertitre_in_an_encadre_becomes_a_sub_heading_under_its_title():
    block = CalloutBlock()
    value = block.to_python({"title": "Attention", "text": "<h2>Pièces</h2><p>x</p>", "tone": "info"})
    html = block.render(value)
    assert html.count("<h2") == 1 and "<h3" in html and "Pièces" in html
    # What is saved again is the sub-heading, so the page's heading check reads what is drawn.
    assert "<h3" in block.get_prep_value(value)["text"]


def test_an_empty_heading_is_still_dropped_and_a_page_body_keeps_both_levels():
    assert clean_rich_text("<h2> </h2><p>a</p>", headings=()) == "<p>a</p>"
    assert clean_rich_text("<h2>Venir</h2><h3>Bus</h3>") == "<h2>Venir</h2><h3>Bus</h3>"
    assert isinstance(QuestionBlock().child_blocks["answer"].normalize(RichText("<h2>x</h2>")), RichText)
