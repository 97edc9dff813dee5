"""A link an editor put in a text to another page of the portal leads to it only while that page is published: an
editor who unpublishes a page (or schedules one, or has not published it yet) leaves no link to a « page
introuvable » in other pages' texts for households to follow. The words stay, as text; the link comes back when the
page is published again."""

import pytest

from cms.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_a_text_link_to_an_unpublished_page_is_no_longer_a_link(client):
    home = HomePage.objects.get(locale__language_code="fr")
    hours = home.add_child(instance=StandardPage(title="Horaires des ateliers", slug="horaires"))
    hours.save_revision().publish()
    guide = home.add_child(instance=StandardPage(title="Guide", slug="guide"))
    guide.body = [
        {
            "type": "paragraph",
            "value": f'<p>Consultez <a linktype="page" id="{hours.pk}">les horaires des ateliers</a>.</p>',
        }
    ]
    guide.save_revision().publish()
    assert 'href="/horaires/"' in _main(client.get("/guide/"))

    hours.unpublish()
    main = _main(client.get("/guide/"))
    assert "/horaires/" not in main and "les horaires des ateliers" in main

    hours.save_revision().publish()
    assert 'href="/horaires/"' in _main(client.get("/guide/"))


def test_a_call_to_action_to_an_unpublished_page_is_not_drawn_as_a_button_to_nowhere(client):
    """The home page's entry points and the how-it-works calls to action: a button whose page is unpublished would
    be `href=""`, a button that reloads the page the household is on."""
    home = HomePage.objects.get(locale__language_code="fr")
    donate = home.add_child(instance=StandardPage(title="Donner", slug="donner"))
    donate.save_revision().publish()
    home.entry_points = [
        {
            "type": "entry_point",
            "value": {
                "audience": "donor",
                "title": "Vous êtes une entreprise",
                "text": "Donnez vos appareils.",
                "link_label": "Donner des appareils",
                "page": donate.pk,
                "link_url": "",
            },
        }
    ]
    home.save_revision().publish()
    assert 'href="/donner/"' in _main(client.get("/"))

    donate.unpublish()
    main = _main(client.get("/"))
    assert 'href=""' not in main and "Donner des appareils" not in main
    assert "Vous êtes une entreprise" in main
