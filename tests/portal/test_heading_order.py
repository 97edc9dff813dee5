"""The page's headings form an outline a screen reader user moves through: under the page's title (h1) a
« sous-titre » (h3) comes after an « intertitre » (h2), never straight away (WCAG 1.3.1, RGAA 9.1). An editor who
skips a level is told where, in French, on the block; an encadré's title counts as an intertitre."""

import pytest
from wagtail.blocks.stream_block import StreamBlockValidationError

from cms.models import EligibilityPage, HomePage, HowItWorksPage, NewsPage, StandardPage

BODIES = [(model, "body") for model in (HomePage, StandardPage, HowItWorksPage, EligibilityPage, NewsPage)]


def _clean(model, field, raw):
    stream_block = model._meta.get_field(field).stream_block
    return stream_block.clean(stream_block.to_python(raw))


@pytest.mark.parametrize(("model", "field"), BODIES)
def test_a_sub_heading_before_any_heading_is_refused_on_its_block(model, field):
    raw = [
        {"type": "paragraph", "value": "<p>Bienvenue.</p>"},
        {"type": "paragraph", "value": "<h3>Horaires</h3><p>Le mardi.</p>"},
    ]
    with pytest.raises(StreamBlockValidationError) as refused:
        _clean(model, field, raw)
    assert list(refused.value.block_errors) == [1]
    assert "intertitre" in refused.value.block_errors[1].messages[0]


@pytest.mark.parametrize(("model", "field"), BODIES)
def test_a_sub_heading_under_a_heading_or_an_encadre_is_kept(model, field):
    raw = [
        {"type": "paragraph", "value": "<h2>Venir</h2><p>En bus.</p>"},
        {"type": "paragraph", "value": "<h3>Horaires</h3><p>Le mardi.</p>"},
    ]
    assert len(_clean(model, field, raw)) == 2
    callout = [
        {
            "type": "callout",
            "value": {"title": "Attention", "text": "<h3>Pièces</h3><p>x</p>", "tone": "info"},
        }
    ]
    assert len(_clean(model, field, callout)) == 1
