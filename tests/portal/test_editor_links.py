"""What an editor writes in the portal's rich text reaches households whole and readable: a link says where it leads
(a screen reader lists the page's links alone: « cliquez ici » five times says nothing; WCAG 2.4.4, RGAA 6.1), and
what a paste from Word leaves behind (a heading line with no words, a link around a space) never reaches the page
as an empty heading or a link without a name (axe: empty-heading, link-name)."""

import json

import pytest
from django.core.exceptions import ValidationError
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from cms.blocks import EntryPointBlock, LinkBlock, SafeRichTextBlock
from cms.models import HomePage, StandardPage
from cms.sanitize import RICH_TEXT_FEATURES
from tests.factories.accounts import UserFactory


@pytest.mark.parametrize(
    "words",
    ["cliquez ici", "Cliquez ICI !", "ici", "en savoir plus", "Lire la suite…", "ce lien", "click here"],
)
def test_a_link_that_does_not_say_where_it_leads_is_refused_in_french(words):
    block = SafeRichTextBlock()
    html = f'<p>Pour vérifier vos droits, <a href="https://www.service-public.fr/">{words}</a>.</p>'
    with pytest.raises(ValidationError) as refused:
        block.clean(block.to_python(html))
    message = refused.value.messages[0]
    assert words.strip(" !…").lower() in message.lower() and "où il mène" in message

    fine = '<p><a href="https://www.service-public.fr/">Vérifier vos droits sur service-public.fr</a></p>'
    assert "service-public.fr" in block.clean(block.to_python(fine)).source


@pytest.mark.parametrize(
    ("block", "value", "field"),
    [
        (LinkBlock(), {"label": "Cliquez ici", "url": "/catalogue/"}, "label"),
        (
            EntryPointBlock(),
            {
                "audience": "donor",
                "title": "Donner",
                "text": "Vos appareils",
                "link_label": "En savoir plus",
                "link_url": "/dons/",
            },
            "link_label",
        ),
    ],
)
def test_a_call_to_action_that_does_not_say_where_it_leads_is_refused_on_its_text(block, value, field):
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(block.to_python(value))
    assert list(refused.value.block_errors) == [field]
    assert "où il mène" in refused.value.block_errors[field].messages[0]


def _as_draftail_saves(blocks, entities):
    """The HTML Wagtail stores for what Draftail sends: its own converter, from a Draft.js content state (the
    shape documented at draftjs.org/docs/api-reference-data-conversion, as wagtail/admin/rich_text/converters
    reads it), here the one a Word paste gives once draftjs-filters kept the portal's features."""
    contentstate = {"blocks": blocks, "entityMap": entities}
    return ContentstateConverter(features=RICH_TEXT_FEATURES).to_database_format(json.dumps(contentstate))


def _block(key, type_, text, ranges=()):
    return {
        "key": key,
        "type": type_,
        "depth": 0,
        "text": text,
        "inlineStyleRanges": [],
        "entityRanges": list(ranges),
        "data": {},
    }


def test_what_a_word_paste_leaves_behind_never_reaches_the_page_as_an_empty_heading_or_a_nameless_link():
    stored = _as_draftail_saves(
        [
            _block("a1", "header-two", "Nos ateliers"),
            _block("b2", "header-two", ""),  # a line Word kept with the « Titre 2 » style
            _block("c3", "unstyled", "Voir la carte\u00a0 ", [{"offset": 13, "length": 2, "key": 0}]),
            _block("d4", "header-three", "\u00a0"),
        ],
        {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "https://www.openstreetmap.org/"}}},
    )
    assert "<h2" in stored and "<a" in stored  # what Wagtail's converter keeps, before the portal's rule

    block = SafeRichTextBlock()
    html = block.clean(block.to_python(stored)).source
    assert html.count("<h2") == 1 and "Nos ateliers" in html
    assert "<h3" not in html
    assert "<a" not in html and "Voir la carte" in html


@pytest.mark.django_db
def test_the_editor_sees_the_refusal_on_the_block_in_the_page_editor_and_nothing_is_saved(client):
    """Through Wagtail's own page editor, its form data built by Wagtail's test helpers (wagtail.test.utils.
    form_data: rich_text() turns the HTML into the content state Draftail sends)."""
    home = HomePage.objects.get(locale__language_code="fr")
    page = home.add_child(instance=StandardPage(title="Nous contacter", slug="contact"))
    revisions = page.revisions.count()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = f"/admin/pages/{page.pk}/edit/"
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data.update(
        nested_form_data(
            {
                "body": streamfield(
                    [
                        (
                            "paragraph",
                            rich_text(
                                '<p>Pour nous écrire, <a href="https://rebond.example/">cliquez ici</a>.</p>'
                            ),
                        )
                    ]
                )
            }
        )
    )
    response = client.post(url, data)

    assert response.status_code == 200
    refusal = response.context["form"].errors["body"].as_data()[0]
    assert "cliquez ici" in refusal.block_errors[0].messages[0]
    assert page.revisions.count() == revisions
