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


def test_only_wagtail_shaped_inline_scripts_get_a_hash_in_the_admin():
    from cms.middleware import allowed_inline_script_hashes, script_hash

    chooser = 'initDateChooser("id_date", {"dayOfWeekStart": 1, "format": "Y-m-d"});'
    image = 'new ImageChooser("id_image", {"modalUrl": "/admin/images/chooser/"});'
    panel = '\n        (function() {\n            var panel = new InlinePanel(JSON.parse("{\\u0022a\\u0022: 1}"));\n        })();\n    '
    html = (
        f"<script>{chooser}</script><script>{panel}</script><script>{image}</script>"
        '<script>initDateChooser("x", {"a": alert(1)});</script><script>alert(1)</script>'
        '<script>new Image("x", {});</script>'
    )
    assert allowed_inline_script_hashes(html) == sorted(
        {script_hash(chooser), script_hash(panel), script_hash(image)}
    )


def test_the_page_editor_allows_its_date_widgets_and_nothing_inline_on_the_site(client, demo):
    from django.contrib.auth.models import Group

    from cms.groups import COORDINATORS
    from cms.models import NewsPage
    from tests.factories.accounts import UserFactory

    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATORS))
    client.force_login(coordinator)
    article = NewsPage.objects.filter(locale__language_code="fr").first()
    response = client.get(f"/admin/pages/{article.pk}/edit/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'sha256-" in script_src and "'unsafe-inline'" not in script_src
    assert "'sha256-" not in client.get("/actualites/")["Content-Security-Policy"]


def test_sanitising_on_save_keeps_the_block_ids(demo):
    page = StandardPage.objects.get(slug="accessibilite", locale__language_code="fr")
    ids = [child.id for child in page.body]
    page.save_revision().publish()
    assert [child.id for child in StandardPage.objects.get(pk=page.pk).body] == ids
