"""The every-page walk finds each kind of problem it looks for, on pages planted with one problem each: a walk
that saw nothing would let every page through (tests/browser/test_every_page.py trusts it)."""

import pytest

from tests.browser.crawl import walk
from tests.browser.planted import served

HEAD = '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
HEAD += '<meta name="viewport" content="width=device-width"></head><body><main><h1>{title}</h1>'
PAGES = {
    "index.html": '<a href="/">Accueil</a> <a href="/bon.html">Bon</a> <a href="/sans-image.html">Image</a> '
    '<a href="/large.html">Large</a> <a href="/impasse.html">Impasse</a> <a href="/introuvable.html">Perdu</a> '
    '<a href="/fichier.pdf">Fichier perdu</a> <a href="#">Vide</a> <a href="#nulle-part">Ancre</a>',
    "bon.html": '<a href="/">Accueil</a> <p id="ici">Tout va bien.</p> <a href="#ici">Ici</a>',
    "sans-image.html": '<a href="/">Accueil</a> <img src="/photo.png">',
    "large.html": '<a href="/">Accueil</a> <div style="width: 900px">Trop large pour un téléphone.</div>',
    "impasse.html": "<p>Aucun lien pour revenir.</p>",
}


@pytest.fixture
def planted(tmp_path):
    for name, body in PAGES.items():
        (tmp_path / name).write_text(
            HEAD.format(title=name) + body + "</main></body></html>", encoding="utf-8"
        )
    with served(tmp_path) as address:
        yield address


def test_the_walk_reports_each_kind_of_problem_and_nothing_on_a_sound_page(browser, axe, planted):
    context = browser.new_context(viewport={"width": 360, "height": 780}, base_url=planted)
    try:
        result = walk(context.new_page(), planted, "anonymous", axe)
    finally:
        context.close()
    found = {(problem.url.removeprefix(planted), problem.kind) for problem in result.problems}
    details = "\n".join(str(problem) for problem in result.problems)

    assert ("/introuvable.html", "status") in found, details
    dead = [p.detail for p in result.problems if p.kind == "dead link" and p.url == f"{planted}/"]
    for expected in ("/introuvable.html (404)", "/fichier.pdf (404)", "'Vide' → '#'", "#nulle-part"):
        assert any(expected in detail for detail in dead), details
    assert ("/sans-image.html", "axe") in found and "image-alt" in details
    assert ("/large.html", "too wide") in found, details
    assert ("/impasse.html", "no way back") in found, details
    assert not [problem for problem in result.problems if problem.url.endswith("/bon.html")], details
    assert f"{planted}/bon.html" in result.visited
