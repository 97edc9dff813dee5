import pytest

from cms.blocks import SafeRichTextBlock
from cms.models import StandardPage
from cms.sanitize import clean_rich_text

pytestmark = pytest.mark.django_db

ATTACK = (
    '<p onclick="steal()">Bonjour <script>alert("x")</script>'
    '<a href="javascript:alert(1)">lien</a> <img src=x onerror="alert(2)">'
    '<iframe src="https://evil.example"></iframe><b style="color:red">gras</b></p>'
    '<p><a linktype="page" id="3">interne</a> <a href="https://ok.example">externe</a></p>'
)


def test_the_whitelist_keeps_editor_features_and_drops_the_rest():
    cleaned = clean_rich_text(ATTACK)
    for bad in ("<script", "onclick", "javascript:", "<img", "onerror", "<iframe", "style="):
        assert bad not in cleaned
    assert "<b>gras</b>" in cleaned
    assert (
        '<a id="3" linktype="page">interne</a>' in cleaned
        or '<a linktype="page" id="3">interne</a>' in cleaned
    )
    assert '<a href="https://ok.example">externe</a>' in cleaned


def test_script_injected_in_a_page_body_is_neutralised_on_save_and_render(client, demo):
    legal = StandardPage.objects.get(slug="mentions-legales", locale__language_code="fr")
    legal.body = [{"type": "paragraph", "value": ATTACK}]
    legal.save_revision().publish()

    stored = StandardPage.objects.get(pk=legal.pk).body.raw_data[0]["value"]
    assert "<script" not in stored and "onclick" not in stored

    html = client.get("/mentions-legales/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    for bad in ("<script", "onclick", "javascript:", "onerror", "<iframe"):
        assert bad not in main
    assert "Bonjour" in main


def test_the_block_offers_no_raw_html_feature():
    assert "embed" not in SafeRichTextBlock().features
    from cms.blocks import CONTENT_BLOCKS

    assert {name for name, _block in CONTENT_BLOCKS} == {"paragraph", "callout", "image"}
